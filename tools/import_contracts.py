"""An import-linter contract: no module uses another module's private name (`_name`).

import-linter's own contracts see modules, not names, so this one reads the source: in every module
of the checked packages (minus the excluded ones: tests, migrations) it looks for
`from x import _name`, `import x` … `x._name` and `from p import x` … `x._name` where x is a module of
the project. A private *module* (`pkg/_part.py`) stays usable inside its own package, as import-linter's
`private_modules` contract allows. Dunder names (`__version__`) are not private.

    [[tool.importlinter.contracts]]
    name = "No module uses another module's private name"
    type = "private_names"
    exclude = ["**.migrations.**"]
"""

from __future__ import annotations

import ast
import importlib.util
import os
from dataclasses import dataclass

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck
from importlinter.domain.helpers import module_expressions_to_modules


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@dataclass(frozen=True, order=True)
class Use:
    importer: str
    line: int
    name: str  # the private name as written: "reports.exporters._styled"

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} uses {self.name}"


def module_file(module: str, roots: dict[str, str]) -> str | None:
    """The source file of a project module, from the directory of its root package."""
    root, *parts = module.split(".")
    base = os.path.join(roots[root], *parts)
    for candidate in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(candidate):
            return candidate
    return None


def private_uses(module: str, source: str, modules: set[str], is_package: bool) -> list[Use]:
    """Every private name of another project module that `module`'s source imports or reads."""
    package = module if is_package else module.rpartition(".")[0]
    bound: dict[str, str] = {}  # local name → the project module it stands for
    uses: list[Use] = []

    def allowed(owner: str, name: str) -> bool:
        # A private submodule is the package's own business: usable from inside that package.
        return f"{owner}.{name}" in modules and (module == owner or module.startswith(owner + "."))

    def check(owner: str, name: str, line: int) -> None:
        if owner != module and is_private(name) and not allowed(owner, name):
            uses.append(Use(module, line, f"{owner}.{name}"))

    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules or alias.name.split(".")[0] in modules:
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        bound[top] = top
                for part in alias.name.split(".")[1:]:
                    if is_private(part):
                        check(alias.name.rsplit("." + part, 1)[0], part, node.lineno)
                        break
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                owner = ".".join([*base, *([node.module] if node.module else [])])
            else:
                owner = node.module or ""
            if owner not in modules:
                continue
            for alias in node.names:
                check(owner, alias.name, node.lineno)
                if f"{owner}.{alias.name}" in modules:
                    bound[alias.asname or alias.name] = f"{owner}.{alias.name}"
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        # The dotted chain a.b.c._d read from the left: resolve the longest module prefix.
        chain, value = [node.attr], node.value
        while isinstance(value, ast.Attribute):
            chain.insert(0, value.attr)
            value = value.value
        if not isinstance(value, ast.Name) or value.id not in bound:
            continue
        owner = bound[value.id]
        for attr in chain:
            if f"{owner}.{attr}" in modules and not is_private(attr):
                owner = f"{owner}.{attr}"
                continue
            check(owner, attr, node.lineno)
            break
    return sorted(set(uses))


class PrivateNamesContract(Contract):
    """Modules of the root packages use no private name of another project module.

    Options:
        - exclude: module expressions not checked (their imports of private names are allowed).
    """

    type_name = "private_names"

    exclude = fields.SetField(subfield=fields.ModuleExpressionField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        roots = {}
        for root in self.session_options["root_packages"]:
            spec = importlib.util.find_spec(root)
            roots[root] = spec.submodule_search_locations[0]
        modules = set(graph.modules)
        excluded = {m.name for m in module_expressions_to_modules(graph, self.exclude or ())}
        uses: list[Use] = []
        for module in sorted(modules - excluded):
            if module.split(".")[0] not in roots:
                continue
            path = module_file(module, roots)
            if path is None:
                continue
            with open(path, encoding="utf-8") as stream:
                uses += private_uses(module, stream.read(), modules, path.endswith("__init__.py"))
        return ContractCheck(kept=not uses, metadata={"uses": [str(use) for use in uses]})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Private names used outside the module that defines them:", bold=False)
        output.new_line()
        for use in check.metadata["uses"]:
            output.print_error(f"- {use}", bold=False)
        output.new_line()
