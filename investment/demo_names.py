"""Names and shapes the demo generator draws from: board profiles, investor companies by country,
Vietnamese company names, products and the notes of adjustments and terminations."""

from __future__ import annotations

from dataclasses import dataclass

# --- board profiles and names -------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    prefix: str  # first two digits of the board's project codes (its province's code)
    fdi_share: float  # share of FDI projects on a board without published figures
    countries: dict[str, int]  # FDI investors' countries and their weights


PROFILES = {
    "QNH": Profile("57", 0.35, {"CN": 5, "HK": 3, "SG": 2, "JP": 2, "KR": 2, "TW": 1, "US": 1}),
    "HPG": Profile("02", 0.55, {"JP": 5, "KR": 4, "CN": 3, "SG": 2, "TW": 1, "HK": 1, "US": 1, "DE": 1, "TH": 1}),
    "HDG": Profile("08", 0.5, {"KR": 4, "JP": 3, "CN": 3, "TW": 2, "HK": 1, "SG": 1, "MY": 1}),
    "HNA": Profile("07", 0.58, {"KR": 6, "JP": 4, "CN": 2, "TW": 1, "SG": 1, "US": 1, "DE": 1, "MY": 1}),
    "HYN": Profile("09", 0.55, {"JP": 5, "KR": 4, "CN": 2, "TW": 1, "SG": 1, "US": 1, "DE": 1, "TH": 1}),
    "NDH": Profile("06", 0.35, {"CN": 4, "KR": 3, "TW": 2, "HK": 1, "JP": 1}),
    "NBH": Profile("27", 0.3, {"KR": 3, "CN": 3, "TW": 2, "JP": 1, "TH": 1}),
    "TBH": Profile("10", 0.19, {"CN": 4, "TW": 3, "KR": 3, "JP": 2, "HK": 1, "SG": 1}),
    "VPC": Profile("25", 0.6, {"KR": 5, "JP": 3, "CN": 3, "TW": 2, "US": 1, "MY": 1}),
    "BNH": Profile("23", 0.65, {"KR": 6, "CN": 3, "JP": 2, "TW": 2, "SG": 1, "HK": 1, "US": 1}),
    "HNI": Profile("01", 0.52, {"JP": 5, "KR": 4, "SG": 2, "US": 2, "TW": 1, "CN": 1, "DE": 1, "HK": 1, "TH": 1}),
}

