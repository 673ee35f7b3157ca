import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.news import extract_text

PUBLISHED = date(2024, 11, 8)
HEADLINE = "Quận Thanh Xuân: kết quả 10 tháng năm 2024"


def facts(text, published=PUBLISHED, title=HEADLINE, **options):
    """The facts of a text as tuples: district, metric, value, qualifier, as_of, period, % plan, % same period, growth, target."""
    article = extract_text(text, published=published, title=title, **options)
    return [
        (f.district, f.metric, f.value, f.qualifier, f.as_of, f.period, f.pct_of_plan, f.pct_of_same_period,
         f.growth_pct, f.is_target)
        for f in article.facts
    ]


OCT31 = date(2024, 10, 31)
YEAR_END = date(2024, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # amounts, qualifiers, % of plan and of the same period
        ("Tính đến ngày 31/10/2024, thu ngân sách nhà nước trên địa bàn quận đạt hơn 4.210 tỷ đồng, bằng 88,5% dự toán "
         "thành phố giao, bằng 112,3% so với cùng kỳ.",
         [("Thanh Xuân", "budget_revenue", 4210000000000, "more_than", OCT31, "ytd", 88.5, 112.3, None, False)]),
        ("Chi ngân sách địa phương 10 tháng ước đạt 1.043 tỷ 250 triệu đồng, đạt 71,2% dự toán.",
         [("Thanh Xuân", "budget_expenditure", 1043250000000, "estimate", OCT31, "ytd", 71.2, None, None, False)]),
        ("Đến hết tháng 10, giải ngân vốn đầu tư công đạt 70,759 tỷ đồng, đạt 20% kế hoạch.",
         [("Thanh Xuân", "public_investment_disbursement", 70759000000, None, OCT31, "ytd", 20.0, None, None, False)]),
        ("Tổng giá trị sản xuất trên địa bàn ước đạt gần 4,6 nghìn tỷ đồng, so với cùng kỳ tăng 9,15%.",
         [("Thanh Xuân", "production_value", 4600000000000, "about", OCT31, "ytd", None, None, 9.15, False)]),
        ("Tổng mức bán lẻ hàng hoá và doanh thu dịch vụ tiêu dùng đạt 942.000 triệu đồng, giảm 2,4% so với cùng kỳ.",
         [("Thanh Xuân", "retail_sales", 942000000000, None, OCT31, "ytd", None, None, -2.4, False)]),
        ("Cơ cấu kinh tế: thương mại - dịch vụ chiếm 85,2%; công nghiệp - xây dựng chiếm 14,8%.",
         [("Thanh Xuân", "trade_services_share", 85.2, None, OCT31, "ytd", None, None, None, False)]),
        # counts; 'trong tháng' is the month the headline's '10 tháng' ends with
        ("Trong tháng, quận cấp 23 giấy phép xây dựng; kiểm tra, xử lý 41 trường hợp vi phạm trật tự xây dựng; "
         "ban hành 37 quyết định xử phạt vi phạm hành chính với tổng số tiền 412,5 triệu đồng.",
         [("Thanh Xuân", "construction_permits", 23, None, OCT31, "month", None, None, None, False),
          ("Thanh Xuân", "urban_violations", 41, None, OCT31, "month", None, None, None, False),
          ("Thanh Xuân", "administrative_penalties", 37, None, OCT31, "month", None, None, None, False),
          ("Thanh Xuân", "administrative_fines_amount", 412500000, None, OCT31, "month", None, None, None, False)]),
        ("Quận đã nghiệm thu, bàn giao đưa vào sử dụng 05 công trình; cấp 210 giấy chứng nhận quyền sử dụng đất.",
         [("Thanh Xuân", "projects_accepted", 5, None, None, "other", None, None, None, False),
          ("Thanh Xuân", "land_use_certificates", 210, None, None, "other", None, None, None, False)]),
        ("Trong 10 tháng, 1.150 doanh nghiệp thành lập mới; 2.400 lao động được giải quyết việc làm, đạt 96% kế hoạch.",
         [("Thanh Xuân", "new_enterprises", 1150, None, OCT31, "ytd", None, None, None, False),
          ("Thanh Xuân", "jobs_created", 2400, None, OCT31, "ytd", 96.0, None, None, False)]),
        ("Cơ cấu kinh tế chuyển dịch theo hướng thương mại - dịch vụ, giá trị sản xuất trên địa bàn đạt 48.120 tỷ đồng.",
         [("Thanh Xuân", "production_value", 48120000000000, None, OCT31, "ytd", None, None, None, False)]),
        # a month and its cumulative in one sentence
        ("Thu ngân sách tháng 10 ước đạt 512 tỷ đồng, lũy kế 10 tháng đạt 4.735 tỷ đồng.",
         [("Thanh Xuân", "budget_revenue", 512000000000, "estimate", OCT31, "month", None, None, None, False),
          ("Thanh Xuân", "budget_revenue", 4735000000000, "estimate", OCT31, "ytd", None, None, None, False)]),
        ("Lũy kế 10 tháng, thu ngân sách đạt 13.256 tỷ đồng, bằng 103% dự toán; riêng tháng 10 thu 1.120 tỷ đồng.",
         [("Thanh Xuân", "budget_revenue", 13256000000000, None, OCT31, "ytd", 103.0, None, None, False),
          ("Thanh Xuân", "budget_revenue", 1120000000000, None, OCT31, "month", None, None, None, False)]),
        ("Trong tháng 10, thu ngân sách đạt 452,3 tỷ đồng; lũy kế 10 tháng đạt 4.126,7 tỷ đồng, bằng 96,7% dự toán, "
         "bằng 111,2% so với cùng kỳ.",
         [("Thanh Xuân", "budget_revenue", 452300000000, None, OCT31, "month", None, None, None, False),
          ("Thanh Xuân", "budget_revenue", 4126700000000, None, OCT31, "ytd", 96.7, 111.2, None, False)]),
        ("- Cấp phép xây dựng: 14 giấy phép trong tháng.",
         [("Thanh Xuân", "construction_permits", 14, None, OCT31, "month", None, None, None, False)]),
        ("Quận có 14.520 doanh nghiệp đang hoạt động, trong đó 1.350 doanh nghiệp thành lập mới trong 10 tháng.",
         [("Thanh Xuân", "new_enterprises", 1350, None, OCT31, "ytd", None, None, None, False)]),
        # both sides named at once, then each alone
        ("Về thu, chi ngân sách 10 tháng: thu đạt 5.120 tỷ đồng, bằng 84% dự toán; chi đạt 1.050 tỷ đồng.",
         [("Thanh Xuân", "budget_revenue", 5120000000000, None, OCT31, "ytd", 84.0, None, None, False),
          ("Thanh Xuân", "budget_expenditure", 1050000000000, None, OCT31, "ytd", None, None, None, False)]),
        ("Về chi ngân sách, 10 tháng năm 2024 quận đã chi 1.050 tỷ đồng.",  # 'chi' here is the verb
         [("Thanh Xuân", "budget_expenditure", 1050000000000, None, OCT31, "ytd", None, None, None, False)]),
        # a year estimate, 'ước' in the phrase or opening the clause; another amount's 'ước' is not this one's
        ("Năm 2024 ước tổng thu ngân sách trên địa bàn đạt 6.800 tỷ đồng.",
         [("Thanh Xuân", "budget_revenue", 6800000000000, "estimate", YEAR_END, "year", None, None, None, False)]),
        ("Ước thực hiện cả năm 2024, thu ngân sách trên địa bàn đạt 6.800 tỷ đồng.",
         [("Thanh Xuân", "budget_revenue", 6800000000000, "estimate", YEAR_END, "year", None, None, None, False)]),
        ("Năm 2024, tăng trưởng ước đạt 7,3%, thu ngân sách đạt 6.800 tỷ đồng.",
         [("Thanh Xuân", "budget_revenue", 6800000000000, None, YEAR_END, "year", None, None, None, False)]),
        # 'gần' qualifies the month's figure only
        ("Riêng tháng 10, thu ngân sách đạt gần 866 tỷ đồng; lũy kế 10 tháng đạt 8.281 tỷ 601 triệu đồng.",
         [("Thanh Xuân", "budget_revenue", 866000000000, "about", OCT31, "month", None, None, None, False),
          ("Thanh Xuân", "budget_revenue", 8281601000000, None, OCT31, "ytd", None, None, None, False)]),
        # targets sit next to actuals
        ("Năm 2025, quận phấn đấu thu ngân sách đạt 7.500 tỷ đồng, giải quyết việc làm cho 3.000 lao động.",
         [("Thanh Xuân", "budget_revenue", 7500000000000, None, date(2025, 12, 31), "year", None, None, None, True),
          ("Thanh Xuân", "jobs_created", 3000, None, date(2025, 12, 31), "year", None, None, None, True)]),
        ("Năm 2023, thu ngân sách trên địa bàn đạt 6.120 tỷ đồng, bằng 95% so với năm 2022.",
         [("Thanh Xuân", "budget_revenue", 6120000000000, None, date(2023, 12, 31), "year", None, 95.0, None, False)]),
        ("Các chỉ tiêu chủ yếu năm 2025: thu ngân sách 7.200 tỷ đồng; tổng giá trị sản xuất tăng 8%.",
         [("Thanh Xuân", "budget_revenue", 7200000000000, None, date(2025, 12, 31), "year", None, None, None, True)]),
        ("Năm 2024, quận phấn đấu giải quyết việc làm cho 3.500 lao động; 10 tháng đã giải quyết việc làm cho "
         "2.960 lao động.",  # a clause with a period of its own is read alone: only the first is a target
         [("Thanh Xuân", "jobs_created", 3500, None, YEAR_END, "year", None, None, None, True),
          ("Thanh Xuân", "jobs_created", 2960, None, OCT31, "ytd", None, None, None, False)]),
        ("Năm 2024, quận hoàn thành 18/20 chỉ tiêu chủ yếu, trong đó thu ngân sách đạt 6.510 tỷ đồng.",
         [("Thanh Xuân", "budget_revenue", 6510000000000, None, YEAR_END, "year", None, None, None, False)]),
        ("Dự toán thu ngân sách năm 2024 thành phố giao là 6.617 tỷ đồng.",
         [("Thanh Xuân", "budget_revenue", 6617000000000, None, YEAR_END, "year", None, None, None, True)]),
        ("Đến ngày 31/10, số thu ngân sách đạt 5.020 tỷ đồng so với kế hoạch được giao là 6.617 tỷ đồng.",
         [("Thanh Xuân", "budget_revenue", 5020000000000, None, OCT31, "ytd", None, None, None, False),
          ("Thanh Xuân", "budget_revenue", 6617000000000, None, YEAR_END, "year", None, None, None, True)]),
        # another district named in the sentence owns its figure
        ("Cùng kỳ, quận Cầu Giấy thu ngân sách đạt 9.100 tỷ đồng.",
         [("Cầu Giấy", "budget_revenue", 9100000000000, None, OCT31, "ytd", None, None, None, False)]),
    ],
)
def test_facts(text, expected, gazetteer):
    assert facts(text, gazetteer=gazetteer) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Toàn thành phố thu ngân sách đạt 385.000 tỷ đồng.",  # the city's total, not the district's
        "Trên địa bàn thành phố, tổng thu ngân sách 10 tháng đạt 385.000 tỷ đồng.",
        "Cả nước thu ngân sách đạt 1,6 triệu tỷ đồng.",
        "Phát hiện 46 trường hợp vi phạm trật tự xây dựng, đã xử lý dứt điểm 40 trường hợp.",  # which one is the KPI?
        "Thu nhập bình quân đầu người đạt 95 triệu đồng/người/năm.",
        "Tổng chi ngân sách đạt 98% dự toán (2.3337 tỷ đồng).",  # malformed amount: no guess
        "Giá trị sản xuất công nghiệp - xây dựng ước đạt 9.870 tỷ đồng.",  # a sector's value
        "Sản xuất công nghiệp tăng trưởng ổn định, giá trị sản xuất đạt 305 tỷ đồng.",
        "Thu ngân sách vượt 18% chỉ tiêu.",  # a rate without an amount
        "Tỷ trọng thương mại - dịch vụ tăng 2,1% so với năm trước.",
        "Tổng vốn đầu tư đăng ký đạt 12 triệu USD.",
        "Tổng mức bán lẻ hàng hóa tăng 15-16% so với năm 2023.",
        "Hoàn thành 11/16 chỉ tiêu; 93/167 hộ đã nhận 125,5 tỷ đồng tiền bồi thường.",
        "Thu ngân sách địa phương đạt 1.290 tỷ đồng.",  # includes transfers from above
        "Đến hết tháng 10, thu ngân sách các phường đạt 120 tỷ đồng.",  # the wards' revenue
        "Công tác thu, chi ngân sách đạt 5.120 tỷ đồng.",  # which side?
        "Thu đạt 5.120 tỷ đồng, chi đạt 1.050 tỷ đồng.",  # thu and chi of what?
        "Tổng thu ngân sách dưới 500 tỷ đồng.",
        "Kinh tế - xã hội ổn định; tăng thu ngân sách 500 tỷ đồng so với cùng kỳ.",
        "Thu ngân sách tăng 512 tỷ đồng so với cùng kỳ.",  # a change, not the level
        "Thu ngân sách (không kể tiền sử dụng đất) đạt 3.210 tỷ đồng.",  # a part of the KPI
        "Thu ngân sách (không bao gồm tiền sử dụng đất) đạt 3.210 tỷ đồng.",
        "Xử phạt vi phạm hành chính, thu ngân sách nhà nước 1,2 tỷ đồng.",  # fines paid in
        "Giải ngân vốn đầu tư công còn chậm, nhiều dự án còn tồn 320 tỷ đồng chưa giải ngân.",
    ],
)
def test_no_fact_rather_than_a_guess(text, gazetteer):
    assert facts(text, gazetteer=gazetteer) == []


