"""JSON shape of a bloc's year: members in the bloc's order, its roles, decision, conclusion and rounds."""

from rest_framework import serializers

from emulation.api.serializers.awards import ProposalSerializer
from emulation.api.serializers.fields import board_field
from emulation.api.serializers.scoring import RoundSerializer
from emulation.models import BlocYear


class BlocYearSerializer(serializers.ModelSerializer):
    """A bloc's year: members in the bloc's order, its roles, decision, conclusion and rounds."""

    code = serializers.CharField(source="bloc.code", read_only=True)
    name = serializers.CharField(source="bloc.name", read_only=True)
    ministry = serializers.CharField(source="bloc.ministry", read_only=True)
    members = serializers.SerializerMethodField()
    leader = board_field()
    deputy = board_field()
    host = board_field()
    alternate_reviewer = board_field()
    next_leader = board_field()
    next_deputy = board_field()
    next_host = board_field()
    proposals = ProposalSerializer(many=True, read_only=True)
    rounds = RoundSerializer(many=True, read_only=True)

    class Meta:
        model = BlocYear
        fields = [
            "code",
            "name",
            "ministry",
            "year",
            "members",
            "leader",
            "deputy",
            "host",
            "alternate_reviewer",
            "decision_no",
            "decision_date",
            "next_leader",
            "next_deputy",
            "next_host",
            "concluded_at",
            "proposals",
            "rounds",
            "version",
        ]
        read_only_fields = fields

    def get_members(self, bloc_year) -> list[str]:
        # The memberships are prefetched in the bloc's order (selectors.years.bloc_years_in_full).
        return [m.board.code for m in bloc_year.memberships.all()]
