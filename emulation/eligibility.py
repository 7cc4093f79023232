"""Whether a recipient may be proposed for a title in a year, read from its award history.

Each EligibilityRule of the title is checked against the recipient's awards before that year and
explained in words: which earlier awards counted, and what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import AwardDecision, AwardTitle, EligibilityRule, Recipient


@dataclass(frozen=True)
class RuleResult:
    rule: EligibilityRule
    met: bool
    years: list[int]  # the years (of the required titles) that counted
    explanation: str


@dataclass(frozen=True)
class Eligibility:
    title: AwardTitle
    year: int
    results: list[RuleResult]

    @property
    def eligible(self) -> bool:
        return all(result.met for result in self.results)


def _years_text(years: list[int]) -> str:
    return ", ".join(str(year) for year in years) or _("không có")


def _consecutive_run(years: set[int], last: int) -> list[int]:
    """The unbroken run of years ending at `last` (empty when `last` is missing)."""
    run = []
    while last in years:
        run.append(last)
        last -= 1
    return sorted(run)


def check_rule(rule: EligibilityRule, history: list[tuple[int, str]], year: int) -> RuleResult:
    """One rule against (year, title code) pairs of the recipient's awards."""
    required = {title.code for title in rule.required.all()}
    names = ", ".join(title.name for title in rule.required.all())
    earliest = year - rule.window_years if rule.window_years else None
    years = sorted(y for y, code in history if code in required and y < year and (earliest is None or y >= earliest))
    if rule.consecutive:
        counted = _consecutive_run(set(years), year - 1)
        met = len(counted) >= rule.min_count
        text = _("%(names)s: %(found)s năm liên tục đến năm %(last)s (%(years)s), cần %(need)s.") % {
            "names": names, "found": len(counted), "last": year - 1, "years": _years_text(counted),
            "need": rule.min_count,
        }  # fmt: skip
    else:
        counted = years
        met = len(counted) >= rule.min_count
        within = (
            _("trong %(n)s năm %(start)s–%(end)s") % {"n": rule.window_years, "start": earliest, "end": year - 1}
            if rule.window_years
            else _("trước năm %(year)s") % {"year": year}
        )
        text = _("%(names)s %(within)s: %(found)s lần (%(years)s), cần %(need)s.") % {
            "names": names, "within": within, "found": len(counted), "years": _years_text(counted),
            "need": rule.min_count,
        }  # fmt: skip
    prefix = _("Đạt") if met else _("Chưa đạt")
    return RuleResult(rule=rule, met=met, years=counted, explanation=f"{prefix} – {rule.description}: {text}")


def history_of(recipient: Recipient) -> list[tuple[int, str]]:
    """(year of achievement, title code) of every award decision naming the recipient."""
    return list(AwardDecision.objects.filter(recipients=recipient).order_by("year").values_list("year", "title__code"))


def check(recipient: Recipient, title: AwardTitle, year: int) -> Eligibility:
    """Every rule of the title checked for the recipient in `year` (no rules: eligible, nothing to check)."""
    history = history_of(recipient)
    rules = title.rules.prefetch_related("required")
    return Eligibility(title=title, year=year, results=[check_rule(rule, history, year) for rule in rules])