def test_a_period_set_in_an_earlier_paragraph_carries_to_amounts_not_counts(gazetteer):
    text = "Tính đến ngày 30/9, tổng thu ngân sách đạt 3.560 tỷ đồng.\n\nChi ngân sách đạt 1.210 tỷ đồng.\n\nQuận cấp 45 giấy phép xây dựng."
    assert [(f[1], f[4]) for f in facts(text, gazetteer=gazetteer)] == [
        ("budget_revenue", date(2024, 9, 30)), ("budget_expenditure", date(2024, 9, 30)), ("construction_permits", None)]


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        # the cut-off stated last before it names the month
        ("Đến hết tháng 9, thu ngân sách đạt 3.200 tỷ đồng.\n\nTrong tháng, quận cấp 18 giấy phép xây dựng.", None,
         [date(2024, 9, 30), date(2024, 9, 30)]),
        # a month named in the paragraph wins: 'cũng trong tháng' goes back to it
        ("Quận cấp 9 giấy phép xây dựng trong tháng 8. Cũng trong tháng, lực lượng chức năng xử lý 27 trường hợp "
         "vi phạm trật tự xây dựng.", HEADLINE, [date(2024, 8, 31), date(2024, 8, 31)]),
        # no cut-off before it: the title's, else the first the text states after it
        ("Trong tháng, quận cấp 18 giấy phép xây dựng.", "Quận Thanh Xuân: 9 tháng đầu năm 2024", [date(2024, 9, 30)]),
        ("Trong tháng, quận cấp 18 giấy phép xây dựng.\n\nTính đến 31/8, chi ngân sách đạt 900 tỷ đồng.", None,
         [date(2024, 8, 31), date(2024, 8, 31)]),
        ("Trong tháng, quận cấp 18 giấy phép xây dựng.", None, [None]),  # the month is not known
    ],
)
def test_the_month_without_a_number_is_the_month_reported_on(text, title, expected, gazetteer):
    found = facts(text, title=title, gazetteer=gazetteer, district_hint="Thanh Xuân")
    assert [fact[4] for fact in found] == expected
    assert [fact[5] for fact in found if fact[1] == "construction_permits"] == ["month"]


