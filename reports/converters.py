"""Path converters of the reports URLs (reports/urls.py): a segment that is not of its kind matches no route.

So no route depends on the order of the others — "approvals", "corrections" or "exports" are never read as
a scope, "file" never as a decision — and a malformed segment is the resolver's 404, the status the views
answered for it. Each converter asks the parser the rest of the code asks (a pattern of its own could
disagree with it) and hands the view the parsed value:

- `scope`: `board:HNA`, `bloc:DBSH`, `national` → reports.scopes.Scope, by its form only (scopes.parse_form).
  Whether the board or bloc exists is the view's question, asked after the login (ScopePeriodMixin), so
  an anonymous visitor is sent to the login page and learns nothing about which codes exist.
- `period`: `2019`, `2019-H1`, `2019-Q3`, `2019-M07`, `2019-YTD11` → kcn_portal.periods.Period.
- `board`: a board code of zones.models.code_validator's characters → the code (the view looks it up).
- `indicator`: an indicator code of the catalogue → kcn_portal.indicators.Indicator.
- `reopen_action`, `correction_action`: the leader's decisions on a reopen request and on a correction.

`to_url` takes the parsed value or its text, so `reverse()` and `{% url %}` give the paths they always gave.
The API (kcn_portal/api_router.py) keeps plain segments: there a malformed scope or period answers 400 with
the reason (DOMAIN.md §7), which a converter would turn into a 404.
"""

from __future__ import annotations

from django.urls.converters import StringConverter

from kcn_portal import periods
from kcn_portal.indicators import INDICATORS
from reports import scopes


class ScopeConverter(StringConverter):
    def to_python(self, value: str) -> scopes.Scope:
        return scopes.parse_form(value)  # ScopeError is a ValueError: no match

    def to_url(self, value) -> str:
        return str(value)


class PeriodConverter(StringConverter):
    def to_python(self, value: str) -> periods.Period:
        return periods.parse(value)  # PeriodError is a ValueError: no match

    def to_url(self, value) -> str:
        return str(value)


class BoardCodeConverter(StringConverter):
    regex = "[A-Za-z0-9_-]+"


class IndicatorConverter(StringConverter):
    def to_python(self, value: str):
        if value not in INDICATORS:
            raise ValueError(value)
        return INDICATORS[value]

    def to_url(self, value) -> str:
        return getattr(value, "code", value)


class ReopenActionConverter(StringConverter):
    regex = "grant|refuse|close"


class CorrectionActionConverter(StringConverter):
    regex = "approve|reject"


CONVERTERS = {
    "scope": ScopeConverter,
    "period": PeriodConverter,
    "board": BoardCodeConverter,
    "indicator": IndicatorConverter,
    "reopen_action": ReopenActionConverter,
    "correction_action": CorrectionActionConverter,
}