# Fictitious company names: (stems, forms) per country; "{}" is the stem.
COMPANIES = {
    "KR": (
        "Daeyang Seojin Hanil Myungsung Jinwoo Dongyang Sungwoo Hyosan Kumyang Woosung Saehan Taeil Youngjin "
        "Bumjin Hwaseung Shinsung Donghae Ilkwang Kyungil Namsung",
        ["{} Electronics Co., Ltd.", "{} Precision Co., Ltd.", "{} Tech Co., Ltd.", "{} Industrial Co., Ltd."],
    ),
    "JP": (
        "Nishida Kyowa Tohoku Sanwa Maruyama Fujisawa Okamoto Hokuriku Shinwa Daiichi Kanto Yamaguchi Morita Izumi",
        ["{} Seiki Co., Ltd.", "{} Denshi Co., Ltd.", "{} Kogyo Co., Ltd.", "{} Seisakusho Co., Ltd."],
    ),
    "CN": (
        "Hongda Jiali Xinyuan Huafeng Tianrun Jinhui Yongsheng Ruitai Kaixin Dingsheng",
        [
            "Shenzhen {} Electronics Co., Ltd.",
            "Ningbo {} Plastic Co., Ltd.",
            "Dongguan {} Technology Co., Ltd.",
            "Suzhou {} New Material Co., Ltd.",
        ],
    ),
    "TW": (
        "Hsinyuan Chiahsin Taifeng Lienfa Yuanchang Shengtai Kuanghua Chunyu",
        ["{} Industrial Co., Ltd.", "{} Enterprise Co., Ltd."],
    ),
    "SG": (
        "Meridian Harbourfront Liongate Orchidbay Marinacrest",
        ["{} Holdings Pte. Ltd.", "{} Industries Pte. Ltd."],
    ),
    "HK": (
        "Goldendragon Kowloonstar Jadeocean Evergain Harbourwealth",
        ["{} Industrial Limited", "{} Holdings Limited"],
    ),
    "US": ("Summitridge Bluelake Redwood Greatplains Northstar", ["{} Industries, Inc.", "{} Technologies Inc."]),
    "DE": ("Rheinwerk Bergmann Elbtal Hofmann Neckar", ["{} Technik GmbH", "{} Maschinenbau GmbH"]),
    "TH": ("Siamcharoen Rungroj Chaophraya Rattana", ["{} Industry Co., Ltd.", "{} Public Company Limited"]),
    "MY": ("Perdanajaya Bintangtimur Cahayaemas Serimutiara", ["{} Industries Sdn. Bhd.", "{} Holdings Berhad"]),
}
VN_NAMES = [
    "Minh Phát",
    "Hoàng Long",
    "Thành Công",
    "Hưng Thịnh",
    "An Phát",
    "Việt Tiến",
    "Đại Dương",
    "Tân Á",
    "Hòa Bình",
    "Thiên Long",
    "Sao Mai",
    "Hồng Hà",
    "Trường Sơn",
    "Phúc Hưng",
    "Nam Việt",
    "Đông Á",
    "Bảo Ngọc",
    "Quang Minh",
    "Thái Sơn",
    "Kim Long",
    "Phú Thành",
    "Hải Âu",
    "Vạn Xuân",
    "Tiến Đạt",
    "Lộc Phát",
    "Thăng Long",
    "Gia Phú",
    "Tân Tiến",
    "Hà Trung",
    "Bình Minh",
]
VN_FORMS = [
    "Công ty TNHH {}",
    "Công ty TNHH Sản xuất và Thương mại {}",
    "Công ty CP {}",
    "Công ty CP Đầu tư và Phát triển {}",
    "Công ty CP Tập đoàn {}",
    "Công ty TNHH Cơ khí {}",
]
FDI_PRODUCTS = [
    "linh kiện điện tử",
    "bảng mạch điện tử",
    "linh kiện điện thoại di động",
    "mô-đun camera",
    "khuôn mẫu chính xác",
    "linh kiện ô tô, xe máy",
    "dây và cáp điện",
    "sợi và vải kỹ thuật",
    "hàng may mặc xuất khẩu",
    "bao bì giấy và nhựa",
    "thiết bị y tế",
    "linh kiện nhựa kỹ thuật",
    "động cơ điện cỡ nhỏ",
    "giày dép",
    "đồ gỗ nội thất xuất khẩu",
    "thiết bị điện gia dụng",
    "pin lithium và bộ nguồn",
    "sản phẩm cơ khí chính xác",
    "mỹ phẩm",
    "găng tay cao su",
    "cảm biến và thiết bị đo lường",
]
FDI_TEMPLATES = [
    "Nhà máy sản xuất {product} {brand} Việt Nam",
    "Dự án sản xuất {product} {brand}",
    "Dự án nhà máy {brand} Việt Nam sản xuất {product}",
]
DDI_PRODUCTS = [
    "vật liệu xây dựng không nung",
    "bao bì carton",
    "kết cấu thép",
    "thức ăn chăn nuôi",
    "chế biến nông sản xuất khẩu",
    "hàng may mặc",
    "đồ gỗ nội thất",
    "ống nhựa và phụ kiện",
    "sơn và hóa chất công nghiệp",
    "gạch ốp lát",
    "thép xây dựng",
    "nước giải khát",
    "bê tông thương phẩm",
    "dây điện và thiết bị điện",
    "phân bón hữu cơ",
    "thực phẩm đóng hộp",
]
DDI_TEMPLATES = [
    "Nhà máy sản xuất {product} {brand}",
    "Dự án sản xuất {product}",
    "Dự án đầu tư nhà máy {product} {brand}",
]
ADJUST_NOTES = {
    "up": ["Điều chỉnh tăng vốn đầu tư, mở rộng quy mô sản xuất", "Tăng vốn đầu tư, bổ sung dây chuyền sản xuất"],
    "same": [
        "Điều chỉnh tiến độ thực hiện dự án",
        "Bổ sung mục tiêu, ngành nghề sản xuất",
        "Điều chỉnh thông tin người đại diện theo pháp luật",
        "Điều chỉnh công suất thiết kế, không thay đổi vốn đầu tư",
    ],
    "down": ["Điều chỉnh giảm vốn đầu tư theo tiến độ thực tế"],
}
# The ground of a termination (Law on Investment, Art. 48) cannot go through the bulk writer: it is noted.
TERMINATION_NOTES = [
    "Nhà đầu tư tự chấm dứt (điểm a khoản 1 Điều 48)",
    "Chấm dứt theo điều kiện của điều lệ doanh nghiệp (điểm b khoản 1 Điều 48)",
    "Ban Quản lý chấm dứt: ngừng hoạt động quá 12 tháng, không liên lạc được nhà đầu tư (điểm c khoản 2 Điều 48)",
    "Ban Quản lý chấm dứt: nhà đầu tư không được tiếp tục sử dụng địa điểm (điểm b khoản 2 Điều 48)",
]
