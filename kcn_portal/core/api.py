"""Pieces every app's API shares: calling a service, and versions as ETags with If-Match (412)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response


def call_service(service, **kwargs):
    """Run a service: its ValidationError becomes a 400 with the same field errors, PermissionDenied a 403
    with the service's own message."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc


class Versioned:
    """ETag = the object's version; an optional If-Match must name it, else 412 with the current values."""

    @staticmethod
    def _etag(response, version):
        response["ETag"] = f'"{version}"'
        return response

    @staticmethod
    def _if_match_tags(request) -> list[str] | None:
        header = request.headers.get("If-Match")
        if header is None:
            return None
        # A list of quoted versions or "*"; a bare number is accepted too, clients often drop the quotes.
        return [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")]

    def _if_match_ok(self, request, version: int) -> bool:
        tags = self._if_match_tags(request)
        return tags is None or "*" in tags or str(version) in tags

    def _seen_version(self, request) -> int | None:
        versions = [int(tag) for tag in self._if_match_tags(request) or [] if tag.isdigit()]
        return min(versions) if versions else None

    def _precondition_failed(self, current: dict, version: int, changed: dict):
        body = {
            "detail": _("Dữ liệu đã được người khác thay đổi trong lúc bạn sửa. Hãy xem giá trị hiện tại rồi sửa lại."),
            "current": current,
            # {field: [value at the client's version, value now]}, from the audit trail.
            "changed": changed,
        }
        return self._etag(Response(body, status=status.HTTP_412_PRECONDITION_FAILED), version)
