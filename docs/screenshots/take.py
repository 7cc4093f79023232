"""Take the README's screenshots from a running demo (`make run`), with Playwright on the system Chromium.

Usage: .venv/bin/python docs/screenshots/take.py [BASE_URL [FILE …]]   (default http://127.0.0.1:8000; all files)
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent
SHOTS = [
    # (login, path, file name)
    (None, "/login/", "login.png"),
    ("hna.staff", "/", "home-board-staff.png"),
    ("hna.staff", "/zones/?board=HNA", "zone-list.png"),
    ("ministry", "/boards/", "board-list-ministry.png"),
    ("hna.staff", "/boards/HNA/", "board-detail.png"),
    ("hna.staff", "/projects/?board=HNA", "project-list.png"),
    # The demo's corrected project (investment.demo_data.seed_examples): its ledger shows a correction.
    ("hna.staff", "@corrected-project", "project-detail.png"),
    ("hna.staff", "/boards/HNA/reports/2025-Q3/", "quarter-grid.png"),
    ("hna.staff", "/boards/HNA/reports/completeness/", "report-completeness.png"),
    ("hna.staff", "/workbook/upload/", "workbook-upload.png"),
    ("ministry", "/reports/bloc:DBSH/2019/", "report-detail.png"),
    ("ministry", "/reports/board:HNA/2019/indicators/new_projects_fdi/", "report-drilldown.png"),
    ("hna.lead", "/plans/HNA/2025/", "plan-edit.png"),
    ("ministry", "/reports/indicators/", "indicator-list.png"),
    # Emulation: the open 2025 year-end round led by Quảng Ninh, the published 2023 ranking.
    ("qnh.lead", "/emulation/DBSH/2025/year_end/", "emulation-review-centre.png"),
    ("qnh.lead", "/emulation/DBSH/2025/year_end/BNH/", "emulation-scorecard-review.png"),
    ("ministry", "/emulation/DBSH/2023/year_end/", "emulation-ranking.png"),
    ("hna.staff", "/emulation/DBSH/2025/table/", "emulation-table.png"),
    ("ministry", "/emulation/movements/", "emulation-movements.png"),
    ("ministry", "/emulation/awards/", "emulation-awards.png"),
    # Approval (issue 7): Hà Nam's periods, 2025-Q2 with its reopen request waiting, the corrections, the
    # restated 2025-Q1 report (a correction after approval), the bloc's accepted 2024 summary.
    ("hna.lead", "/reports/approvals/?board=HNA", "approval-list.png"),
    ("hna.lead", "/reports/approvals/HNA/2025-Q2/", "approval-detail.png"),
    ("hna.lead", "/reports/corrections/", "correction-list.png"),
    ("ministry", "/reports/board:HNA/2025-Q1/", "report-restated.png"),
    ("ministry", "/reports/bloc:DBSH/2024/", "report-approval-marks.png"),
]
FULL_PAGE = {"project-detail.png", "emulation-scorecard-review.png"}
# Shots of a part further down the page: scrolled to this element first.
SCROLL_TO = {"report-approval-marks.png": "[data-approvals]"}
ONLY = set(sys.argv[2:])  # file names to retake (all when none given)


def corrected_project_path() -> str:
    # Asked of the database the demo runs on (same settings as `make run`).
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcn_portal.settings.base")
    sys.path.insert(0, str(OUT.parents[1]))
    django.setup()
    from investment.demo_data import board_demo, example_codes

    return f"/projects/{example_codes(board_demo('HNA'))[0]}/"


def main() -> None:
    # Before Playwright starts: its event loop makes Django refuse database calls.
    corrected = corrected_project_path()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        for username, path, name in SHOTS:
            if ONLY and name not in ONLY:
                continue
            context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
            page = context.new_page()
            if username:
                page.goto(f"{BASE}/login/")
                page.get_by_label("Tên đăng nhập").fill(username)
                page.get_by_label("Mật khẩu").fill("kcn-demo")
                page.get_by_role("button", name="Đăng nhập").click()
                page.wait_for_url(f"{BASE}/")
            if path == "@corrected-project":
                path = corrected
            page.goto(f"{BASE}{path}")
            if name in SCROLL_TO:
                page.locator(SCROLL_TO[name]).scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, -120)")
            page.screenshot(path=str(OUT / name), full_page=name in FULL_PAGE)
            context.close()
            print(OUT / name)
        browser.close()


if __name__ == "__main__":
    main()
