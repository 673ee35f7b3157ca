"""Recognise the phrases that name catalogued KPIs in Vietnamese prose, and the look-alike phrases that do not."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sources.news.amounts import parse_count, qualifier_before
from sources.news.document import Scan, at_word_start
from sources.text import lower_in_place

# A written count: '1.260', '08'; never part of a fraction ('93/167'), a decimal or a percentage.
_COUNT = (
    r"(?:(?:hơn|trên|gần|khoảng|xấp xỉ|chừng) )*"
    r"(?<![\d.,/])(?P<num>\d{1,3}(?:\.\d{3})+|\d+)(?![.,]?\d)(?!\s*(?:%|/\s*\d|tỷ|tỉ|triệu))"
)
# The certificate's full name: 'giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất'.
_LAND_TITLE_TAIL = r"(?:,? quyền sở hữu nhà ở(?: và tài sản khác gắn liền với đất)?)?"
_VIOLATION_KIND = r"(?:trật tự đô thị|trật tự xây dựng|TTĐT|TTXD|xây dựng|quy tắc trật tự)"
_SECTOR = (
    r"công nghiệp|nông nghiệp|nông,? lâm|thủy sản|thương mại|dịch vụ|xây dựng|du lịch|ngoài quốc doanh"
    r"|dân doanh|trồng trọt|chăn nuôi|TTCN|CN-XD|TM-DV"
)


def _phrase(pattern: str) -> str:
    """Compile-ready form of a pattern written as Vietnamese is ('GPXD'): lower case (the text is lower-cased),
    one written space matching any run of spaces, {N} matching a count. Word starts are checked in find_mentions:
    a leading look-behind would stop the regex engine from skipping ahead to the pattern's first letters."""
    spaced = pattern.replace(" ", r"\s+").replace("{N}", _COUNT)
    lowered = re.sub(r"\\.|[^\\]+", lambda part: part.group() if part.group()[0] == "\\" else part.group().lower(),
                     spaced)
    return lowered.replace("(?p<", "(?P<")


# The catalogue's metrics this extractor reads, with their base unit (tests keep them in step with the catalogue).
METRIC_UNITS = {
    "production_value": "VND", "budget_revenue": "VND", "budget_expenditure": "VND",
    "public_investment_disbursement": "VND", "retail_sales": "VND", "administrative_fines_amount": "VND",
    "trade_services_share": "percent", "new_enterprises": "count", "jobs_created": "count",
    "construction_permits": "count", "urban_violations": "count", "administrative_penalties": "count",
    "land_use_certificates": "count", "projects_accepted": "count",
}

# Words one of which a sentence must hold for the metric's patterns to be tried there (lower case).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "construction_permits": ("giấy phép", "gpxd", "phép xây dựng"),
    "urban_violations": ("vi phạm",),
    "administrative_penalties": ("xử phạt",),
    "land_use_certificates": ("giấy chứng nhận", "gcn", "sổ đỏ"),
    "projects_accepted": ("nghiệm thu", "đưa vào sử dụng"),
    "new_enterprises": ("doanh nghiệp",),
    "jobs_created": ("việc làm",),
    "budget_revenue": ("ngân sách", "nsnn", "tổng thu", "thu được"),
    "budget_expenditure": ("ngân sách", "nsnn", "nsđp", "tổng chi"),
    "public_investment_disbursement": ("giải ngân",),
    "retail_sales": ("bán lẻ",),
    "production_value": ("giá trị", "gtsx"),
    "trade_services_share": ("thương mại",),
    "administrative_fines_amount": ("tiền",),
}

