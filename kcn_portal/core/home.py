"""The home page's "Việc cần làm": shortcuts to what each person has to do next.

Core draws the home page but must not know the apps above it: each app registers, when it starts
(its AppConfig.ready), a function giving the tasks of one person, and the home page lists what they
return in registration order (the order of INSTALLED_APPS). Each provider costs a fixed number of
queries, whatever the number of boards, projects or scorecards.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """One shortcut: what to do, in words, and the page where it is done."""

    text: str
    url: str


@dataclass(frozen=True)
class Asker:
    """Who opens the home page: the user, the boards they belong to and whether they read every board."""

    user: object
    boards: list
    overview: bool
    today: datetime.date


Provider = Callable[[Asker], list[Task]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider once (apps may be readied twice in tests)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def tasks(*, user, boards: list, overview: bool, today: datetime.date) -> list[Task]:
    asker = Asker(user=user, boards=boards, overview=overview, today=today)
    return [task for provider in _providers for task in provider(asker)]
