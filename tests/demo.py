"""The demo data of chosen boards, seeded once per test module and rolled back at its end.

    seeded = demo_fixture(projects=("HNA", "TBH", "HNI"), reports=("HNA", "TBH"))

defines a module-scoped fixture; each test's own transaction nests inside the seeding one.
"""

import pytest
from django.db import transaction

from investment import demo_data
from zones.management.commands.seed_demo import Tally, seed_boards, seed_zones


def demo_fixture(*, projects=("HNA", "TBH", "HNI"), reports=("HNA", "TBH"), examples=("HNA",)):
    @pytest.fixture(scope="module")
    def seeded(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                seed_boards(Tally())
                seed_zones(Tally())
                tallies = [Tally(), Tally(), Tally()]
                demo_data.seed_projects(tallies[0], boards=projects)
                demo_data.seed_reports(tallies[1], boards=reports)
                demo_data.seed_examples(tallies[2], boards=examples)
                yield tallies
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    return seeded
