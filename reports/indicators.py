"""The indicator codes of DOMAIN.md §5 (a contract: other systems read these codes).

Only the codes and their units for now: plans (the `plans` sheet) are validated against
them. Names, definitions and the catalogue page come with the reports issue.
"""

from __future__ import annotations

COUNT, VND, USD, HA, PCT, PEOPLE = "count", "VND", "USD", "ha", "%", "people"


def _expand(pattern: str, unit_by_currency: bool = True) -> list[tuple[str, str]]:
    codes = []
    for kind in ("fdi", "ddi"):
        if unit_by_currency:
            codes += [(pattern.format(kind=kind, cur="usd"), USD), (pattern.format(kind=kind, cur="vnd"), VND)]
        else:
            codes.append((pattern.format(kind=kind), COUNT))
    return codes


INDICATOR_UNITS: dict[str, str] = dict(
    [
        ("new_projects", COUNT),
        ("new_projects_fdi", COUNT),
        ("new_projects_ddi", COUNT),
        *_expand("new_capital_{kind}_{cur}"),
        ("adjustments", COUNT),
        ("adjustments_fdi", COUNT),
        ("adjustments_ddi", COUNT),
        *_expand("capital_increase_adjustments_{kind}", unit_by_currency=False),
        *_expand("added_capital_{kind}_{cur}"),
        *_expand("net_capital_change_{kind}_{cur}"),
        *_expand("new_and_added_capital_{kind}_{cur}"),
        *_expand("terminated_projects_{kind}", unit_by_currency=False),
        ("valid_projects", COUNT),
        ("valid_projects_fdi", COUNT),
        ("valid_projects_ddi", COUNT),
        *_expand("valid_capital_{kind}_{cur}"),
        *_expand("implemented_capital_{kind}_{cur}"),
        ("implemented_ratio_pct", PCT),
        ("zones_total", COUNT),
        ("zones_operating", COUNT),
        ("zones_under_construction", COUNT),
        ("zone_area_ha", HA),
        ("industrial_land_ha", HA),
        ("leased_land_ha", HA),
        ("occupancy_pct", PCT),
        ("revenue_vnd", VND),
        ("production_value_vnd", VND),
        ("export_usd", USD),
        ("import_usd", USD),
        ("budget_vnd", VND),
        ("employees", PEOPLE),
        ("employees_foreign", PEOPLE),
    ]
)

INDICATOR_CODES: tuple[str, ...] = tuple(INDICATOR_UNITS)