# Counted metrics: the pattern holds the number. Money and share metrics: the phrase precedes its amount.
COUNT_PATTERNS: dict[str, tuple[str, ...]] = {
    "construction_permits": (
        r"cấp (?:mới |thêm |được )?{N} (?:giấy phép xây dựng|GPXD|giấy phép XD)",
        r"cấp (?:giấy phép xây dựng|GPXD|phép xây dựng):? (?:mới )?(?:cho )?{N} (?:trường hợp|công trình|hồ sơ|nhà|hộ|giấy phép)",
        r"(?:giấy phép xây dựng|GPXD) (?:đã )?(?:được )?cấp(?: mới)?(?: là| đạt|:)? {N}",
    ),
    "urban_violations": (
        r"xử lý (?:dứt điểm |triệt để |kịp thời |nghiêm )?{N} (?:trường hợp|vụ việc|vụ|công trình)(?: vi phạm)?(?: về)? "
        + _VIOLATION_KIND,
        r"{N} (?:trường hợp|vụ việc|vụ|công trình) vi phạm(?: về)? " + _VIOLATION_KIND + r"[^.;\d]{0,40}? (?:đã )?được xử lý",
    ),
    "administrative_penalties": (
        r"(?:(?:ra|ban hành|lập|ký) )?{N} quyết định xử phạt",
        r"(?:ra|ban hành|lập|ký) quyết định xử phạt(?: vi phạm hành chính)?(?: đối với| cho)? {N} "
        r"(?:trường hợp|vụ|tổ chức|cá nhân|đối tượng|hộ)",
        r"xử phạt vi phạm hành chính {N} (?:trường hợp|vụ|tổ chức|cá nhân)",
    ),
    "land_use_certificates": (
        r"cấp (?:mới |lần đầu |đổi |được )?{N} (?:giấy chứng nhận quyền sử dụng đất|GCN ?QSDĐ|GCN QSD đất|GCNQSDĐ|sổ đỏ)",
        r"cấp (?:giấy chứng nhận quyền sử dụng đất|GCN ?QSDĐ|GCNQSDĐ|sổ đỏ)" + _LAND_TITLE_TAIL + r"(?: lần đầu)?(?: cho)? {N} "
        r"(?:trường hợp|hộ|hồ sơ|thửa|giấy)",
    ),
    "projects_accepted": (
        r"nghiệm thu(?:,? (?:và )?bàn giao)?(?: đưa vào sử dụng)? {N} (?:công trình|dự án)",
        r"hoàn thành(?:,? (?:và )?bàn giao)?,? đưa vào sử dụng {N} (?:công trình|dự án)",
        r"{N} (?:công trình|dự án)(?:, (?:công trình|dự án))? (?:đã |được )*(?:nghiệm thu|hoàn thành),?(?: và)?"
        r"(?: bàn giao)? đưa vào sử dụng",
    ),
    "new_enterprises": (
        r"{N} doanh nghiệp (?:được )?(?:thành lập mới|mới thành lập|đăng ký (?:thành lập )?mới|cấp mới|thành lập|mới)",
        r"doanh nghiệp (?:thành lập|đăng ký(?: thành lập)?) mới:? (?:là |đạt |ước đạt |có )?{N}",
        r"(?:thành lập|phát triển) mới {N} doanh nghiệp",
        r"cấp (?:mới )?(?:giấy chứng nhận )?đăng ký (?:kinh doanh|doanh nghiệp|thành lập)(?: mới)? cho {N} doanh nghiệp",
    ),
    "jobs_created": (
        r"(?:giải quyết|tạo) việc làm:? (?:mới )?(?:cho )?{N} (?:lao động|người|lượt lao động|lượt người|trường hợp)",
        r"{N} (?:lao động|người|lượt lao động|lượt người) (?:được )?(?:giải quyết|tạo) việc làm",
        r"(?:giải quyết|tạo) việc làm (?:mới )?(?:được |đạt |là )?{N}(?! (?:lao động|người|lượt))",
    ),
}

# A count restated for another period without the metric's name, after the verb that counts it or 'lên' (raised to):
# '…; lũy kế 11 tháng xử lý 518 trường hợp', '…, nâng tổng số giấy phép được cấp từ đầu năm lên 144 giấy phép'.
# Each metric's verbs and the nouns it counts in.
RESTATED_COUNTS: dict[str, tuple[str, str]] = {
    "construction_permits": (r"cấp(?: mới| được)?", r"giấy phép|GPXD|trường hợp|hồ sơ|công trình"),
    "urban_violations": (r"xử lý(?: dứt điểm| được)?", r"trường hợp|vụ việc|vụ|công trình"),
    "administrative_penalties": (r"(?:ra|ban hành|lập)(?: được)?", r"quyết định"),
    "land_use_certificates": (r"cấp(?: mới| lần đầu| được)?", r"giấy chứng nhận|GCN|trường hợp|hồ sơ"),
    "projects_accepted": (r"nghiệm thu(?: được)?", r"công trình|dự án"),
    "new_enterprises": (r"thành lập(?: mới)?(?: được)?", r"doanh nghiệp"),
    "jobs_created": (r"(?:giải quyết|tạo) việc làm(?: mới)?(?: cho)?", r"lao động|người|lượt lao động|lượt người"),
}

