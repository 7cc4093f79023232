"""One beat per site: the scheduler that holds a Redis lock sends the scheduled jobs; any other stays idle.

Celery beat has no guard of its own: a second `celery beat` (a second machine, a restart that left the old
one running) sends every scheduled job twice. `SingleBeatScheduler` (CELERY_BEAT_SCHEDULER) takes the lock
`kcn-portal:beat` on the broker's Redis (SET NX with a TTL of LOCK_TTL seconds, renewed at least every
LOCK_RENEW seconds while it runs). A beat that does not hold it keeps its schedule turning — each entry is
reserved when due, as usual — but sends nothing, and takes over within LOCK_TTL seconds when the holder stops
(released at once on a clean stop). Every scheduled task is idempotent anyway (tests/core/test_beat.py runs
each twice in a row), so the one job a take-over could repeat changes nothing.

Without a Redis broker (tasks eager in-process, or another broker) there is no lock and the beat always sends.
"""

from __future__ import annotations

import logging
import time
import uuid

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

LOCK_KEY = "kcn-portal:beat"
LOCK_TTL = 60  # seconds: how long a lock outlives a beat that died without releasing it
LOCK_RENEW = 15  # seconds: the longest a beat sleeps, so the holder renews well before the TTL


class BeatLock:
    """A lock on Redis owned by one token; `hold()` takes or renews it and says whether this beat holds it."""

    def __init__(self, url: str, *, key: str = LOCK_KEY, ttl: int = LOCK_TTL):
        import redis

        self.redis = redis.Redis.from_url(url)
        self.key, self.ttl, self.token = key, ttl, uuid.uuid4().hex
        # Renew only if ours: compare and set the expiry atomically.
        self._renew = self.redis.register_script(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) end return 0"
        )
        self._release = self.redis.register_script(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
        )

    def hold(self) -> bool:
        if self._renew(keys=[self.key], args=[self.token, self.ttl]):
            return True
        return bool(self.redis.set(self.key, self.token, nx=True, ex=self.ttl))

    def release(self) -> None:
        self._release(keys=[self.key], args=[self.token])


class SingleBeatScheduler(PersistentScheduler):
    """PersistentScheduler that sends only while it holds the site's beat lock (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        self.lock: BeatLock | None = None
        self.holds: bool | None = True
        self._checked_at = 0.0
        super().__init__(*args, **kwargs)
        url = self.app.conf.broker_url or ""
        if url.startswith(("redis://", "rediss://")):
            self.lock = BeatLock(url)
            self.holds = None  # not known before the first tick: send nothing
        self.max_interval = min(self.max_interval, LOCK_RENEW)

    def _check_lock(self) -> None:
        if self.lock is None or time.monotonic() - self._checked_at < LOCK_RENEW / 3:
            return
        self._checked_at = time.monotonic()
        holds = self.lock.hold()
        if holds != self.holds:
            if holds:
                logger.info("beat: this beat holds the lock %s and sends the scheduled jobs", self.lock.key)
            else:
                logger.warning("beat: another beat holds the lock %s; this one stays idle", self.lock.key)
        self.holds = holds

    def tick(self, *args, **kwargs):
        self._check_lock()
        return super().tick(*args, **kwargs)

    def apply_entry(self, entry, producer=None):
        if not self.holds:
            logger.debug("beat: idle, %s not sent (another beat sends it)", entry.name)
            return
        super().apply_entry(entry, producer=producer)

    def close(self):
        if self.lock is not None and self.holds:
            self.lock.release()
        super().close()
