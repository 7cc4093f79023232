"""The scoring pages: self-scoring with evidence, submitting, reviewing, the review centre, publication
and the year's conclusion (emulation/views/scoring.py; the conclusion: views/awards.py), on the conftest
bloc year (HNA leads, TBH is deputy, NDH a plain member; criteria 1.1 max 10, 1.2 max 5, 2.1 max 20;
a bonus and a penalty rule).
"""

import datetime
import html
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emulation.enums import RoundKind, RoundStatus, RuleKind, SubmissionStatus
from emulation.models import Attachment, Scorecard
from emulation.services import awards, scoring, years
from tests.factories import BoardFactory, MembershipFactory, UserFactory
from zones.enums import MembershipRole

from .conftest import points


def card_of(scoring_round, code):
    return Scorecard.objects.get(round=scoring_round, board__code=code)


def url(name, *args):
    return reverse(f"emulation:{name}", args=("DBSH", 2025, *args))


def card_url(code, name="scorecard_detail", *args):
    return url(name, "year_end", code, *args)


def text(response) -> str:
    """The page without tags and with entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def cells(response, row_attr: str) -> dict[str, str]:
    """{data-cell: text} of the table row carrying `row_attr` (e.g. 'data-criterion="1.1"')."""
    row = re.search(rf"<tr {row_attr}[^>]*>(.*?)</tr>", response.content.decode(), re.S).group(1)
    found = re.findall(r'data-cell="(\w+)"[^>]*>(.*?)</td>', row, re.S)
    return {name: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value)).split()) for name, value in found}


def self_form(card, values: dict, version=None) -> dict:
    """The self-scoring form as a browser posts it: {criterion code: (points, evidence)}."""
    data = {"version": card.version if version is None else version}
    for line in card.scores.select_related("criterion"):
        typed, evidence = values.get(line.criterion.code, ("", ""))
        data[f"points_{line.criterion_id}"], data[f"evidence_{line.criterion_id}"] = typed, evidence
    for claim in card.claims.all():
        data[f"count_{claim.rule_id}"], data[f"note_{claim.rule_id}"] = "0", ""
    return data


def review_form(card, values: dict) -> dict:
    data = {"version": card.version}
    for line in card.scores.select_related("criterion"):
        typed, comment = values.get(line.criterion.code, ("", ""))
        data[f"rpoints_{line.criterion_id}"], data[f"comment_{line.criterion_id}"] = typed, comment
    for claim in card.claims.all():
        data[f"rcount_{claim.rule_id}"] = "0"
    return data


def submitted(year_end, code, scores=None):
    card = card_of(year_end, code)
    scoring.scorecard_self_save(
        user=None, scorecard=card, scores=points(card, scores or {"1.1": 10, "1.2": 5, "2.1": 20})
    )
    return scoring.scorecard_submit(user=None, scorecard=card)


def publish(year_end, hna_leader, tbh_leader):
    """Every card scored, submitted and fully reviewed (HNA by TBH, the others by HNA), closed, published."""
    for code, reviewed in (("HNA", {"1.1": 9, "1.2": 5, "2.1": 16}), ("TBH", {"1.1": 8, "1.2": 4.5, "2.1": 17.5}),
                           ("NDH", {"1.1": 9.75, "1.2": 5, "2.1": 15.25})):  # fmt: skip
        card = submitted(year_end, code)
        reviewer = tbh_leader if code == "HNA" else hna_leader
        scoring.scorecard_review(user=reviewer, scorecard=card, reviews=points(card, reviewed),
                                  claims={c.rule_id: {"count": 0} for c in card.claims.all()})  # fmt: skip
    scoring.round_close(user=hna_leader, scoring_round=year_end)
    return scoring.round_publish(user=hna_leader, scoring_round=year_end)


# --- self-scoring ----------------------------------------------------------------------------------


def test_self_scoring_through_the_page_saves_exact_points_and_evidence(client, year_end, ndh_staff):
    card = card_of(year_end, "NDH")
    client.force_login(ndh_staff)
    data = self_form(card, {"1.1": ("8", "Báo cáo số 12/BC"), "1.2": ("4.5", ""), "2.1": ("", "")})
    response = client.post(card_url("NDH"), data)
    assert response["Location"] == card_url("NDH")
    saved = {s.criterion.code: (s.self_points, s.evidence) for s in card.scores.select_related("criterion")}
    assert {code: (str(p) if p is not None else None, e) for code, (p, e) in saved.items()} == {
        "1.1": ("8.00", "Báo cáo số 12/BC"), "1.2": ("4.50", ""), "2.1": (None, "")}  # fmt: skip
    assert "Đã lưu điểm tự chấm." in text(client.get(card_url("NDH")))


def test_a_vietnamese_decimal_comma_is_accepted_and_shown_back(client, year_end, ndh_staff):
    card = card_of(year_end, "NDH")
    client.force_login(ndh_staff)
    client.post(card_url("NDH"), self_form(card, {"1.1": ("9,75", "Hồ sơ")}))
    line = card.scores.get(criterion__code="1.1")
    assert str(line.self_points) == "9.75"
    page = client.get(card_url("NDH"))
    assert f'name="points_{line.criterion_id}" value="9,75"' in page.content.decode()


def test_points_over_the_maximum_are_refused_with_the_exact_message_and_nothing_is_saved(client, year_end, ndh_staff):
    card = card_of(year_end, "NDH")
    client.force_login(ndh_staff)
    response = client.post(card_url("NDH"), self_form(card, {"1.1": ("10,5", "x"), "1.2": ("4", "y")}))
    assert response.status_code == 200
    assert "Tiêu chí 1.1: 10,5 điểm vượt quá điểm chuẩn 10." in text(response)
    assert list(card.scores.values_list("self_points", "evidence")) == [(None, "")] * 3
    card.refresh_from_db()
    assert card.version == 1


def test_a_stale_version_is_refused_and_saves_nothing(client, year_end, ndh_staff):
    card = card_of(year_end, "NDH")
    scoring.scorecard_self_save(user=None, scorecard=card, scores=points(card, {"1.1": 7}))
    client.force_login(ndh_staff)
    response = client.post(card_url("NDH"), self_form(card, {"1.1": ("9", "")}, version=1))
    assert "Phiếu đã được người khác thay đổi trong lúc bạn sửa. Chưa có gì được lưu" in text(response)
    line = card.scores.get(criterion__code="1.1")
    assert str(line.self_points) == "7.00"
    # The typed 9 stays in the input; the stored 7 is shown under it.
    assert f'name="points_{line.criterion_id}" value="9"' in response.content.decode()
    assert cells(response, 'data-criterion="1.1"')["self"] == "đang lưu: 7,00"
    assert response.context["self_form"]["version"].value() == "2"  # saving again is a deliberate choice


# --- submit, review, return ------------------------------------------------------------------------


def test_the_members_leader_submits_from_the_page(client, year_end, ndh_leader):
    card = card_of(year_end, "NDH")
    scoring.scorecard_self_save(user=None, scorecard=card, scores=points(card, {"1.1": 9, "1.2": 5, "2.1": 20}))
    client.force_login(ndh_leader)
    assert 'data-action="submit"' in client.get(card_url("NDH")).content.decode()
    response = client.post(card_url("NDH", "scorecard_submit"), follow=True)
    card.refresh_from_db()
    assert card.status == SubmissionStatus.SUBMITTED
    assert "Đã gửi phiếu tự chấm." in text(response)


def test_a_reviewer_reviews_and_the_member_sees_both_scores_and_the_difference(
    client, year_end, hna, hna_leader, ndh_staff
):
    card = submitted(year_end, "NDH", {"1.1": 9.75, "1.2": 5, "2.1": 20})
    client.force_login(hna_leader)
    before = dict(re.findall(r'data-total="(\w+)">([^<]*)<', client.get(card_url("NDH")).content.decode()))
    assert before == {"self": "34,75", "reviewed": "–", "bonus": "–", "penalty": "–", "total": "–"}  # not yet 0
    form = review_form(card, {"1.1": ("9", "Thiếu minh chứng quý IV"), "1.2": ("5", ""), "2.1": ("20", "")})
    assert client.post(card_url("NDH", "scorecard_review"), form)["Location"] == card_url("NDH")
    line = card.scores.get(criterion__code="1.1")
    assert (str(line.reviewed_points), line.review_comment, line.reviewed_by_board) == (
        "9.00",
        "Thiếu minh chứng quý IV",
        hna,
    )
    client.force_login(ndh_staff)
    page = client.get(card_url("NDH"))
    row = cells(page, 'data-criterion="1.1" class="table-warning"')
    assert row.pop("comment").startswith("Thiếu minh chứng quý IV HNA, ")
    assert row == {"max": "10,00", "self": "9,75", "evidence": "Báo cáo", "reviewed": "9,00", "difference": "-0,75"}
    assert cells(page, 'data-criterion="1.2"')["difference"] == "0"
    totals = dict(re.findall(r'data-total="(\w+)">([^<]*)<', page.content.decode()))
    assert totals == {"self": "34,75", "reviewed": "34,00", "bonus": "0,00", "penalty": "0,00", "total": "34,00"}


def test_the_leaders_own_card_offers_no_review_and_a_review_post_is_refused(client, year_end, hna_leader):
    card = submitted(year_end, "HNA")
    client.force_login(hna_leader)
    page = client.get(card_url("HNA"))
    assert page.context["review_form"] is None and 'id="review-form"' not in page.content.decode()
    response = client.post(card_url("HNA", "scorecard_review"), review_form(card, {"1.1": ("1", "")}))
    assert response.status_code == 403
    assert card.scores.filter(reviewed_points__isnull=False).count() == 0


def test_returning_needs_a_note_and_the_member_sees_it(client, year_end, hna_leader, ndh_staff):
    card = submitted(year_end, "NDH")
    client.force_login(hna_leader)
    refused = client.post(card_url("NDH", "scorecard_return"), {"note": " "})
    assert "Cần ghi lý do trả lại phiếu." in text(refused)
    client.post(card_url("NDH", "scorecard_return"), {"note": "Bổ sung minh chứng tiêu chí 2.1"})
    card.refresh_from_db()
    assert card.status == SubmissionStatus.DRAFT
    client.force_login(ndh_staff)
    assert "Phiếu được trả lại để sửa: Bổ sung minh chứng tiêu chí 2.1" in text(client.get(card_url("NDH")))


# --- visibility ------------------------------------------------------------------------------------


def test_a_member_cannot_open_another_card_before_publication_but_sees_the_ranking_after(
    client, year_end, hna_leader, tbh_leader, ndh_staff
):
    client.force_login(ndh_staff)
    assert client.get(card_url("HNA")).status_code == 404
    assert client.post(card_url("HNA"), {"version": 1}).status_code == 404
    assert [row.card.board.code for row in client.get(url("round_detail", "year_end")).context["rows"]] == ["NDH"]
    publish(year_end, hna_leader, tbh_leader)
    hna_line = cells(client.get(card_url("HNA")), 'data-criterion="2.1"')
    assert hna_line.pop("comment").startswith("TBH, ")  # the reviewer's board, then when
    assert hna_line == {
        "max": "20,00",
        "self": "20,00",
        "evidence": "Báo cáo",
        "reviewed": "16,00",
        "difference": "-4,00",
    }
    page = client.get(url("round_detail", "year_end"))
    assert cells(page, 'data-member="NDH"')["difference"] == "-5,00"
    assert cells(page, 'data-ranked="NDH"') == {
        "rank": "1", "self": "35,00", "reviewed": "30,00", "bonus": "0,00", "penalty": "0,00", "total": "30,00",
        "tie_note": "Bằng điểm, xét theo: Điểm thẩm định cao hơn ở nhóm tiêu chí trước (theo thứ tự nhóm)",
    }  # fmt: skip
    assert [row.card.board.code for row in page.context["rows"]] == ["HNA", "NDH", "TBH"]


def test_the_review_centre_shows_progress_lateness_and_the_preview(client, year_end, hna_leader, ministry_user):
    card = submitted(year_end, "NDH")
    Scorecard.objects.filter(pk=card.pk).update(submitted_at=datetime.datetime(2025, 12, 16, 9, tzinfo=datetime.UTC))
    scoring.scorecard_review(user=hna_leader, scorecard=card, reviews=points(card, {"1.1": 8}))
    client.force_login(ministry_user)
    page = client.get(url("round_detail", "year_end"))
    assert cells(page, 'data-member="NDH"') == {
        "scored": "3/3", "submitted": "Đã gửi 16/12/2025 16:00 Gửi muộn", "reviewed": "1/3",
        "self_total": "35,00", "reviewed_total": "8,00", "difference": "–",
    }  # fmt: skip
    assert cells(page, 'data-member="HNA"')["submitted"] == "Chưa gửi"
    assert cells(page, 'data-preview-member="NDH"') == {"rank": "1", "total": "8,00"}
    assert [(c.rank, b.code, str(c.total)) for c, b in page.context["preview"]] == [
        (1, "NDH", "8.00"), (2, "HNA", "0.00"), (2, "TBH", "0.00")]  # fmt: skip


def test_close_and_publish_buttons_are_the_leaders_only(client, year_end, hna_leader, tbh_leader, ndh_leader):
    shown = {}
    for user in (hna_leader, tbh_leader, ndh_leader):
        client.force_login(user)
        content = client.get(url("round_detail", "year_end")).content.decode()
        shown[user.username] = re.findall(r'data-action="(close|publish)"', content)
    assert shown == {"hna.lead": ["close"], "tbh.lead": [], "ndh.lead": []}
    client.force_login(tbh_leader)
    assert client.post(url("round_close", "year_end")).status_code == 403
    year_end.refresh_from_db()
    assert year_end.status == RoundStatus.OPEN


def test_close_then_publish_through_the_buttons(client, year_end, hna_leader, tbh_leader):
    for code in ("HNA", "TBH", "NDH"):
        card = submitted(year_end, code)
        reviewer = tbh_leader if code == "HNA" else hna_leader
        scoring.scorecard_review(user=reviewer, scorecard=card, reviews=points(card, {"1.1": 9, "1.2": 5, "2.1": 20}))
    client.force_login(hna_leader)
    closed = client.post(url("round_close", "year_end"), follow=True)
    assert re.findall(r'data-action="(close|publish)"', closed.content.decode()) == ["publish"]
    published = client.post(url("round_publish", "year_end"), follow=True)
    assert "Đã công bố kết quả xếp hạng." in text(published)
    year_end.refresh_from_db()
    assert year_end.status == RoundStatus.PUBLISHED


def open_year(bloc_code: str, boards, criteria: int = 1):
    """Another bloc's 2025 with the given members (first leads, second is deputy), `criteria` criteria in
    two groups and a bonus rule; its year-end round, opened."""
    bloc = years.bloc_save(user=None, code=bloc_code, name=bloc_code, ministry="Bộ Tài chính")
    year = years.bloc_year_save(user=None, bloc=bloc, year=2025, members=boards, leader=boards[0], deputy=boards[1])
    table = scoring.table_create(user=None, bloc_year=year)
    groups = [scoring.group_save(user=None, table=table, order=n, name=f"Nhóm {n}") for n in (1, 2)]
    for n in range(1, criteria + 1):
        group = groups[(n - 1) * 2 // criteria] if criteria > 1 else groups[0]
        scoring.criterion_save(user=None, group=group, order=n, code=str(n), name=f"Tiêu chí {n}", max_points="10")
    scoring.rule_save(user=None, table=table, kind=RuleKind.BONUS, order=1, name="Sáng kiến", points="1", cap="3")
    dates = {"opens_on": datetime.date(2025, 11, 1), "closes_on": datetime.date(2025, 12, 1)}
    scoring_round = scoring.round_save(user=None, bloc_year=year, kind=RoundKind.YEAR_END, **dates)
    return scoring.round_open(user=None, scoring_round=scoring_round)


def test_the_review_centre_needs_the_same_queries_for_three_or_five_members(client, hna, tbh, ndh, hna_leader):
    open_year("BA", [hna, tbh, ndh])
    open_year("NAM", [hna, tbh, ndh, BoardFactory(code="QNI"), BoardFactory(code="NBH")])
    client.force_login(hna_leader)
    counts = []
    for code, members in (("BA", 3), ("NAM", 5)):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("emulation:round_detail", args=(code, 2025, "year_end")))
        assert len(page.context["rows"]) == len(page.context["preview"]) == members
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_scorecard_needs_the_same_queries_for_three_or_six_criteria(client, hna, tbh, ndh, hna_leader):
    counts = []
    for code, criteria in (("BA", 3), ("NAM", 6)):
        card = card_of(open_year(code, [hna, tbh, ndh], criteria), "NDH")
        scoring.scorecard_self_save(
            user=None, scorecard=card, scores=points(card, dict.fromkeys(map(str, range(1, criteria + 1)), 9))
        )
        scoring.scorecard_submit(user=None, scorecard=card)
        scoring.scorecard_review(
            user=hna_leader,
            scorecard=card,
            reviews=points(card, {"1": 8}),
            claims={c.rule_id: {"count": 1} for c in card.claims.all()},
        )
        client.force_login(hna_leader)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("emulation:scorecard_detail", args=(code, 2025, "year_end", "NDH")))
        assert len(re.findall(r'<tr data-criterion="', page.content.decode())) == criteria
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- evidence files --------------------------------------------------------------------------------


def test_a_fake_pdf_is_refused_with_the_files_message(client, year_end, ndh_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    line = card_of(year_end, "NDH").scores.get(criterion__code="1.1")
    client.force_login(ndh_staff)
    upload = SimpleUploadedFile("bao-cao.pdf", b"chi la van ban", content_type="application/pdf")
    response = client.post(card_url("NDH", "evidence_add"), {"score": line.pk, "file": upload})
    assert response.status_code == 200
    assert "Nội dung tệp 'bao-cao.pdf' không đúng định dạng .pdf." in text(response)
    assert Attachment.objects.count() == 0


def test_evidence_is_uploaded_downloaded_by_who_may_read_it_and_deleted(
    client, year_end, ndh_staff, hna_staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    line = card_of(year_end, "NDH").scores.get(criterion__code="1.1")
    client.force_login(ndh_staff)
    client.post(
        card_url("NDH", "evidence_add"), {"score": line.pk, "file": SimpleUploadedFile("bc.pdf", b"%PDF-1.4 x")}
    )
    attachment = Attachment.objects.get(score=line)
    download = client.get(card_url("NDH", "evidence_download", attachment.pk))
    assert (download["Content-Disposition"], b"".join(download.streaming_content)) == (
        'attachment; filename="bc.pdf"',
        b"%PDF-1.4 x",
    )
    client.force_login(hna_staff)
    assert client.get(card_url("NDH", "evidence_download", attachment.pk)).status_code == 404
    client.force_login(ndh_staff)
    client.post(card_url("NDH", "evidence_delete", attachment.pk))
    assert Attachment.objects.count() == 0


# --- rounds and the year's conclusion ------------------------------------------------------------------


def test_round_edit_creates_and_opens_the_mid_year_round_for_managers_only(client, table, tbh_leader, ndh_leader):
    outsider = UserFactory(username="qni.lead")
    MembershipFactory(user=outsider, board=BoardFactory(code="QNI"), role=MembershipRole.LEADER)
    for user, status in ((outsider, 404), (ndh_leader, 403)):
        client.force_login(user)
        assert client.get(url("round_edit", "mid_year")).status_code == status
    client.force_login(tbh_leader)
    client.post(url("round_edit", "mid_year"), {"opens_on": "2025-06-01", "closes_on": "15/07/2025"})
    client.post(url("round_open", "mid_year"))
    mid_year = table.bloc_year.rounds.get(kind=RoundKind.MID_YEAR)
    assert (mid_year.opens_on, mid_year.closes_on, mid_year.status) == (
        datetime.date(2025, 6, 1),
        datetime.date(2025, 7, 15),
        "open",
    )


def test_the_leader_concludes_the_published_year(client, year_end, hna_leader, tbh_leader, ndh, hna, tbh_staff):
    flag = awards.award_title_save(user=None, code="CO_BO", name="Cờ thi đua của Bộ", kind="title", level="province")
    client.force_login(hna_leader)
    assert "Chưa công bố kết quả tổng kết năm." in text(client.get(url("year_conclude")))
    publish(year_end, hna_leader, tbh_leader)
    data = {"proposals": [f"{ndh.pk}:{flag.pk}"], "next_leader": ndh.pk, "next_deputy": hna.pk, "next_host": ndh.pk}
    page = client.post(url("year_conclude"), data, follow=True)
    assert re.findall(r'data-proposal="([^"]+)"', page.content.decode()) == ["NDH:CO_BO"]
    year = year_end.bloc_year
    year.refresh_from_db()
    assert (year.next_leader, year.next_deputy, year.next_host) == (ndh, hna, ndh)
    client.force_login(tbh_staff)
    assert client.get(url("year_conclude")).status_code == 403
