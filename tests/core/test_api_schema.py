"""The API's frame: OpenAPI schema, the Swagger docs page served without a CDN, the root, 401s."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

SIDECAR = "/static/drf_spectacular_sidecar/swagger-ui-dist/"


@pytest.fixture
def client(client, hna_staff):
    """The schema and the docs page are for signed-in users (issue 19); any signed-in user reads them."""
    client.force_login(hna_staff)
    return client


def test_anonymous_users_get_neither_the_schema_nor_the_docs(db):
    anonymous = Client()
    for url in ("/api/v1/schema/?format=json", "/api/v1/docs/"):
        response = anonymous.get(url)
        assert (response.status_code, "openapi" in response.content.decode()) == (401, False)


def test_schema_is_openapi_with_every_endpoint(client, db):
    response = client.get("/api/v1/schema/", {"format": "json"})
    schema = json.loads(response.content)
    assert (schema["openapi"][:2], schema["info"]["title"]) == ("3.", "KCN Portal API")
    assert {path: sorted(ops) for path, ops in schema["paths"].items()} == {
        "/api/v1/auth/token/": ["post"],
        "/api/v1/boards/": ["get", "post"],
        "/api/v1/boards/{code}/": ["get", "patch", "put"],
        "/api/v1/enterprise-reports/": ["get", "post"],
        "/api/v1/enterprise-reports/{id}/": ["get", "patch", "put"],
        "/api/v1/exchange-rates/": ["get"],
        "/api/v1/indicators/": ["get"],
        "/api/v1/reports/{scope}/{period}/": ["get"],
        "/api/v1/reports/{scope}/{period}/build/": ["post"],
        "/api/v1/reports/{scope}/{period}/versions/": ["get"],
        "/api/v1/reports/{scope}/{period}/accept/": ["post"],
        "/api/v1/reports/{scope}/{period}/restated/": ["get"],
        "/api/v1/boards/{code}/approvals/": ["get", "post"],
        "/api/v1/boards/{code}/approvals/{period}/": ["get"],
        "/api/v1/boards/{code}/data-issues/": ["get"],
        "/api/v1/reopen-requests/": ["post"],
        "/api/v1/reopen-requests/{id}/": ["get"],
        "/api/v1/reopen-requests/{id}/close/": ["post"],
        "/api/v1/reopen-requests/{id}/grant/": ["post"],
        "/api/v1/reopen-requests/{id}/refuse/": ["post"],
        "/api/v1/corrections/": ["get", "post"],
        "/api/v1/corrections/{id}/": ["get"],
        "/api/v1/corrections/{id}/approve/": ["post"],
        "/api/v1/corrections/{id}/reject/": ["post"],
        "/api/v1/exchange-rates/{id}/": ["get"],
        "/api/v1/projects/": ["get", "post"],
        "/api/v1/projects/{code}/": ["get", "patch"],
        "/api/v1/projects/{project_code}/events/": ["get", "post"],
        "/api/v1/projects/{project_code}/events/{id}/": ["get"],
        "/api/v1/projects/{project_code}/events/{id}/corrections/": ["post"],
        "/api/v1/zones/": ["get", "post"],
        "/api/v1/zones/{id}/": ["get", "patch", "put"],
        "/api/v1/award-decisions/": ["get", "post"],
        "/api/v1/award-decisions/{id}/": ["get"],
        "/api/v1/award-titles/": ["get"],
        "/api/v1/award-titles/{code}/": ["get"],
        "/api/v1/award-titles/{code}/eligibility/": ["get"],
        "/api/v1/bloc-years/{code}/{year}/registrations/": ["get"],
        "/api/v1/bloc-years/{code}/{year}/registrations/{board}/": ["get", "put"],
        "/api/v1/bloc-years/{code}/{year}/registrations/{board}/submit/": ["post"],
        "/api/v1/bloc-years/": ["get"],
        "/api/v1/bloc-years/{code}/{year}/": ["get"],
        "/api/v1/bloc-years/{code}/{year}/table/": ["get"],
        "/api/v1/bloc-years/{code}/{year}/rounds/{kind}/": ["get"],
        "/api/v1/bloc-years/{code}/{year}/rounds/{kind}/close/": ["post"],
        "/api/v1/bloc-years/{code}/{year}/rounds/{kind}/publish/": ["post"],
        "/api/v1/bloc-years/{code}/{year}/rounds/{kind}/ranking/": ["get"],
        "/api/v1/bloc-years/{code}/{year}/rounds/{kind}/scorecards/": ["get"],
        "/api/v1/bloc-years/{code}/{year}/rounds/{kind}/scorecards/{board}/": ["get"],
        "/api/v1/bloc-years/{code}/{year}/rounds/{kind}/scorecards/{board}/return/": ["post"],
        "/api/v1/bloc-years/{code}/{year}/rounds/{kind}/scorecards/{board}/review/": ["patch"],
        "/api/v1/bloc-years/{code}/{year}/rounds/{kind}/scorecards/{board}/self/": ["patch"],
        "/api/v1/bloc-years/{code}/{year}/rounds/{kind}/scorecards/{board}/submit/": ["post"],
        "/api/v1/movements/": ["get", "post"],
        "/api/v1/movements/{id}/": ["get", "patch"],
        "/api/v1/movements/{id}/advance/": ["post"],
    }


def test_schema_documents_zone_filters_and_if_match(client, db):
    paths = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)["paths"]
    assert [p["name"] for p in paths["/api/v1/zones/"]["get"]["parameters"]] == ["board", "kind", "page", "q", "status"]
    patch = paths["/api/v1/zones/{id}/"]["patch"]
    assert [p["name"] for p in patch["parameters"] if p["in"] == "header"] == ["If-Match"]
    assert sorted(patch["responses"]) == ["200", "412"]


def test_docs_page_uses_local_assets_only(client, db):
    html = client.get("/api/v1/docs/").content.decode()
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == [
        f"{SIDECAR}favicon-32x32.png",
        f"{SIDECAR}swagger-ui.css",
        f"{SIDECAR}swagger-ui-bundle.js",
        f"{SIDECAR}swagger-ui-standalone-preset.js",
    ]
    assert re.findall(r"https?://", html) == []
    assert '"/api/v1/schema/"' in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js") is not None


def test_unauthenticated_calls_are_401_with_a_token_challenge(api_client, hna_zone):
    for url in ("/api/v1/zones/", "/api/v1/boards/", f"/api/v1/zones/{hna_zone.pk}/", "/api/v1/projects/"):
        response = api_client.get(url)
        assert (response.status_code, response["WWW-Authenticate"], list(response.json())) == (
            401,
            "Token",
            ["detail"],
        )


def test_api_root_lists_every_collection(api_client, hna_staff):
    api_client.force_authenticate(hna_staff)
    assert api_client.get("/api/v1/").json() == {
        "boards": "http://testserver/api/v1/boards/",
        "zones": "http://testserver/api/v1/zones/",
        "projects": "http://testserver/api/v1/projects/",
        "enterprise-reports": "http://testserver/api/v1/enterprise-reports/",
        "exchange-rates": "http://testserver/api/v1/exchange-rates/",
        "bloc-years": "http://testserver/api/v1/bloc-years/",
        "movements": "http://testserver/api/v1/movements/",
        "award-decisions": "http://testserver/api/v1/award-decisions/",
        "award-titles": "http://testserver/api/v1/award-titles/",
        "reopen-requests": "http://testserver/api/v1/reopen-requests/",
        "corrections": "http://testserver/api/v1/corrections/",
    }