def test_a_cut_off_after_the_words_naming_the_figure_is_its_own(gazetteer):
    text = ("Năm 2024, quận tập trung đầu tư hạ tầng.\n\n"
            "Quận đã giải ngân 812,4 tỷ đồng vốn đầu tư công tính đến ngày 30/11/2024, đạt 71,3% kế hoạch.")
    assert [f[1:7] for f in facts(text, gazetteer=gazetteer)] == [
        ("public_investment_disbursement", 812400000000, None, date(2024, 11, 30), "ytd", 71.3)]


SEP30 = date(2024, 9, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # measured against the budget estimate
        ("Báo cáo cho biết, 9 tháng đầu năm 2024, quận thu được 4.118 tỷ đồng (đạt 79,3% dự toán; so với cùng kỳ tăng "
         "6,2%).", [(4118000000000, SEP30, 79.3, 6.2)]),
        ("Lũy kế 9 tháng, toàn quận đã thu được gần 4,1 nghìn tỷ đồng, bằng 79,3% dự toán năm.",
         [(4100000000000, SEP30, 79.3, None)]),
        # in a paragraph about the budget revenue that gave no revenue figure yet
        ("Công tác thu ngân sách được chỉ đạo sát sao. Đến hết tháng 9, quận đã thu được 4.118 tỷ đồng.",
         [(4118000000000, SEP30, None, None)]),
        ("Về thu ngân sách, 9 tháng năm 2024 quận Thanh Xuân thu được xấp xỉ 4.118 tỉ đồng.",
         [(4118000000000, SEP30, None, None)]),
        ("Về thu ngân sách, đến hết tháng 9-2024 quận thu được 4.118 tỉ đồng, đạt 79,3% dự toán HĐND quận giao.",
         [(4118000000000, SEP30, 79.3, None)]),
    ],
)
def test_what_a_unit_collects_against_the_budget_estimate_is_budget_revenue(text, expected, gazetteer):
    assert [(f[2], f[4], f[6], f[8]) for f in facts(text, gazetteer=gazetteer) if f[1] == "budget_revenue"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tháng 9, quận thu được 480 tỷ đồng.",  # nothing says it is the budget's
        "Quận thu được 12 tỷ đồng tiền phạt vi phạm hành chính, đạt 80% dự toán.",  # fines paid in
        "Riêng tiền sử dụng đất, quận thu được 820 tỷ đồng, đạt 61% dự toán.",  # a part of the revenue
        "Quận thu được 1.150 tỷ đồng từ đấu giá quyền sử dụng đất, đạt 58% dự toán.",
        "Trong đó, quận thu được 900 tỷ đồng, đạt 40% dự toán.",  # a part of a total given before
        "Quận thu được 900 tỷ đồng thuế ngoài quốc doanh, đạt 40% dự toán.",
        "Các phường thu được 95 tỷ đồng, đạt 90% dự toán.",  # the wards' sum
        "Năm 2025, quận phấn đấu thu được 7.000 tỷ đồng, bằng 100% dự toán.",  # a target, and no unit collects
        "Thu nhập bình quân đạt 82 triệu đồng/người/năm, đạt 101% kế hoạch.",
        "Quận thu hồi 12.500 m2 đất, đạt 90% kế hoạch.",
        "Toàn thành phố thu được 367 nghìn tỷ đồng, đạt 94% dự toán.",  # the city's
    ],
)
def test_what_is_collected_is_not_always_budget_revenue(text, gazetteer):
    assert [f for f in facts(text, gazetteer=gazetteer) if f[1] == "budget_revenue"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trong tháng 10, lực lượng chức năng xử lý 47 trường hợp vi phạm trật tự xây dựng; lũy kế 10 tháng xử lý 431 "
         "trường hợp.", [("urban_violations", 47, "month"), ("urban_violations", 431, "ytd")]),
        ("Riêng trong tháng 10, quận cấp 17 GPXD, nâng tổng số giấy phép xây dựng được cấp từ đầu năm lên 186 giấy phép.",
         [("construction_permits", 17, "month"), ("construction_permits", 186, "ytd")]),  # to October, not to today
        ("Lũy kế 10 tháng, quận cấp 186 giấy phép xây dựng, riêng trong tháng 10 cấp 17 giấy phép.",
         [("construction_permits", 186, "ytd"), ("construction_permits", 17, "month")]),
        ("Tháng 10, quận giải quyết việc làm cho 260 lao động, lũy kế từ đầu năm tạo việc làm cho 2.310 lao động.",
         [("jobs_created", 260, "month"), ("jobs_created", 2310, "ytd")]),
        ("Thu ngân sách tháng 10 ước đạt 512 tỷ đồng, nâng tổng thu từ đầu năm lên 4.735 tỷ đồng.",
         [("budget_revenue", 512000000000, "month"), ("budget_revenue", 4735000000000, "ytd")]),
        # a stock, not the year's count; another action, not the metric's
        ("Trong tháng 10, có 120 doanh nghiệp thành lập mới, nâng tổng số doanh nghiệp đang hoạt động trên địa bàn lên "
         "15.300 doanh nghiệp.", [("new_enterprises", 120, "month")]),
        ("Trong tháng 10, xử lý 47 trường hợp vi phạm trật tự xây dựng; lũy kế 10 tháng kiểm tra 1.250 công trình.",
         [("urban_violations", 47, "month")]),
    ],
)
def test_a_count_restated_for_the_year_so_far(text, expected, gazetteer):
    found = facts(text, published=date(2024, 11, 8), title=None, gazetteer=gazetteer, district_hint="Thanh Xuân")
    assert [(f[1], f[2], f[5]) for f in found] == expected
    assert {f[4] for f in found} == {OCT31}


