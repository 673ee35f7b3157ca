from datetime import date

import pytest

from sources.news.dates import find_periods, year_hint

PUBLISHED = date(2023, 11, 8)


@pytest.mark.parametrize(
    ("text", "written", "period", "as_of"),
    [
        ("đến ngày 31-10-2023, thu ngân sách", "đến ngày 31-10-2023", "ytd", date(2023, 10, 31)),
        ("tính đến 16/3, thu ngân sách", "đến 16/3", "ytd", date(2023, 3, 16)),  # year from publication
        ("đến hết ngày 12/6 là hơn 5.366 tỷ", "đến hết ngày 12/6", "ytd", date(2023, 6, 12)),
        ("đến ngày 31 tháng 12 năm 2022", "đến ngày 31 tháng 12 năm 2022", "year", date(2022, 12, 31)),
        ("tính đến cuối tháng 9/2023, tổng", "đến cuối tháng 9/2023", "ytd", date(2023, 9, 30)),
        ("đến hết quý III, quận", "đến hết quý III", "ytd", date(2023, 9, 30)),
        ("10 tháng năm 2023, thu", "10 tháng năm 2023", "ytd", date(2023, 10, 31)),
        ("6 tháng đầu năm, kinh tế", "6 tháng đầu năm", "ytd", date(2023, 6, 30)),
        ("Trong 9 tháng đầu năm 2022, kinh tế", "9 tháng đầu năm 2022", "ytd", date(2022, 9, 30)),
        ("7 tháng qua, tổng thu", "7 tháng qua", "ytd", date(2023, 7, 31)),
        ("nửa đầu năm 2023, quận", "nửa đầu năm 2023", "ytd", date(2023, 6, 30)),
        ("quý I/2023 thu ngân sách", "quý I/2023", "ytd", date(2023, 3, 31)),
        ("quý 3 năm 2023 thu ngân sách", "quý 3 năm 2023", "quarter", date(2023, 9, 30)),
        ("trong 3 quý đầu năm, thu", "3 quý đầu năm", "ytd", date(2023, 9, 30)),
        ("năm 2024 ước đạt", "năm 2024", "year", date(2024, 12, 31)),
        ("ước cả năm đạt", "cả năm", "year", date(2023, 12, 31)),
        ("tháng 02/2023 thu", "tháng 02/2023", "month", date(2023, 2, 28)),
        ("lũy kế từ đầu năm đến nay, quận", "từ đầu năm đến nay", "ytd", PUBLISHED),
        ("tính đến thời điểm 30/9, thu", "đến thời điểm 30/9", "ytd", date(2023, 9, 30)),
        ("Hết tháng 9, thu ngân sách", "Hết tháng 9", "ytd", date(2023, 9, 30)),  # to the end of, not the month's own
        ("hết quý III/2023, quận", "hết quý III/2023", "ytd", date(2023, 9, 30)),
        ("tính đến hết ngày 15/10, quận", "đến hết ngày 15/10", "ytd", date(2023, 10, 15)),
        ("lũy kế đến 30/9/2023 đạt", "đến 30/9/2023", "ytd", date(2023, 9, 30)),
        ("quý III/2023 thu ngân sách", "quý III/2023", "quarter", date(2023, 9, 30)),
        ("tháng 10-2023, thu", "tháng 10-2023", "month", date(2023, 10, 31)),
    ],
)
def test_find_periods(text, written, period, as_of):
    [mention] = find_periods(text, PUBLISHED)
    assert (text[mention.start:mention.end], mention.period, mention.as_of(PUBLISHED, None)) == (written, period, as_of)


@pytest.mark.parametrize(
    "text",
    [
        "tăng 8,6% so với cùng kỳ năm 2022",  # the comparison's period
        "tăng 10,82% so với 6 tháng đầu năm 2022",
        "triển khai nhiệm vụ trọng tâm quý IV năm 2023",  # next quarter's work
        "phấn đấu 3 tháng cuối năm hoàn thành",
        "đạt 90% kế hoạch năm 2023",
        "nhiệm kỳ 2020-2025",
        "giai đoạn 2021 - 2025",
        "đạt mức cao nhất từ trước đến nay",
        "Sáng 8/11, UBND quận họp; ngày 29 tháng 12 năm 2022",  # days something happened
        "sau 19 năm thành lập\nNăm",
        "đã xử lý hết 12/12 trường hợp",  # all twelve cases, not the 12th of December
    ],
)
def test_comparisons_plans_and_events_are_not_reporting_periods(text):
    assert [text[m.start:m.end] for m in find_periods(text, PUBLISHED)] == []


@pytest.mark.parametrize("text", ["Trong tháng, quận cấp", "xử lý 12 trường hợp trong tháng.", "trong tháng qua, quận"])
def test_the_month_without_a_number_is_the_month_reported_on(text):
    [mention] = find_periods(text, PUBLISHED)
    assert mention.period == "month" and mention.as_of(PUBLISHED, None) is None  # unknown until a cut-off names it
    assert mention.as_of(PUBLISHED, None, reported=date(2023, 10, 15)) == date(2023, 10, 31)


def test_since_the_start_of_the_year_runs_to_the_cut_off_reported():
    [mention] = find_periods("Lũy kế từ đầu năm đến nay, quận", PUBLISHED)
    assert mention.as_of(PUBLISHED, None, reported=date(2023, 10, 31)) == date(2023, 10, 31)


def test_the_quarter_without_a_number_is_the_quarter_reported_on():
    [mention] = find_periods("Trong quý, thị xã cấp", PUBLISHED)
    assert mention.period == "quarter" and mention.as_of(PUBLISHED, None, reported=date(2023, 9, 30)) == date(2023, 9, 30)


@pytest.mark.parametrize("text", ["trong tháng tới, quận", "hưởng ứng tháng cao điểm", "trong tháng thanh niên"])
def test_other_months_without_a_number_are_no_period(text):
    assert find_periods(text, PUBLISHED) == []


def test_closing_months_are_a_period_once_they_are_over():
    [mention] = find_periods("6 tháng cuối năm 2023, thu ngân sách", date(2024, 1, 20))
    assert (mention.period, mention.as_of(date(2024, 1, 20), None)) == ("half_year", date(2023, 12, 31))
    assert find_periods("6 tháng cuối năm 2023, quận tập trung", date(2023, 7, 5)) == []


def test_a_targets_own_year_is_its_period():
    [mention] = find_periods("mục tiêu năm 2025 thu ngân sách đạt", PUBLISHED)
    assert mention.as_of(PUBLISHED, None) == date(2025, 12, 31)


def test_a_year_less_period_after_publication_is_last_years():
    [mention] = find_periods("đến ngày 31/12 thu ngân sách", date(2024, 1, 10))
    assert mention.as_of(date(2024, 1, 10), None) == date(2023, 12, 31)


def test_last_year_in_a_january_article():
    [mention] = find_periods("trong năm qua, quận", date(2021, 1, 15))
    assert mention.as_of(date(2021, 1, 15), None) == date(2020, 12, 31)


def test_undated_article_takes_its_most_written_year():
    mentions = find_periods("7 tháng đầu năm, ... những tháng cuối năm 2014 ... năm 2014, năm 2013")
    assert year_hint(mentions) == 2014
    assert mentions[0].as_of(None, year_hint(mentions)) == date(2014, 7, 31)
