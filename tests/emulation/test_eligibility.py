"""The Prime Minister's Bằng khen as catalogue data, checked against a person's award history.

Rules of BK_TTG (checked for achievement year 2025): (a) a Minister's Bằng khen at any earlier time;
(b) Hoàn thành tốt nhiệm vụ 5 consecutive years ending 2024; (c) 3 Chiến sĩ thi đua cơ sở in 2020–2024.
"""

import datetime

import pytest

from emulation import eligibility
from emulation.enums import RecipientKind
from emulation.models import EligibilityRule
from emulation.services import awards

from .conftest import RULE_A, RULE_B, RULE_C, give


@pytest.fixture
def titles(eligibility_titles):
    return eligibility_titles


def explain(titles, person, year=2025):
    result = eligibility.check(person, titles["BK_TTG"], year)
    return result.eligible, [r.explanation for r in result.results]


def test_eligible_with_every_rule_met(titles, person):
    give(titles, person, "BK_BO", 2021)
    give(titles, person, "HTTNV", 2020, 2021, 2022, 2023, 2024)
    give(titles, person, "CSTDCS", 2019, 2021, 2022, 2024)
    assert explain(titles, person) == (
        True,
        [
            f"Đạt – {RULE_A}: Bằng khen của Bộ trưởng trước năm 2025: 1 lần (2021), cần 1.",
            f"Đạt – {RULE_B}: Hoàn thành tốt nhiệm vụ: 5 năm liên tục đến năm 2024 "
            "(2020, 2021, 2022, 2023, 2024), cần 5.",
            f"Đạt – {RULE_C}: Chiến sĩ thi đua cơ sở trong 5 năm 2020–2024: 3 lần (2021, 2022, 2024), cần 3.",
        ],
    )


def test_a_gap_year_breaks_the_consecutive_run(titles, person):
    give(titles, person, "BK_BO", 2021)
    give(titles, person, "HTTNV", 2018, 2019, 2020, 2021, 2023, 2024)
    give(titles, person, "CSTDCS", 2021, 2022, 2024)
    eligible, texts = explain(titles, person)
    assert eligible is False
    assert texts[1] == (
        f"Chưa đạt – {RULE_B}: Hoàn thành tốt nhiệm vụ: 2 năm liên tục đến năm 2024 (2023, 2024), cần 5."
    )
    assert texts[0] == f"Đạt – {RULE_A}: Bằng khen của Bộ trưởng trước năm 2025: 1 lần (2021), cần 1."
    assert texts[2] == f"Đạt – {RULE_C}: Chiến sĩ thi đua cơ sở trong 5 năm 2020–2024: 3 lần (2021, 2022, 2024), cần 3."


def test_two_cstdcs_in_the_window_are_not_enough(titles, person):
    give(titles, person, "BK_BO", 2021)
    give(titles, person, "HTTNV", 2020, 2021, 2022, 2023, 2024)
    give(titles, person, "CSTDCS", 2018, 2019, 2022, 2024)  # 2018 and 2019 are outside 2020–2024
    eligible, texts = explain(titles, person)
    assert eligible is False
    assert texts[2] == (
        f"Chưa đạt – {RULE_C}: Chiến sĩ thi đua cơ sở trong 5 năm 2020–2024: 2 lần (2022, 2024), cần 3."
    )


def test_a_ministers_bang_khen_of_the_year_checked_does_not_count(titles, person):
    give(titles, person, "BK_BO", 2025)
    give(titles, person, "HTTNV", 2020, 2021, 2022, 2023, 2024)
    give(titles, person, "CSTDCS", 2020, 2021, 2022)
    eligible, texts = explain(titles, person)
    assert eligible is False
    assert texts[0] == f"Chưa đạt – {RULE_A}: Bằng khen của Bộ trưởng trước năm 2025: 0 lần (không có), cần 1."
    assert texts[1:] == [
        f"Đạt – {RULE_B}: Hoàn thành tốt nhiệm vụ: 5 năm liên tục đến năm 2024 (2020, 2021, 2022, 2023, 2024), cần 5.",
        f"Đạt – {RULE_C}: Chiến sĩ thi đua cơ sở trong 5 năm 2020–2024: 3 lần (2020, 2021, 2022), cần 3.",
    ]


def test_a_consecutive_rule_with_a_shorter_window_is_refused_and_nothing_saved(titles):
    from django.core.exceptions import ValidationError

    from emulation.models import EligibilityRule

    with pytest.raises(ValidationError) as refused:
        awards.eligibility_rule_save(
            user=None, title=titles["BK_TTG"], description="4 năm liên tục trong 3 năm", required=[titles["HTTNV"]],
            min_count=4, window_years=3, consecutive=True,
        )  # fmt: skip
    assert refused.value.message_dict == {"window_years": ["Số năm xét nhỏ hơn số năm liên tục cần có."]}
    assert EligibilityRule.objects.count() == 3


def test_a_decision_refused_keeps_none_of_the_recipients_it_named(titles, hna):
    from django.core.exceptions import ValidationError

    from emulation.models import AwardDecision, Recipient

    with pytest.raises(ValidationError) as refused:
        awards.award_decision_record(
            user=None, rows=[{"kind": RecipientKind.PERSON, "board": hna, "name": "Trần Văn Mới", "position": ""}],
            number="15/QĐ-BKHĐT", date=datetime.date(2024, 1, 10), issuer="Bộ trưởng", title=titles["BK_BO"],
            year=2025,
        )  # fmt: skip
    assert refused.value.message_dict == {"year": ["Năm thành tích không thể sau năm ra quyết định."]}
    assert (AwardDecision.objects.count(), Recipient.objects.filter(name="Trần Văn Mới").count()) == (0, 0)


def test_an_administrator_deletes_a_rule_in_the_admin_and_the_audit_keeps_what_it_said(client, titles, admin_user):
    from kcn_portal.core.models import AuditRecord

    rule = EligibilityRule.objects.get(title=titles["BK_TTG"], order=3)
    client.force_login(admin_user)
    response = client.post(f"/admin/emulation/eligibilityrule/{rule.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert list(EligibilityRule.objects.filter(title=titles["BK_TTG"]).values_list("order", flat=True)) == [1, 2]
    record = AuditRecord.objects.get(model="emulation.eligibilityrule", object_id=str(rule.pk), action="delete")
    assert (record.changes["min_count"], record.changes["required"]) == ([3, None], [["CSTDCS"], None])
