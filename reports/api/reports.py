"""API of the reports (DOMAIN.md §7): the report document, its versions, builds and the catalogue.

`GET /api/v1/reports/<scope>/<period>/` answers exactly the JSON of `manage.py report --format
json` (the latest version, or `?version=N`); `.../restated/` what that version restates and the figures
that changed. A scope the user may not read answers 404, like another board's objects; a malformed
scope or period answers 400 with the reason.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kcn_portal.indicators import CATALOGUE, GROUPS
from kcn_portal.periods import PeriodError
from reports import scopes
from reports.scopes import ScopeError
from reports.selectors import snapshots
from reports.services import builds


def _snapshot(request, scope: str, period: str, version=None):
    try:
        return snapshots.snapshot_get(user=request.user, scope=scope, period=period, version=version)
    except (ScopeError, PeriodError) as exc:
        raise ParseError(str(exc)) from exc
    except Http404 as exc:
        raise NotFound(_("Chưa có báo cáo này (hoặc bạn không được xem phạm vi này).")) from exc


def _version(request) -> int | None:
    """The `?version=N` asked for, None for the latest; 400 when it is not a positive integer."""
    version = request.query_params.get("version")
    if version is not None and not version.isdigit():
        raise ParseError(_("Phiên bản phải là số nguyên dương."))
    return int(version) if version else None


VERSION_PARAMETER = OpenApiParameter("version", int, description="a stored version (default: the latest)")


class ReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Report of a scope and period (DOMAIN.md §7)",
        parameters=[VERSION_PARAMETER],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiResponse(description="malformed scope or period")},
    )
    def get(self, request, scope: str, period: str):
        snapshot = _snapshot(request, scope, period, _version(request))
        return Response(snapshots.document(snapshot))


class DifferenceSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class RestatedSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    restates = serializers.IntegerField(allow_null=True)
    differences = DifferenceSerializer(many=True)


class ReportRestatedView(APIView):
    """What a version restates (issue 7): the earlier version someone relied on (approved, accepted or
    downloaded) that it replaces, and every figure that differs — old and new as stored (numbers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The version a report restates and every figure that changed",
        parameters=[VERSION_PARAMETER],
        responses={200: RestatedSerializer, 400: OpenApiResponse(description="malformed scope or period")},
    )
    def get(self, request, scope: str, period: str):
        snapshot = _snapshot(request, scope, period, _version(request))
        restated = snapshots.restated(snapshot)
        differences = restated.differences if restated else []
        return Response(
            {
                "version": snapshot.version,
                "restates": restated.earlier.version if restated else None,
                "differences": [
                    {"indicator": item.code, "field": item.field, "old": item.old, "new": item.new}
                    for item in differences
                ],
            }
        )


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    generated_at = serializers.DateTimeField()
    rate_rule = serializers.CharField()


class ReportVersionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Stored versions of a report, newest first", responses=VersionSerializer(many=True))
    def get(self, request, scope: str, period: str):
        try:
            versions = snapshots.snapshot_versions(user=request.user, scope=scope, period=period)
        except (ScopeError, PeriodError) as exc:
            raise ParseError(str(exc)) from exc
        except Http404 as exc:
            raise NotFound() from exc
        return Response(VersionSerializer(versions, many=True).data)


class BuildSerializer(serializers.Serializer):
    task_run = serializers.IntegerField()
    status_url = serializers.CharField()


class ReportBuildView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Rebuild a report in the background", request=None, responses={202: BuildSerializer})
    def post(self, request, scope: str, period: str):
        try:
            run = builds.report_build_enqueue(user=request.user, period=period, scope=scope)
        except (ScopeError, PeriodError) as exc:
            raise ParseError(str(exc)) from exc
        except DjangoPermissionDenied as exc:
            # A report the user may not even read does not exist for them (404, as the page answers).
            try:
                readable = scopes.can_read(request.user, scopes.parse(scope))
            except ScopeError:
                readable = False
            if not readable:
                raise NotFound() from exc
            raise PermissionDenied(str(exc)) from exc
        return Response(
            {"task_run": run.pk, "status_url": f"/tasks/{run.pk}/status.json"}, status=status.HTTP_202_ACCEPTED
        )


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    group = serializers.CharField()
    group_name = serializers.CharField()
    unit = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()


class IndicatorListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="The indicator catalogue (DOMAIN.md §5)", responses=IndicatorSerializer(many=True))
    def get(self, request):
        rows = [
            {
                "code": item.code,
                "group": item.group,
                "group_name": str(GROUPS[item.group]),
                "unit": item.unit,
                "name": str(item.name),
                "definition": str(item.definition),
            }
            for item in CATALOGUE
        ]
        return Response(IndicatorSerializer(rows, many=True).data)
