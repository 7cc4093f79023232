"""Report scopes in words for templates: `{% load report_scopes %}` (kcn_format stays free of the apps)."""

from __future__ import annotations

from django import template

from reports import scopes

register = template.Library()


@register.filter
def scope_label(value) -> str:
    """`{{ "bloc:DBSH"|scope_label }}` → "Khối thi đua DBSH", "board:HNA" → the board's name, "national" → "Cả nước"."""
    try:
        return str((value if isinstance(value, scopes.Scope) else scopes.parse(str(value))).label)
    except scopes.ScopeError:
        return "" if value is None else str(value)