def test_since_the_start_of_the_year_is_to_the_cut_off_the_article_reports(gazetteer):
    text = "Đến hết tháng 10, thu ngân sách đạt 4.735 tỷ đồng.\nTừ đầu năm đến nay, quận cấp 186 giấy phép xây dựng."
    assert [f[4] for f in facts(text, published=date(2024, 11, 8), gazetteer=gazetteer)] == [OCT31, OCT31]


def test_a_list_takes_the_period_and_the_target_of_the_line_that_opens_it(gazetteer):
    text = ("Kết quả 10 tháng năm 2024:\n- Thu ngân sách: 5.120,4 tỷ đồng, đạt 84,7% dự toán;\n"
            "- Cấp giấy phép xây dựng: 212 giấy phép.\n\n"
            "Các chỉ tiêu chủ yếu năm 2024:\n- Thu ngân sách: 6.045 tỷ đồng;\n- Giải quyết việc làm cho 3.000 lao động.")
    assert [(f[1], f[2], f[4], f[6], f[9]) for f in facts(text, gazetteer=gazetteer)] == [
        ("budget_revenue", 5120400000000, OCT31, 84.7, False),
        ("construction_permits", 212, OCT31, None, False),
        ("budget_revenue", 6045000000000, YEAR_END, None, True),
        ("jobs_created", 3000, YEAR_END, None, True),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the disbursed part of the capital allocated: the share after it is of that allocation
        ("Đến hết tháng 10, quận giải ngân được 312/540 tỷ đồng, đạt 57,8%.", [(312000000000, 57.8)]),
        ("Đến hết tháng 10, quận giải ngân được 312/540 tỷ đồng, đạt 57,8% kế hoạch vốn năm.", [(312000000000, 57.8)]),
        ("Đến hết tháng 10, quận giải ngân được 312/540 tỷ đồng vốn được giao.", [(312000000000, None)]),
        # a share that disagrees with the fraction, or a part larger than its whole: not a part of that whole
        ("Đến hết tháng 10, quận giải ngân được 312/540 tỷ đồng, đạt 75%.", []),
        ("Đến hết tháng 10, quận giải ngân được 540/312 tỷ đồng.", []),
    ],
)
def test_a_fraction_of_the_allocated_capital(text, expected, gazetteer):
    found = facts(text, gazetteer=gazetteer)
    assert [(f[2], f[6]) for f in found] == expected
    assert all(f[1] == "public_investment_disbursement" and f[4] == OCT31 for f in found)


