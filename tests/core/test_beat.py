"""One beat per site (issue 19): with two beats on the same Redis, each scheduled job is sent once.

Both need the broker's Redis (CELERY_BROKER_URL, as in .ci/run's Celery step): in-process, two schedulers on
one real lock, ticked in turn for a few seconds, send every due job once between them, and the idle one takes
over when the holder stops; as processes, a second `celery beat` says it stays idle.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

from kcn_portal.core.beat import LOCK_KEY, SingleBeatScheduler

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.celery_worker


@pytest.fixture
def broker():
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        if os.environ.get("KCN_REQUIRE_CELERY_WORKER") == "1":
            pytest.fail("the beat lock tests need a Redis broker (CELERY_BROKER_URL)")
        pytest.skip("the beat lock tests need a Redis broker (CELERY_BROKER_URL); .ci/run runs them")
    import redis

    redis.Redis.from_url(url).delete(LOCK_KEY)
    yield url
    redis.Redis.from_url(url).delete(LOCK_KEY)


class Counting(SingleBeatScheduler):
    """The real scheduler and lock; what it would send is counted instead of sent."""

    def __init__(self, *args, **kwargs):
        self.sent = []
        super().__init__(*args, **kwargs)

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        self.sent.append(entry.name)


def scheduler(broker, tmp_path, name):
    app = Celery(f"beat-{name}", broker=broker)
    app.conf.beat_schedule = {"every-second": {"task": "core.fail_stuck_runs", "schedule": 1.0}}
    return Counting(app=app, schedule_filename=str(tmp_path / f"beat-{name}"), lazy=False)


def test_two_beats_send_each_due_job_once_and_the_idle_one_takes_over(broker, tmp_path, monkeypatch):
    first, second = scheduler(broker, tmp_path, "a"), scheduler(broker, tmp_path, "b")
    end = time.monotonic() + 4.2
    while time.monotonic() < end:
        first.tick()
        second.tick()
        time.sleep(0.05)
    assert (first.holds, second.holds) == (True, False)
    assert second.sent == []
    assert 3 <= len(first.sent) <= 5  # one a second, from the holder only
    first.close()  # a clean stop releases the lock at once
    monkeypatch.setattr(second, "_checked_at", 0.0)  # its next check is due now
    end = time.monotonic() + 2.2
    while time.monotonic() < end:
        second.tick()
        time.sleep(0.05)
    assert second.holds is True and 1 <= len(second.sent) <= 3
    second.close()


def test_a_second_beat_process_stays_idle(broker, tmp_path):
    env = {**os.environ, "CELERY_BROKER_URL": broker}
    command = [sys.executable, "-m", "celery", "-A", "kcn_portal", "beat", "--loglevel=INFO"]
    first = subprocess.Popen([*command, "-s", str(tmp_path / "a")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        time.sleep(6)
        second = subprocess.Popen([*command, "-s", str(tmp_path / "b")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)  # fmt: skip
        time.sleep(8)
        second.terminate()
        idle_log = second.communicate(timeout=30)[0]
    finally:
        first.terminate()
        holder_log = first.communicate(timeout=30)[0]
    assert "this beat holds the lock kcn-portal:beat" in holder_log
    assert "another beat holds the lock kcn-portal:beat; this one stays idle" in idle_log
    assert "this beat holds the lock" not in idle_log
