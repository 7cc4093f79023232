"""deploy/backup.sh and deploy/restore.sh: a backup restored into an empty database gives back every row and file.

PostgreSQL only (pg_dump); on SQLite the test says so and is skipped — .ci/run runs it on PostgreSQL.
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from kcn_portal import periods
from reports.models import ReportSnapshot
from reports.services import approval as approval_services
from reports.services import builds
from tests.celery_worker import database_url
from tests.reports.conftest import ledger  # noqa: F401 - the small ledger

ROOT = Path(__file__).resolve().parents[2]
TABLES = [
    "zones_board", "zones_zone", "investment_project", "investment_licenceevent", "investment_enterprisereport",
    "reports_reportsnapshot", "reports_periodapproval", "core_auditrecord",
]  # fmt: skip


def counts(dsn: str) -> dict[str, int]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        out = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own table names
            out[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT indicators::text FROM reports_reportsnapshot WHERE scope = 'board:HNA' AND period = '2019'"
        )
        out["hna_2019"] = cursor.fetchone()[0]
    conn.close()
    return out


@pytest.fixture
def restore_db():
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = psycopg2.connect(database_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_and_file_into_an_empty_database(ledger, hna, hna_leader, tmp_path, request):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump backups are for PostgreSQL; .ci/run runs this test there")
    restore_db = request.getfixturevalue("restore_db")
    builds.report_build(period=periods.parse("2019"))
    approval_services.period_approve(user=hna_leader, board=hna, period="2019")
    media = tmp_path / "media"
    (media / "corrections" / "1").mkdir(parents=True)
    (media / "corrections" / "1" / "gcn.pdf").write_bytes(b"%PDF-1.4 demo")
    env = {**os.environ, "DATABASE_URL": database_url(), "KCN_MEDIA_ROOT": str(media)}
    written = subprocess.run(
        [str(ROOT / "deploy" / "backup.sh"), str(tmp_path / "backup")], env=env, check=True, capture_output=True,
        text=True,
    ).stdout.split()  # fmt: skip
    dump, archive = written
    restored_media = tmp_path / "restored-media"
    subprocess.run(
        [str(ROOT / "deploy" / "restore.sh"), database_url(restore_db), dump, archive, str(restored_media)], check=True,
        capture_output=True,
    )  # fmt: skip

    before, after = counts(database_url()), counts(database_url(restore_db))
    assert after == before
    assert (after["investment_licenceevent"], after["reports_periodapproval"]) == (5, 1)
    assert ReportSnapshot.objects.filter(scope="board:HNA", period="2019").count() == 1
    assert (restored_media / "corrections" / "1" / "gcn.pdf").read_bytes() == b"%PDF-1.4 demo"
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"], cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(restore_db)}, capture_output=True, text=True,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
