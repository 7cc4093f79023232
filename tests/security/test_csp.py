"""Content-Security-Policy (issue 19, doors left ajar): scripts only from the portal's files, no inline script."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_every_page_sends_the_policy_without_inline_script(client, hna_staff):
    for response in (client.get("/login/"), client.get("/")):
        header = response["Content-Security-Policy"]
        script = directives(header)["script-src"]
        assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
        assert script.startswith("'self'")
    client.force_login(hna_staff)
    header = client.get("/").headers["Content-Security-Policy"]
    assert "nonce-" not in header  # a page that uses no nonce sends none
    assert directives(header) == directives(POLICY.replace(" 'nonce-{nonce}'", ""))


def test_the_api_docs_inline_set_up_runs_by_the_requests_nonce(client, hna_staff):
    client.force_login(hna_staff)
    response = client.get("/api/v1/docs/")
    [nonce] = re.findall(r'<script nonce="([^"]+)">', response.content.decode())
    assert directives(response.headers["Content-Security-Policy"]) == directives(POLICY.format(nonce=nonce))


def test_no_template_of_the_portal_holds_an_inline_script_or_handler():
    inline = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag and "nonce=" not in tag:
                inline.append(f"{path.relative_to(TEMPLATES)}: {tag}")
        inline += [f"{path.relative_to(TEMPLATES)}: {m}" for m in re.findall(r'\son[a-z]+="', text)]
    assert inline == []
