"""The private-names contract of `make lint` (tools/import_contracts.py): what it finds in a module's source."""

from tools.import_contracts import private_uses

MODULES = {"reports", "reports.services", "reports.exporters", "zones", "zones._parts", "zones.views"}


def uses(module, source):
    return [str(use) for use in private_uses(module, source, MODULES, is_package=False)]


def test_private_names_taken_from_another_module_are_found():
    source = (
        "from reports import services\n"
        "import reports.exporters as ex\n"
        "from reports.services import _hidden, public\n"
        "services._rebuild()\n"
        "ex._styled\n"
        "services.__name__\n"
    )
    assert uses("zones.views", source) == [
        "zones.views:3 uses reports.services._hidden",
        "zones.views:4 uses reports.services._rebuild",
        "zones.views:5 uses reports.exporters._styled",
    ]


def test_a_private_module_is_usable_inside_its_own_package_only():
    assert uses("zones.views", "from . import _parts\nfrom zones._parts import helper\n") == []
    assert uses("reports.services", "from zones import _parts\n") == ["reports.services:1 uses zones._parts"]


def test_a_public_name_imported_under_a_private_alias_is_allowed():
    assert uses("zones.views", "from reports.services import require as _require\n") == []