# Bare words that name a KPI only in context (see Mention.context): 'số tiền' (the sum) is a fine in a clause about
# penalties; 'quận thu được' (collected) is budget revenue when the text is about the budget.
_BARE_SUM = r"(?:tổng )?số tiền"
_BARE_REVENUE = r"thu được"
# 'thu, chi ngân sách' names both budget sides at once; after it a bare 'thu' and 'chi' name one each
# ('Về thu, chi ngân sách: thu đạt 5.606 tỷ đồng, chi đạt 1.204 tỷ đồng').
_BUDGET_PAIR = r"(?:thu|chi)\s*(?:,|-|–|và)\s*(?:thu|chi) (?:ngân sách|NSNN|NSĐP)"
_BARE_SIDE = r"(?=\s*:| (?:đạt|ước|là|thực hiện|được)\b| \d)"
_BARE_INCOME, _BARE_SPENDING = "thu" + _BARE_SIDE, "chi" + _BARE_SIDE

PHRASE_PATTERNS: dict[str, tuple[str, ...]] = {
    "budget_revenue": (
        r"(?:tổng )?(?:số )?thu (?:ngân sách|NSNN)(?: nhà nước| NSNN)?"
        r"(?! (?:địa phương|NSĐP|cấp|xã|phường|thị trấn|từ)\b)(?! [^\W\d_]+ hưởng\b)",
        r"tổng thu(?= (?:đạt|ước|là|được)\b|:)",
        _BARE_REVENUE,
        _BARE_INCOME,
    ),
    "budget_expenditure": (
        r"(?:tổng )?chi (?:ngân sách|NSNN|NSĐP)(?: nhà nước| địa phương| NSNN| NSĐP)?(?! (?:cấp|xã|phường|thị trấn)\b)",
        r"tổng chi(?= (?:đạt|ước|là|được)\b|:)",
        _BARE_SPENDING,
    ),
    "public_investment_disbursement": (
        r"giải ngân(?: vốn)?(?: đầu tư công| đầu tư xây dựng cơ bản| đầu tư XDCB| XDCB| xây dựng cơ bản| đầu tư)?",
    ),
    "retail_sales": (
        r"(?:tổng mức|doanh thu) bán lẻ(?: hàng hóa)?(?:[\s,\-–]+(?:và|thương mại|dịch vụ|du lịch|tiêu dùng|khách sạn"
        r"|nhà hàng|lưu trú|ăn uống|doanh thu|hàng hóa)(?![^\W\d_]))*",
    ),
    "production_value": (
        r"tổng giá trị sản xuất ?, ?thương mại(?: ?, ?| và )dịch vụ",
        r"tổng giá trị (?:sản xuất )?(?:của )?các ngành(?: kinh tế)?(?: chủ yếu)?",
        r"(?:tổng )?(?:giá trị sản xuất|GTSX)(?! (?:ngành|khu vực|hàng|sản phẩm|điện|bình quân|trên (?:1|một)\b|"
        + _SECTOR + r"))",
    ),
    "trade_services_share": (
        r"t[ỷỉ] trọng (?:ngành |khu vực )?thương mại(?: ?[-–,] ?| và | )dịch vụ",
        r"(?<![^\W\d_])thương mại(?: ?[-–] ?| và )dịch vụ(?= (?:ước )?chiếm)",
    ),
    "administrative_fines_amount": (
        r"(?:tổng )?(?:số )?tiền (?:xử )?phạt(?: vi phạm hành chính)?",
        r"phạt tiền",
        _BARE_SUM,
    ),
}

# Indicators that are not catalogued (or are parts of one); they end the clause of the figure before them.
# Each with the words one of which a sentence must hold for it to be tried.
STOPPER_PATTERNS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("giá trị", "gtsx"), r"(?:tổng )?(?:giá trị sản xuất|GTSX) (?:ngành |khu vực )?(?:" + _SECTOR + r")"),
    (("địa phương", "nsđp"), r"(?:tổng )?thu (?:ngân sách|NSNN)(?: nhà nước)? (?:địa phương|NSĐP)|thu NSĐP"),
    (("hưởng",), r"(?:tổng )?(?:thu|chi) (?:ngân sách|NSNN) [^\W\d_]+ hưởng"),  # the district's retained share
    (("xã", "phường", "thị trấn"),
     r"(?:thu|chi) (?:ngân sách|NSNN|NS)(?: nhà nước)? (?:cấp |của )?(?:các )?(?:xã|phường|thị trấn)\b"),
    (("ngân sách", "nsnn", "nsđp"), _BUDGET_PAIR),
    (("tăng", "giảm", "vượt", "hụt", "tiết kiệm"), r"(?:tăng|giảm|vượt|hụt) (?:thu|chi)\b|tiết kiệm chi"),
    (("thu ",), r"thu (?:thuế|tiền|phí|lệ phí|từ|cấp quyền|khác|nội địa|xuất nhập khẩu)"),
    (("lưu chuyển", "doanh thu", "kim ngạch", "khẩu"), r"tổng mức lưu chuyển|doanh thu|kim ngạch|xuất khẩu|nhập khẩu"),
    (("lệ", "thu nhập", "bình quân", "dân số", "diện tích"), r"t[ỷỉ] lệ(?: giải ngân)?|thu nhập|bình quân|dân số|diện tích"),
    (("vốn", "đầu tư", "bồi thường", "hỗ trợ"),
     r"tổng vốn|vốn đầu tư(?! công)|tổng mức đầu tư|kế hoạch vốn|nguồn vốn|bồi thường|hỗ trợ"),
    (("trong đó",), r"trong đó"),
    (("hộ kinh doanh", "doanh nghiệp"), r"hộ kinh doanh|tổng số doanh nghiệp|doanh nghiệp đang hoạt động"),
)


