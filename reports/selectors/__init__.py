"""Reads of the reports app, one module per aggregate (import the module: `from reports.selectors import snapshots`).

snapshots (report versions, the §7 document, comparisons, what a restated version replaces), plans,
approval (a board's periods and their approval, warnings, reopen requests, approval marks), corrections,
deadlines (the reporting deadlines and every board's completeness and timeliness against them).
"""
