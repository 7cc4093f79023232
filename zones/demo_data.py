"""Demo data for `python manage.py seed_demo`: the 11 boards of the Red River Delta bloc and their zones.

FIGURES ARE APPROXIMATE, for demonstration only. Names are real; areas (hectares), developers and
years were gathered from public sources (the boards' and provinces' websites, the press, 2013–2023)
and rounded, so they are not official statistics. Where a source gave an occupancy rate, leased land
is industrial land × that rate. Addresses are plausible, not verified.

Published figures reproduced on purpose (DOMAIN.md §9 and the articles in shared/seeds/):
- Hà Nam: 8 zones with 2,553 ha in total (natural areas sum to exactly 2553.00) and 710 ha of land
  handed to enterprises (leased land sums to exactly 710.00), as reported for 2019.
- Ninh Bình: 5 operating zones with 833.38 ha established and 695.8 ha leasable, 15.06 ha still free.
- Hưng Yên: areas and occupancy as listed by its board; Bắc Ninh: as in the province's 2021–2030 plan.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from .enums import BoardKind, MembershipRole, ZoneKind, ZoneStatus

BLOC_CODE = "DBSH"
# The documented demo password; seed_demo refuses to run under production settings.
DEMO_PASSWORD = "kcn-demo"  # noqa: S105

KCN, KCN_SUPPORT, KCN_HIGHTECH = ZoneKind.KCN, ZoneKind.KCN_SUPPORT, ZoneKind.KCN_HIGHTECH
KKT_COASTAL, KKT_BORDER = ZoneKind.KKT_COASTAL, ZoneKind.KKT_BORDER
OPERATING, BUILDING, PLANNED = ZoneStatus.OPERATING, ZoneStatus.UNDER_CONSTRUCTION, ZoneStatus.PLANNED

VIGLACERA = "Tổng công ty Viglacera – CTCP"
HOA_PHAT = "Công ty TNHH Phát triển hạ tầng KCN Hòa Phát Hưng Yên"
SAIGONTEL = "Công ty CP Công nghệ Viễn thông Sài Gòn (Saigontel)"


def _board(code, name, province, address, kind=BoardKind.KCN, **extra) -> dict:
    return {
        "code": code,
        "name": name,
        "province": province,
        "kind": kind,
        "bloc_code": BLOC_CODE,
        "address": address,
        **extra,
    }


# In the order the bloc lists its members (DOMAIN.md §9).
BOARDS: list[dict] = [
    _board(
        "QNH",
        "Ban Quản lý Khu kinh tế Quảng Ninh",
        "Quảng Ninh",
        "Tầng 12, Trụ sở Liên cơ quan số 3, phường Hồng Hà, TP. Hạ Long, tỉnh Quảng Ninh",
        kind=BoardKind.KKT,
    ),
    _board(
        "HPG",
        "Ban Quản lý Khu kinh tế Hải Phòng",
        "Hải Phòng",
        "Số 24 Cù Chính Lan, quận Hồng Bàng, TP. Hải Phòng",
        kind=BoardKind.KKT,
    ),
    _board(
        "HDG",
        "Ban Quản lý các khu công nghiệp tỉnh Hải Dương",
        "Hải Dương",
        "Số 2 đường Thanh Niên, phường Quang Trung, TP. Hải Dương, tỉnh Hải Dương",
        phone="0220 3854568",
    ),
    _board(
        "HNA",
        "Ban Quản lý các khu công nghiệp tỉnh Hà Nam",
        "Hà Nam",
        "Đường Lý Thường Kiệt, phường Lê Hồng Phong, TP. Phủ Lý, tỉnh Hà Nam",
        website="https://bqlckcn.hanam.gov.vn",
    ),
    _board(
        "HYN",
        "Ban Quản lý các khu công nghiệp tỉnh Hưng Yên",
        "Hưng Yên",
        "Đường Nguyễn Văn Linh, phường An Tảo, TP. Hưng Yên, tỉnh Hưng Yên",
        website="http://banqlkcn.hungyen.gov.vn",
    ),
    _board(
        "NDH",
        "Ban Quản lý các khu công nghiệp tỉnh Nam Định",
        "Nam Định",
        "Đường Lê Hồng Phong, phường Vị Xuyên, TP. Nam Định, tỉnh Nam Định",
    ),
    _board(
        "NBH",
        "Ban Quản lý các khu công nghiệp tỉnh Ninh Bình",
        "Ninh Bình",
        "Đường Trần Hưng Đạo, phường Đông Thành, TP. Ninh Bình, tỉnh Ninh Bình",
    ),
    _board(
        "TBH",
        "Ban Quản lý Khu kinh tế và các khu công nghiệp tỉnh Thái Bình",
        "Thái Bình",
        "Đường Trần Thánh Tông, phường Đề Thám, TP. Thái Bình, tỉnh Thái Bình",
    ),
    _board(
        "VPC",
        "Ban Quản lý các khu công nghiệp tỉnh Vĩnh Phúc",
        "Vĩnh Phúc",
        "Đường Nguyễn Trãi, phường Đống Đa, TP. Vĩnh Yên, tỉnh Vĩnh Phúc",
    ),
    _board(
        "BNH",
        "Ban Quản lý các khu công nghiệp tỉnh Bắc Ninh",
        "Bắc Ninh",
        "Đường Lý Thái Tổ, phường Suối Hoa, TP. Bắc Ninh, tỉnh Bắc Ninh",
    ),
    _board(
        "HNI",
        "Ban Quản lý các khu công nghiệp và chế xuất Hà Nội",
        "Hà Nội",
        "Số 2 Phùng Khắc Khoan, quận Hai Bà Trưng, TP. Hà Nội",
    ),
]


def _zone(short, name, natural, industrial, leased, developer="", est=None, kind=KCN, status=OPERATING, decision=""):
    """One zone. `est` is a year (only the year is known: stored as 1 January) or an ISO date."""
    if isinstance(est, int):
        established_on = datetime.date(est, 1, 1)
    else:
        established_on = datetime.date.fromisoformat(est) if est else None
    return {
        "short": short,
        "name": name,
        "kind": kind,
        "status": status,
        "natural_area_ha": Decimal(natural).quantize(Decimal("0.01")),
        "industrial_land_ha": Decimal(industrial).quantize(Decimal("0.01")),
        "leased_land_ha": Decimal(leased).quantize(Decimal("0.01")),
        "developer": developer,
        "established_decision_no": decision,
        "established_on": established_on,
        # Decree 35/2022 requires a central wastewater plant before a KCN operates; KKTs are counted per zone.
        "has_wastewater_plant": status == OPERATING and kind not in (KKT_COASTAL, KKT_BORDER),
    }


# Per board: (short code, name, natural area, industrial land, leased land, ...) in hectares.
ZONES: dict[str, list[dict]] = {
    "QNH": [
        _zone("VDO", "Khu kinh tế Vân Đồn", "217133", "1150", "185", est=2007, kind=KKT_COASTAL),
        _zone("MC", "Khu kinh tế cửa khẩu Móng Cái", "121197", "1980", "640", est=2012, kind=KKT_BORDER),
        _zone("CL", "KCN Cái Lân", "305", "218", "176.50"),
        _zone("VH", "KCN Việt Hưng", "301", "215", "98"),
        _zone("HY", "KCN Hải Yên", "182.40", "128", "71", VIGLACERA),
        _zone("DM", "KCN Đông Mai", "167", "121", "96", VIGLACERA),
        _zone("SK", "KCN Sông Khoai", "714", "510", "118", "Công ty CP Amata Thành phố Hạ Long"),
        _zone("HH", "KCN cảng biển Hải Hà (giai đoạn 1)", "660", "465", "190", "Công ty TNHH KCN Texhong Việt Nam"),
        _zone("BTP", "KCN Bắc Tiền Phong", "1193", "840", "0", status=BUILDING),
    ],
    "HPG": [
        _zone("DVCH", "Khu kinh tế Đình Vũ – Cát Hải", "22540", "6420", "2350", est=2008, kind=KKT_COASTAL),
        _zone("NMR", "KCN Nomura – Hải Phòng", "153", "123", "123", "Công ty TNHH Phát triển Nomura – Hải Phòng", 1994),
        _zone("DVU", "KCN Đình Vũ", "1527", "1105", "760", "Công ty CP KCN Đình Vũ", 1997),
        _zone("MPDV", "KCN MP Đình Vũ (DEEP C II)", "541", "400", "235"),
        _zone("NDV", "KCN Nam Đình Vũ (khu 1)", "1329", "930", "240", "Công ty CP Tập đoàn Sao Đỏ"),
        _zone("TDU", "KCN Tràng Duệ", "687", "505", "455", "Công ty CP KCN Sài Gòn – Hải Phòng"),
        _zone("VSIP", "KCN VSIP Hải Phòng", "507", "375", "265", "Công ty TNHH VSIP Hải Phòng"),
        _zone("NCK", "KCN Nam Cầu Kiền", "263", "190", "128", "Công ty CP Shinec"),
        _zone("DSO", "KCN Đồ Sơn", "150", "105", "72"),
        _zone("ADG", "KCN An Dương", "196", "140", "96"),
        _zone("TTH", "KCN Tiên Thanh", "413", "0", "0", status=PLANNED),
    ],
    # The 11 operating zones add up to the board's reported 1,732 ha.
    "HDG": [
        _zone(
            "DA",
            "KCN Đại An",
            "136",
            "97",
            "97",
            "Công ty CP Phát triển Đại An",
            "2003-03-24",
            decision="739/2003/QĐ-UB",
        ),
        _zone("DAMR", "KCN Đại An mở rộng", "416", "300", "226", "Công ty CP Phát triển Đại An"),
        _zone("NS", "KCN Nam Sách", "64", "47", "47"),
        _zone("PD", "KCN Phúc Điền", "87", "64", "62.50"),
        _zone("TT", "KCN Tân Trường", "198", "142", "128"),
        _zone("VHK", "KCN Việt Hòa – Kenmark", "46", "33", "26"),
        _zone("LV", "KCN Lai Vu", "150", "108", "80"),
        _zone("CDLD", "KCN Cẩm Điền – Lương Điền", "197", "140", "104"),
        _zone("PT", "KCN Phú Thái", "62", "45", "44"),
        _zone("LC", "KCN Lai Cách", "131", "95", "74"),
        _zone("CH", "KCN Cộng Hòa", "245", "176", "98"),
        _zone("KT", "KCN Kim Thành", "163", "118", "12", status=BUILDING),
        _zone("LDNL", "KCN Lương Điền – Ngọc Liên", "150", "0", "0", status=PLANNED),
        _zone("QTAB", "KCN Quốc Tuấn – An Bình", "180", "0", "0", status=PLANNED),
    ],
    # 8 zones, 2,553 ha, 710 ha leased (2019).
    "HNA": [
        _zone("DV1", "KCN Đồng Văn I", "320", "234.50", "221.30"),
        _zone("DV2", "KCN Đồng Văn II", "420", "300", "285"),
        _zone("DV3", "KCN Đồng Văn III", "477", "330", "52"),
        _zone("DV4", "KCN Đồng Văn IV", "516", "360", "14", status=BUILDING),
        _zone("CS", "KCN Châu Sơn", "170", "120", "82.70"),
        _zone("HM", "KCN Hòa Mạc", "200", "140", "48", "Công ty CP Tập đoàn Hòa Phát"),
        _zone("TL", "KCN Thanh Liêm", "200", "140", "7", status=BUILDING),
        _zone("TH", "KCN Thái Hà (giai đoạn 1)", "250", "180", "0", status=BUILDING),
    ],
    "HYN": [
        _zone("PNA", "KCN Phố Nối A", "688.94", "492.10", "413.36", HOA_PHAT),
        _zone("DMPN", "KCN Dệt may Phố Nối", "121.81", "93", "93", "Công ty CP Phát triển hạ tầng Dệt may Phố Nối"),
        _zone("TL2", "KCN Thăng Long II", "525.70", "401.42", "280.99", "Công ty TNHH Khu công nghiệp Thăng Long II"),
        _zone("MD", "KCN Minh Đức", "198", "155", "53.01", "Công ty CP Đầu tư phát triển hạ tầng VNT"),
        _zone("MQ", "KCN Minh Quang", "150", "111.35", "51.78", "Công ty CP VID Hưng Yên"),
        _zone("YM", "KCN Yên Mỹ", "280", "204", "115.26", "Công ty CP Phát triển KCN Viglacera Yên Mỹ"),
        _zone("YM2", "KCN Yên Mỹ II", "313.50", "221.83", "62.33", HOA_PHAT),
        _zone("SACH", "KCN Sạch", "143.08", "100", "22", "Công ty TNHH Đầu tư và phát triển KCN VTK Hưng Yên"),
        _zone("SO5", "KCN số 5", "192.64", "143", "8.87", "Công ty CP Đầu tư KCN Yên Mỹ"),
        _zone("SO3", "KCN số 3", "159.71", "115", "0", "Công ty CP Quản lý KCN Ecoland", status=BUILDING),
        _zone("KD", "KCN Kim Động", "100", "74.80", "0", "Công ty CP Tập đoàn Đầu tư xây dựng DĐK", status=BUILDING),
        _zone("TD", "KCN Tân Dân", "200", "0", "0", "Công ty CP Phát triển KCN số 1", status=PLANNED),
        _zone("LTK", "KCN Lý Thường Kiệt", "300", "0", "0", "Công ty CP Phát triển KCN số 1", status=PLANNED),
    ],
    "NDH": [
        _zone("HX", "KCN Hòa Xá", "327", "240", "228"),
        _zone("MT", "KCN Mỹ Trung", "150.70", "108", "96"),
        _zone("BM", "KCN Bảo Minh", "155", "112", "104"),
        _zone("RD", "KCN Dệt may Rạng Đông", "600", "420", "15", status=BUILDING),
        _zone("MTH", "KCN Mỹ Thuận", "113.72", "0", "0", status=PLANNED),
    ],
    # 5 operating zones: 833.38 ha, 695.80 ha leasable of which 15.06 ha still free (2022).
    "NBH": [
        _zone("GK", "KCN Gián Khẩu", "262", "215", "215"),
        _zone("KP", "KCN Khánh Phú", "335", "285", "279.70"),
        _zone("TD1", "KCN Tam Điệp I", "64", "50", "50"),
        _zone("PS", "KCN Phúc Sơn", "105.38", "88", "78.24"),
        _zone("KC", "KCN Khánh Cư", "67", "57.80", "57.80"),
        _zone("TD2", "KCN Tam Điệp II", "385.90", "0", "0", status=PLANNED),
        _zone("KS", "KCN Kim Sơn", "200", "0", "0", status=PLANNED),
    ],
    "TBH": [
        _zone("PK", "KCN Phúc Khánh", "200", "145", "131"),
        _zone("NDC", "KCN Nguyễn Đức Cảnh", "102", "74", "72.50"),
        _zone("TH", "KCN Tiền Hải", "451", "320", "198"),
        _zone("GL", "KCN Gia Lễ", "86", "62", "41"),
        _zone("ST", "KCN Sông Trà", "150", "108", "63"),
        _zone("CN", "KCN Cầu Nghìn", "103", "74", "38"),
        _zone("KKT", "Khu kinh tế Thái Bình", "30583", "2900", "120", est=2017, kind=KKT_COASTAL, status=BUILDING),
    ],
    "VPC": [
        _zone("KQ", "KCN Khai Quang", "262", "190", "186"),
        _zone("BX", "KCN Bình Xuyên", "271", "196", "180"),
        _zone("BT", "KCN Bá Thiện", "325.75", "235", "235"),
        _zone("BT2", "KCN Bá Thiện II", "308.83", "222", "118"),
        _zone("BX2", "KCN Bình Xuyên II (giai đoạn 1)", "42.21", "30", "30"),
        _zone(
            "TLVP", "KCN Thăng Long Vĩnh Phúc", "213", "156", "112", "Công ty TNHH Khu công nghiệp Thăng Long Vĩnh Phúc"
        ),
        _zone("TD2A", "KCN Tam Dương II – khu A", "135.17", "97", "24", status=BUILDING),
        _zone("SL", "KCN Sơn Lôi", "257.35", "185", "28", status=BUILDING),
        _zone("CH", "KCN Chấn Hưng", "117", "85", "52"),
    ],
    "BNH": [
        _zone("TS", "KCN Tiên Sơn", "402.81", "290", "288.55", VIGLACERA, 1998),
        _zone("DDHS", "KCN Đại Đồng – Hoàn Sơn", "286.82", "205", "204.32", SAIGONTEL, 2005),
        _zone("DDHS2", "KCN Đại Đồng – Hoàn Sơn (giai đoạn II)", "95.81", "68", "0", SAIGONTEL, 2020, status=BUILDING),
        _zone("YP", "KCN Yên Phong", "344.56", "250", "250", VIGLACERA, 2006),
        _zone("YPMR", "KCN Yên Phong mở rộng", "313.90", "225", "89.37", VIGLACERA, 2016),
        _zone("VSIP", "KCN VSIP Bắc Ninh", "485", "350", "347.97", "Công ty TNHH VSIP Bắc Ninh", 2010),
        _zone("QV", "KCN Quế Võ", "610.85", "440", "430.28", "Tổng công ty Phát triển đô thị Kinh Bắc – CTCP", 2002),
        _zone(
            "QV2",
            "KCN Quế Võ II (giai đoạn I)",
            "270",
            "190",
            "150",
            "Tổng công ty Đầu tư phát triển đô thị và KCN Việt Nam (IDICO)",
            2012,
        ),
        _zone("TT2", "KCN Thuận Thành II", "250", "180", "65"),
        _zone("NSHL", "KCN Nam Sơn – Hạp Lĩnh", "300", "210", "20", status=BUILDING),
        _zone("TT3", "KCN Thuận Thành III", "536.32", "0", "0", status=PLANNED),
        _zone("GB", "KCN Gia Bình", "307", "0", "0", status=PLANNED),
    ],
    "HNI": [
        _zone("TL", "KCN Thăng Long", "274", "198", "198", "Công ty TNHH Khu công nghiệp Thăng Long", 1997),
        _zone("NB", "KCN Nội Bài", "114", "84", "83.20", "Công ty TNHH Phát triển Nội Bài", 1994),
        _zone("BTL", "KCN Bắc Thăng Long", "293", "210", "207"),
        _zone("QM", "KCN Quang Minh", "407", "292", "281"),
        _zone("SDB", "KCN Sài Đồng B", "97", "70", "68.50"),
        _zone("HNDT", "KCN Hà Nội – Đài Tư", "40", "30", "30"),
        _zone("NTL", "KCN Nam Thăng Long", "30", "21", "21"),
        _zone("PN", "KCN Phú Nghĩa", "170", "122", "118"),
        _zone("TTQO", "KCN Thạch Thất – Quốc Oai", "155", "110", "107.50"),
        _zone("CNSH", "KCN công nghệ cao sinh học Hà Nội", "200", "130", "0", kind=KCN_HIGHTECH, status=BUILDING),
        _zone("HTNHN", "KCN hỗ trợ Nam Hà Nội", "488", "340", "18", kind=KCN_SUPPORT, status=BUILDING),
    ],
}


def zone_rows():
    """Yield (board code, zone fields) for every demo zone; the zone code is "<BOARD>-<SHORT>"."""
    for board_code, zones in ZONES.items():
        for zone in zones:
            fields = {key: value for key, value in zone.items() if key != "short"}
            yield board_code, {"code": f"{board_code}-{zone['short']}", **fields}


# Fictitious people: (họ và tên đệm, tên) — stored as last_name, first_name.
ADMIN_NAME = ("Phạm Minh", "Tuấn")
MINISTRY_NAME = ("Đỗ Thu", "Hà")
BOARD_PEOPLE: dict[str, dict[str, tuple[str, str]]] = {
    "QNH": {"staff": ("Vũ Thị", "Hạnh"), "lead": ("Đặng Quốc", "Khánh")},
    "HPG": {"staff": ("Bùi Văn", "Long"), "lead": ("Ngô Thị", "Hồng")},
    "HDG": {"staff": ("Đinh Thị", "Mai"), "lead": ("Phan Văn", "Dũng")},
    "HNA": {"staff": ("Nguyễn Thị", "Thu"), "lead": ("Trần Văn", "Hùng")},
    "HYN": {"staff": ("Lương Thị", "Nga"), "lead": ("Hoàng Minh", "Đức")},
    "NDH": {"staff": ("Trịnh Văn", "Nam"), "lead": ("Vũ Thị", "Lan")},
    "NBH": {"staff": ("Đoàn Thị", "Huyền"), "lead": ("Lê Văn", "Thắng")},
    "TBH": {"staff": ("Phạm Thị", "Hương"), "lead": ("Mai Xuân", "Trường")},
    "VPC": {"staff": ("Kiều Thị", "Yến"), "lead": ("Nguyễn Đình", "Phúc")},
    "BNH": {"staff": ("Tạ Thị", "Thảo"), "lead": ("Nguyễn Văn", "Bình")},
    "HNI": {"staff": ("Đỗ Minh", "Châu"), "lead": ("Lê Quang", "Vinh")},
}
# Username suffix → membership role.
BOARD_ROLES = {"staff": MembershipRole.STAFF, "lead": MembershipRole.LEADER}


def board_usernames():
    """Yield (username, board code, role) for the 22 board logins, in the order of BOARDS."""
    for board in BOARDS:
        for suffix, role in BOARD_ROLES.items():
            yield f"{board['code'].lower()}.{suffix}", board["code"], role


def demo_logins() -> list[tuple[str, str]]:
    """[(username, role description)] of every demo login; all use DEMO_PASSWORD."""
    names = {board["code"]: board["name"] for board in BOARDS}
    logins = [
        ("admin", _("Quản trị hệ thống")),
        ("ministry", _("Cán bộ Bộ (đọc dữ liệu mọi Ban)")),
    ]
    for username, board_code, role in board_usernames():
        label = _("Chuyên viên") if role == MembershipRole.STAFF else _("Lãnh đạo Ban")
        logins.append((username, f"{label} – {names[board_code]}"))
    return logins
