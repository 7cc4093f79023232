"""The report engine: how a figure is computed from the records, with no user, access check or transaction of
its own (the services decide who may build, and call it inside theirs).

- sources.py: the querysets behind every indicator (DOMAIN.md §5), which the drill-down pages list too;
- rollup.py: the SQL engine summing those querysets per board, combining boards into blocs and the nation;
- quality.py: the data-quality rules a build runs over the same sources (replacing a board's DataIssue rows);
- reference.py: the slow obvious computation from model instances, the tests' and the benchmark's oracle.
"""
