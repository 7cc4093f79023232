"""Every import of the project that lies on an import cycle between modules: `python -m tools.import_cycles`.

`make lint` refuses new cycles (the `acyclic_siblings` contract of pyproject.toml, which lists the imports it
still tolerates); this prints the raw picture from the same import graph, lazy imports inside functions
included and `if TYPE_CHECKING:` imports left out. Exit status 1 when there is any cycle.
"""

from __future__ import annotations

import sys

import grimp

ROOTS = ("kcn_portal", "zones", "investment", "emulation", "reports", "web")


def imports_on_cycles() -> list[tuple[str, str]]:
    """(importer, imported) for each direct import whose imported module leads back to the importer."""
    graph = grimp.build_graph(*ROOTS, exclude_type_checking_imports=True, cache_dir=None)
    return sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.find_shortest_chain(importer=imported, imported=importer)
    )


def main() -> int:
    found = imports_on_cycles()
    print(f"{len(found)} imports on an import cycle", *(f"  {a} -> {b}" for a, b in found), sep="\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