@pytest.mark.parametrize(
    "lead", ["Một số chỉ tiêu chủ yếu 10 tháng năm 2024:", "Kết quả thực hiện các chỉ tiêu chủ yếu đến hết tháng 10:"])
def test_a_list_of_results_is_not_a_list_of_targets(lead, gazetteer):
    text = lead + "\n- Thu ngân sách: 5.120 tỷ đồng;\n- Cấp 212 giấy phép xây dựng."
    assert [(f[1], f[4], f[9]) for f in facts(text, gazetteer=gazetteer)] == [
        ("budget_revenue", OCT31, False), ("construction_permits", OCT31, False)]


def test_a_part_of_a_total_is_not_the_total(gazetteer):
    text = ("Tổng chi ngân sách địa phương ước thực hiện quý 3 là 257.343 triệu đồng. "
            "Trong đó, chi ngân sách huyện là 169.490 triệu đồng, chi ngân sách xã 87.650 triệu đồng.")
    assert [f[2] for f in facts(text, gazetteer=gazetteer)] == [257343000000]


def test_a_headline_rounding_the_body_figure_is_one_fact(gazetteer):
    text = ("Giá trị sản xuất năm 2024 ước đạt 115.075,8 tỷ đồng\n\n"
            "Ước giá trị sản xuất năm 2024 trên địa bàn đạt 115.075 tỷ 897 triệu đồng (tăng 8,6% so với cùng kỳ năm 2023).")
    assert [(f[2], f[8]) for f in facts(text, gazetteer=gazetteer)] == [(115075897000000, 8.6)]