@dataclass(frozen=True)
class Mention:
    """A phrase naming a KPI (metric set) or another indicator (metric None), with its count when it holds one."""

    start: int
    end: int
    metric: str | None
    count: int | None = None
    count_start: int = 0
    count_end: int = 0
    qualifier: str | None = None
    is_total: bool = True  # False for a bare 'giá trị sản xuất' that a sector word earlier may narrow
    context: str | None = None  # 'penalty' ('số tiền'), 'budget' ('thu được'), 'pair' ('thu', 'chi'): see _BARE_SUM


_COUNTS = {metric: [re.compile(_phrase(p)) for p in patterns] for metric, patterns in COUNT_PATTERNS.items()}
_PHRASES = {metric: [re.compile(_phrase(p)) for p in patterns] for metric, patterns in PHRASE_PATTERNS.items()}
_STOPPERS = [(keywords, re.compile(_phrase(pattern))) for keywords, pattern in STOPPER_PATTERNS]
SECTOR = re.compile(_phrase(_SECTOR))
BUDGET_PAIR = re.compile(_phrase(_BUDGET_PAIR))
_CONTEXTS = {
    _phrase(_BARE_SUM): "penalty", _phrase(_BARE_REVENUE): "budget", _phrase(_BARE_INCOME): "pair",
    _phrase(_BARE_SPENDING): "pair",
}
_RESTATED = {
    metric: re.compile(_phrase(rf"(?:(?:{verbs}) |lên ){{N}} (?:{nouns})(?![^\W\d_])"))
    for metric, (verbs, nouns) in RESTATED_COUNTS.items()
}


def find_mentions(text: str | Scan) -> list[Mention]:
    """List KPI phrases and other indicators in text order, longest first where they overlap (a Scan is lower-cased).

    'thu ngân sách đạt 5.606 tỷ; cấp 68 giấy phép xây dựng' -> [budget_revenue, construction_permits (68)]
    """
    scan = text if isinstance(text, Scan) else Scan.of(lower_in_place(text))
    found: list[Mention] = []
    for metric, patterns in _COUNTS.items():
        for pattern in patterns:
            for match in scan.finditer(pattern, KEYWORDS[metric]):
                count = parse_count(match.group("num"))
                if count is not None and at_word_start(scan.text, match.start()):
                    found.append(Mention(
                        match.start(), match.end(), metric, count, match.start("num"), match.end("num"),
                        qualifier_before(scan.text, match.start("num")),
                    ))
    for metric, patterns in _PHRASES.items():
        for pattern in patterns:
            for match in scan.finditer(pattern, KEYWORDS[metric]):
                if not at_word_start(scan.text, match.start()):
                    continue
                found.append(Mention(
                    match.start(), match.end(), metric,
                    is_total=metric != "production_value" or match.group()[:4].lower() == "tổng",
                    context=_CONTEXTS.get(pattern.pattern),
                ))
    for keywords, pattern in _STOPPERS:
        found.extend(
            Mention(match.start(), match.end(), None)
            for match in scan.finditer(pattern, keywords) if at_word_start(scan.text, match.start())
        )
    return _longest_first(found)


def find_restated_count(text: str, metric: str, start: int, end: int) -> Mention | None:
    """Find the first count of a metric restated without its name in lower-cased text[start:end].

    ('…; lũy kế 11 tháng xử lý 518 trường hợp', 'urban_violations') -> Mention(518)
    """
    for match in _RESTATED[metric].finditer(text, start, end):
        count = parse_count(match.group("num"))
        if count is not None and at_word_start(text, match.start()):
            return Mention(match.start(), match.end(), metric, count, match.start("num"), match.end("num"),
                           qualifier_before(text, match.start("num")))
    return None


def _longest_first(mentions: list[Mention]) -> list[Mention]:
    """Keep, of overlapping mentions, the one that starts first and is longest; a stopper wins a tie."""
    mentions.sort(key=lambda mention: (mention.start, -mention.end, mention.metric is not None))
    kept: list[Mention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
