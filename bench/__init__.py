"""Benchmarks (not tests): run with `make bench`; figures go to bench/results.json."""


def print_rows(rows: list[tuple[str, ...]], *, rule: bool = False) -> None:
    """Print rows of text as aligned columns (the first row is the heading; `rule` underlines it)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if rule and index == 0:
            print("  " + "  ".join("-" * width for width in widths))