def test_another_years_rate_in_brackets_is_left_out(gazetteer):
    text = "Tổng giá trị sản xuất ước đạt 23.456 tỷ đồng, tăng 7,8% so với cùng kỳ (năm 2023 tăng 10,8%)."
    assert facts(text, gazetteer=gazetteer)[0][8] == 7.8


def test_plan_ratios_keep_every_baseline_with_its_wording(gazetteer):
    text = ("Đến ngày 31/10, chi ngân sách đạt 1.204,5 tỷ đồng, đạt 77,14% dự toán thành phố giao; đạt 77,14% dự toán "
            "HĐND quận giao đầu năm và đạt 68,68% dự toán HĐND quận giao sau điều chỉnh, bổ sung.")
    [fact] = extract_text(text, published=PUBLISHED, gazetteer=gazetteer, title=HEADLINE).facts
    assert [(r.pct, r.baseline, r.wording) for r in fact.plan_ratios] == [
        (77.14, "city", "dự toán thành phố giao"),
        (77.14, "council_initial", "dự toán HĐND quận giao đầu năm"),
        (68.68, "adjusted", "dự toán HĐND quận giao sau điều chỉnh"),
    ]


def test_what_the_year_assigns_is_a_target_even_in_that_year(gazetteer):
    text = "Năm 2025, thu ngân sách được giao 7.300 tỷ đồng."
    assert [(f[2], f[4], f[9]) for f in facts(text, published=date(2025, 1, 10), gazetteer=gazetteer)] == [
        (7300000000000, date(2025, 12, 31), True)]


