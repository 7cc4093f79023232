"""bench.pages asks every named GET route of the permission matrix, as the roles that read it there."""

from bench import pages
from tests.security.test_permission_matrix import ROUTES as MATRIX


def test_the_benchmark_asks_every_page_the_matrix_lets_someone_read():
    readable = {name for name, route in MATRIX.items() if route.get}
    assert sorted(set(pages.ROUTES) ^ readable) == []


def test_each_page_is_asked_as_the_roles_that_read_it():
    # The bloc leader ("B") also reads a bloc's report where the matrix's board report is the members'.
    scoped = {"reports:report_detail", "reports:report_compare", "reports:report_drilldown"}
    scoped |= {"api:report", "api:report-versions", "api:report-restated"}
    differ = {
        name: (MATRIX[name].get, route.roles)
        for name, route in pages.ROUTES.items()
        if set(route.roles) != set(MATRIX[name].get) - {"O"} and name not in scoped
    }
    assert differ == {}
    assert {pages.ROUTES[name].roles for name in scoped} == {"SLBM"}
