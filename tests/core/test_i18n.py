"""The gettext catalogues: complete, placeholders kept, English pages, Vietnamese API errors.

locale/en translates the portal's Vietnamese msgids to English; locale/vi gives Vietnamese to the
English messages of DRF, Django, django-filter and django-axes that their own catalogues lack.
"""

import io
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

from web.views import LoginForm

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = {language: LOCALE / language / "LC_MESSAGES" / "django.po" for language in ("en", "vi")}
PLURAL_FORMS = {"en": "nplurals=2; plural=(n != 1);", "vi": "nplurals=1; plural=0;"}
ZONES = "/api/v1/zones/"
# %(name)s / %(n)d, positional %s / %d, and {name} or {name:X} (DRF's brace format).
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{(\w+)(?::[^{}]*)?\}")
TAG = re.compile(r"<[^<>]+>")


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogues():
    # `make test` compiles first; a bare `pytest` right after editing a .po must not read a stale .mo.
    if any(
        not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
        for po in CATALOGUES.values()
    ):
        call_command("compile_catalogues", stdout=io.StringIO())
        translation_file_changed(sender=None, file_path=Path("django.mo"))  # Django's own cache reset


def _placeholders(text):
    # Compared by name: DRF's {code_point:X} counts as {code_point}.
    return {f"{{{m.group(1)}}}" if m.group(1) else m.group(0) for m in PLACEHOLDER.finditer(text)}


def _translations(entry):
    return [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())


@pytest.mark.parametrize("language", ["en", "vi"])
def test_catalogue_is_complete(language):
    po = polib.pofile(str(CATALOGUES[language]))
    header = (po.metadata["Language"], po.metadata["Plural-Forms"], po.metadata["Content-Type"])
    assert header == (language, PLURAL_FORMS[language], "text/plain; charset=UTF-8")
    assert (bool(po.metadata_is_fuzzy), po.obsolete_entries()) == (False, [])
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    nplurals = 2 if language == "en" else 1
    assert [e.msgid for e in po if e.msgid_plural and sorted(e.msgstr_plural) != list(range(nplurals))] == []


@pytest.mark.parametrize("language", ["en", "vi"])
def test_placeholders_and_html_are_kept(language):
    po = polib.pofile(str(CATALOGUES[language]))
    broken = [
        (entry.msgid, text)
        for entry in po
        for text in _translations(entry)
        if _placeholders(text) != _placeholders(entry.msgid) or set(TAG.findall(text)) != set(TAG.findall(entry.msgid))
    ]
    assert broken == []
    assert len(po) > 200  # the check above ran over the real catalogue, not an empty one


def test_placeholder_pattern():
    assert _placeholders("%(count)s lỗi; %(n)d, %s, {max_digits} U+{code_point:X} (%)") == {
        "%(count)s",
        "%(n)d",
        "%s",
        "{max_digits}",
        "{code_point}",
    }


def test_login_page_in_english_with_language_cookie(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/login/").content.decode()
    assert settings.LANGUAGE_COOKIE_NAME == "django_language"
    assert '<html lang="en">' in html
    assert "<title>Sign in · KCN Portal</title>" in html
    assert '<h1 class="h3 mb-3">Sign in</h1>' in html
    assert '<label class="form-label" for="id_username">Username' in html
    assert '<label class="form-label" for="id_password">Password' in html
    assert '<button type="submit" class="btn btn-primary w-100">Sign in</button>' in html


def test_wrong_password_is_refused_in_english(client, hna_staff):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.post("/login/", {"username": "hna.staff", "password": "sai"}).content.decode()
    assert "Incorrect username or password. Note that the password is case-sensitive." in html
    assert "Tên đăng nhập" not in html


def test_login_template_under_english_override(db):
    with translation.override("en"):
        html = render_to_string("registration/login.html", {"form": LoginForm()})
    assert '<h1 class="h3 mb-3">Sign in</h1>' in html
    assert (
        '<p class="text-muted">Portal of the management boards of industrial, export-processing and economic zones</p>'
        in html
    )
    assert '<label class="form-label" for="id_password">Password' in html


def test_english_catalogue_uses_the_glossary():
    with translation.override("en"):
        texts = [translation.gettext(m) for m in ("Đã cho thuê", "Tỷ lệ lấp đầy", "Lãnh đạo Ban", "Cán bộ Bộ")]
        assert texts == ["Leased", "Occupancy", "Board leader", "Ministry official"]
        assert translation.gettext("diện tích đất công nghiệp (ha)") == "industrial land (ha)"
        assert translation.gettext("Trang %(number)s/%(total)s") % {"number": 2, "total": 5} == "Page 2 of 5"


def test_api_refuses_anonymous_in_vietnamese(api_client, db):
    response = api_client.get(ZONES)
    assert (response.status_code, response.json()) == (401, {"detail": "Chưa cung cấp thông tin xác thực."})
    assert response["WWW-Authenticate"] == "Token"


def test_api_refuses_bad_tokens_in_vietnamese(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Token khong-co-that")
    assert api_client.get(ZONES).json() == {"detail": "Token không hợp lệ."}
    api_client.credentials(HTTP_AUTHORIZATION="Token a b")
    assert api_client.get(ZONES).json() == {
        "detail": "Header Token không hợp lệ: chuỗi token không được chứa dấu cách."
    }


def test_api_speaks_english_when_asked(api_client, db):
    response = api_client.get(ZONES, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()) == (401, {"detail": "Authentication credentials were not provided."})


def test_api_field_errors_in_vietnamese(api_client, hna_staff, hna):
    api_client.force_authenticate(hna_staff)
    payload = {"code": "", "name": None, "board": "HNA", "kind": "XX", "status": "planned"}
    payload |= {"natural_area_ha": 10, "industrial_land_ha": 5, "leased_land_ha": 1}
    payload |= {"established_on": "20/05/2019", "has_wastewater_plant": "có lẽ"}
    response = api_client.post(ZONES, payload, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {
            "code": ["Trường này không được bỏ trống."],
            "name": ["Trường này không được để null."],
            "kind": ["“XX” không phải là lựa chọn hợp lệ."],
            "established_on": ["Ngày sai định dạng. Hãy dùng một trong các định dạng sau: YYYY-MM-DD."],
            "has_wastewater_plant": ["Phải là giá trị đúng/sai (true/false) hợp lệ."],
        },
    )


def test_api_request_errors_in_vietnamese(api_client, hna_staff, hna_zone):
    api_client.force_authenticate(hna_staff)
    assert api_client.get(ZONES, {"page": 9}).json() == {"detail": "Trang không hợp lệ."}
    response = api_client.delete(f"{ZONES}{hna_zone.pk}/")
    assert (response.status_code, response.json()) == (405, {"detail": "Phương thức “DELETE” không được chấp nhận."})
    response = api_client.post(ZONES, "[]", content_type="application/json")
    assert response.json() == {
        "non_field_errors": ["Dữ liệu không hợp lệ: cần một từ điển (đối tượng JSON) nhưng nhận được list."]
    }


def test_token_endpoint_errors_in_vietnamese(api_client, db):
    response = api_client.post("/api/v1/auth/token/", {}, format="json")
    assert response.json() == {"username": ["Trường này là bắt buộc."], "password": ["Trường này là bắt buộc."]}