def test_year_less_cut_off_takes_the_publication_year(gazetteer):
    text = "Tính đến ngày 16/3, thu ngân sách nhà nước trên địa bàn quận đạt hơn 4,6 nghìn tỷ đồng, đạt 31,6 % dự toán."
    [fact] = facts(text, published=date(2023, 4, 7), gazetteer=gazetteer)
    assert (fact[2], fact[4], fact[6]) == (4600000000000, date(2023, 3, 16), 31.6)


def test_undated_article_takes_its_year_from_the_text(gazetteer):
    text = "Chiều 15/8, quận Thanh Xuân họp báo về 7 tháng đầu năm 2014. 7 tháng qua, tổng thu ngân sách đạt 2.105 tỷ đồng."
    assert facts(text, published=None, title=None, gazetteer=gazetteer)[0][4] == date(2014, 7, 31)


@pytest.mark.parametrize(
    "transform",
    [
        lambda text: unicodedata.normalize("NFD", text),
        lambda text: text.replace("triệu đồng", "ᴛɾіệᴜ ᵭồɴɢ").replace("ngân sách", "ɴɢâɴ ᵴáᴄɦ"),
        lambda text: text.replace(" ", "\u00a0").replace("đạt", "đ\u200bạt"),
    ],
)
def test_offsets_point_into_the_text_as_given(transform, gazetteer):
    text = transform("Quận Thanh Xuân họp.\nĐến ngày 31/10, thu ngân sách đạt 401.279 triệu đồng, bằng 49% dự toán.")
    article = extract_text(text, published=PUBLISHED, gazetteer=gazetteer)
    [fact] = article.facts
    assert article.text[fact.start:fact.end] == fact.evidence
    assert fact.evidence.startswith(transform("Đến ngày")[:3]) and fact.value == 401279000000 and fact.pct_of_plan == 49.0


