import pytest

from contracts.catalogue import metric_catalogue
from sources.news.metrics import COUNT_PATTERNS, KEYWORDS, METRIC_UNITS, PHRASE_PATTERNS, find_mentions


def kpis(text: str) -> list[tuple[str, int | None]]:
    return [(m.metric, m.count) for m in find_mentions(text) if m.metric]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quận đã cấp 68 giấy phép xây dựng công trình, nhà ở", [("construction_permits", 68)]),
        ("cấp mới 1.025 GPXD", [("construction_permits", 1025)]),
        ("cấp phép xây dựng cho 45 công trình", [("construction_permits", 45)]),
        ("kiểm tra, xử lý 498 trường hợp vi phạm trật tự đô thị", [("urban_violations", 498)]),
        ("xử lý 63 trường hợp vi phạm TTĐT và TTATGT", [("urban_violations", 63)]),
        ("xử lý 20 vụ vi phạm an toàn thực phẩm", []),  # not urban order
        ("ra quyết định xử phạt 1.260 trường hợp", [("administrative_penalties", 1260)]),
        ("ban hành 145 quyết định xử phạt vi phạm hành chính", [("administrative_penalties", 145)]),
        ("cấp 450 giấy chứng nhận quyền sử dụng đất lần đầu", [("land_use_certificates", 450)]),
        ("cấp 120 giấy chứng nhận đủ điều kiện an toàn thực phẩm", []),
        ("quận đã nghiệm thu 16 công trình, dự án đưa vào sử dụng", [("projects_accepted", 16)]),
        ("15 công trình đã được nghiệm thu đưa vào sử dụng", [("projects_accepted", 15)]),
        ("Lũy kế từ đầu năm, 948 doanh nghiệp cấp mới", [("new_enterprises", 948)]),
        ("có 919 doanh nghiệp mới thành lập", [("new_enterprises", 919)]),
        ("Số doanh nghiệp thành lập mới là 2.836 doanh nghiệp", [("new_enterprises", 2836)]),
        ("trên địa bàn có 21.352 doanh nghiệp đang hoạt động", []),
        ("giải quyết việc làm cho khoảng 9.000 lao động", [("jobs_created", 9000)]),
        ("3.210 lao động được giải quyết việc làm", [("jobs_created", 3210)]),
        ("giải quyết việc làm đạt 105% kế hoạch", []),
        ("Số doanh nghiệp đăng ký thành lập mới: 350", [("new_enterprises", 350)]),
        ("Giải quyết việc làm: 2.500 lao động", [("jobs_created", 2500)]),
        ("hoàn thành 11/16 chỉ tiêu; nghiệm thu 93/167 công trình", []),  # fractions are not counts
        ("Số GPXD được cấp: 245 giấy phép", [("construction_permits", 245)]),
        ("quận phát triển mới 1.210 doanh nghiệp", [("new_enterprises", 1210)]),
        ("hoàn thành, đưa vào sử dụng 12 công trình", [("projects_accepted", 12)]),
        ("hoàn thành và bàn giao đưa vào sử dụng 7 dự án", [("projects_accepted", 7)]),
        ("hoàn thành 12 công trình", []),  # finished is not yet in use
        ("cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất cho 320 trường hợp",
         [("land_use_certificates", 320)]),
        ("Thu ngân sách của quận đạt", [("budget_revenue", None)]),
        ("tổng thu NSNN trên địa bàn", [("budget_revenue", None)]),
        ("với tổng thu đạt", [("budget_revenue", None)]),
        ("quận thu được", [("budget_revenue", None)]),  # only in context: see test_extract
        ("thực hiện chi ngân sách đạt", [("budget_expenditure", None)]),
        ("Tổng chi ngân sách địa phương ước thực hiện", [("budget_expenditure", None)]),
        ("giải ngân vốn đầu tư công đạt", [("public_investment_disbursement", None)]),
        ("Tổng mức bán lẻ hàng hoá và doanh thu dịch vụ tiêu dùng ước đạt", [("retail_sales", None)]),
        ("tổng giá trị sản xuất trên địa bàn ước đạt", [("production_value", None)]),
        ("tổng giá trị các ngành chủ yếu ước đạt", [("production_value", None)]),
        ("tổng giá trị sản xuất, thương mại, dịch vụ của quận", [("production_value", None)]),
        ("giá trị sản xuất công nghiệp ngoài quốc doanh ước đạt", []),  # a sector
        ("Giá trị sản xuất ngành Thương mại - Dịch vụ ước đạt", []),
        ("tỷ trọng thương mại - dịch vụ chiếm 58,6%", [("trade_services_share", None)]),
        ("thương mại – dịch vụ chiếm 8,6%", [("trade_services_share", None)]),
        ("thương mại – dịch vụ ước tăng 9,1%", []),
        ("với tổng số tiền phạt 83 triệu đồng", [("administrative_fines_amount", None)]),
        ("Trong đó, thu ngân sách địa phương đạt", []),  # includes transfers: not the KPI
        ("công tác thu, chi ngân sách", []),  # both sides at once
        ("thu ngân sách các phường đạt", []),  # the wards' own
        ("thu thuế ngoài quốc doanh ước đạt", []),
        ("thu ngân sách quận hưởng đạt", []),  # the part the district keeps
        ("tỷ lệ giải ngân đạt 54%", []),
        ("tăng thu ngân sách hơn 60 lần", []),
    ],
)
def test_find_mentions(text, expected):
    assert kpis(text) == expected


def test_other_indicators_are_kept_as_clause_ends():
    mentions = find_mentions("Giá trị sản xuất công nghiệp đạt 9.870 tỷ; doanh thu du lịch tăng 29,3%")
    assert [m.metric for m in mentions] == [None, None]


def test_every_catalogued_metric_is_read_with_the_catalogues_unit():
    catalogue = {metric.code: metric.unit for metric in metric_catalogue()}
    assert METRIC_UNITS == catalogue
    assert set(COUNT_PATTERNS) | set(PHRASE_PATTERNS) == set(catalogue) == set(KEYWORDS)
    assert all(METRIC_UNITS[code] == "count" for code in COUNT_PATTERNS)
