"""Forms of the reports pages, one module per aggregate: reports (the index), approval, corrections, plans.

The lists' query strings are read by the FilterSets of reports.filters.
"""