def test_district_from_the_address_when_the_text_only_says_quận(gazetteer):
    text = "Đến ngày 08/02/2023, toàn quận thu ngân sách đạt 1.005 tỷ 123 triệu đồng."
    [fact] = facts(text, published=date(2023, 2, 11), title=None, gazetteer=gazetteer,
                   url="https://danviet.vn/quan-thanh-xuan-thu-ngan-sach-den-8-2-20230211.htm")
    assert fact[:3] == ("Thanh Xuân", "budget_revenue", 1005123000000)


def test_district_hint_and_unknown_units(gazetteer):
    text = "Đến ngày 30/9, thu ngân sách đạt 1.100 tỷ đồng."
    assert facts(text, title=None, gazetteer=gazetteer, district_hint="Q. Cầu Giấy")[0][0] == "Cầu Giấy"
    assert facts(text, title="Quận Bình Tân: thu ngân sách 9 tháng", gazetteer=gazetteer)[0][0] == "quận Bình Tân"
    assert facts(text, title=None, gazetteer=None) == []  # nobody named: whose figure it is would be a guess


def test_to_dict_is_json_ready(gazetteer):
    import json

    text = "Đến ngày 31/10, thu ngân sách đạt 5.606 tỷ đồng, đạt 84,72% dự toán thành phố giao."
    [fact] = extract_text(text, published=PUBLISHED, gazetteer=gazetteer, title=HEADLINE).facts
    row = json.loads(json.dumps(fact.to_dict()))
    assert row["as_of"] == "2024-10-31" and row["plan_ratios"][0]["baseline"] == "city"
    assert set(row) == {"district", "metric", "value", "unit", "qualifier", "as_of", "period", "pct_of_plan", "plan_ratios",
                        "pct_of_same_period", "growth_pct", "is_target", "evidence", "start", "end"}


_WORDS = ["Thu ngân sách", "chi ngân sách", "quận Thanh Xuân", "huyện", "đạt", "hơn", "bằng", "%", "dự toán",
          "so với cùng kỳ", "tăng", "tỷ đồng", "triệu", "nghìn tỷ", "đến ngày", "31/10", "năm 2024", "6 tháng đầu năm",
          "cấp", "giấy phép xây dựng", "(", ")", ",", ";", ".", "\n", "phấn đấu", "Hà Nội", "trong đó", "lũy kế",
          "ᴛɾіệᴜ ᵭồɴɢ", "Thu\u0300", "\u200b", "1.204,5", "5.606", "2.3337", "93/167", "15-16", "08"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS + ["7", "2023", "Cầu Giấy"]), max_size=60), st.booleans())
def test_any_text_gives_facts_whose_offsets_hold(words, decomposed):
    text = " ".join(words)
    text = unicodedata.normalize("NFD", text) if decomposed else text
    article = extract_text(text, published=PUBLISHED, title=HEADLINE)
    for fact in article.facts:
        assert article.text[fact.start:fact.end] == fact.evidence
        assert fact.unit in ("VND", "count", "percent") and fact.value >= 0


@pytest.mark.parametrize("text", ["", "   \n\n ", "Quận Thanh Xuân.", "5.606 tỷ đồng"])
def test_texts_without_figures(text):
    assert extract_text(text, published=PUBLISHED).facts == []


@pytest.mark.parametrize(
    "text",
    [
        "1." * 20000,  # a run of digits and dots: no backtracking from every position
        "1. " * 20000,  # numbers that could be list items: no look back to the line start from each
        "Kết quả:\n" + "- 1\n" * 20000,
        "1 tháng " * 10000,
        "Quận Thanh Xuân: 6 tháng đầu năm, thu ngân sách đạt 5 tỷ đồng, " * 3000,  # a run-on 'sentence'
        "quận Thanh Xuân, quận Bình Tân, " * 3000,
    ],
)
def test_pathological_texts_take_linear_time(text):
    import time

    start = time.process_time()
    article = extract_text(text, published=PUBLISHED)
    assert time.process_time() - start < 3  # each took 10-30 s when some step was quadratic
    assert all(article.text[f.start:f.end] == f.evidence and len(f.evidence) <= 1000 for f in article.facts)
