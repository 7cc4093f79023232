"""The demo data of chosen boards, seeded once per test module and rolled back at its end.

    seeded = demo_fixture(projects=("HNA", "TBH", "HNI"), reports=("HNA", "TBH"))

defines a module-scoped fixture; each test's own transaction nests inside the seeding one.
"""

import pytest
from django.db import transaction

from investment import demo_data, demo_enterprise_reports
from web.management.commands.seed_demo import Tally, seed_boards, seed_zones


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
                demo_enterprise_reports.seed_reports(tallies[1], boards=reports)
                demo_data.seed_examples(tallies[2], boards=examples)
                yield tallies
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    return seeded


def ensure_rate_catalogue():
    """Load migration investment/0002's yearly USD/VND rates again when a transactional test flushed them.

    Browser tests run on live_server, whose database is flushed after each test, migration data included;
    the demo derives USD amounts from these rates, so a later seeding would otherwise find none.
    """
    import importlib

    from django.apps import apps

    from investment.models import ExchangeRate

    if not ExchangeRate.objects.exists():
        importlib.import_module("investment.migrations.0002_exchange_rate_catalogue").load(apps, None)
