import pytest

from sources.news.amounts import find_amounts
from sources.news.comparisons import baseline_code, read_ratios
from sources.text import lower_in_place


def ratios(tail: str):
    text = lower_in_place(tail)
    result = read_ratios(text, [a for a in find_amounts(text) if a.unit == "percent"], [(0, len(text))])
    return [(pct, baseline) for pct, baseline, _, _ in result.plan], result.same_period, result.growth


@pytest.mark.parametrize(
    ("tail", "plan", "same_period", "growth"),
    [
        (", đạt 84,72% dự toán thành phố và HĐND quận giao (bằng 118,5% so với cùng kỳ năm 2023).",
         [(84.72, "city_council")], 118.5, None),
        (", đạt 77,14% dự toán thành phố giao; đạt 77,14% dự toán HĐND quận giao đầu năm và đạt 68,68% dự toán HĐND "
         "quận giao sau điều chỉnh, bổ sung", [(77.14, "city"), (77.14, "council_initial"), (68.68, "adjusted")], None, None),
        (", đạt 49% dự toán tỉnh, 42% dự toán huyện giao.", [(49.0, "province"), (42.0, "district")], None, None),
        (", bằng 90,53% so với dự toán", [(90.53, "plan")], None, None),  # a plan ratio despite 'so với'
        (", bằng 125,4% so với cùng kỳ, đạt 147,4% dự toán", [(147.4, "plan")], 125.4, None),
        (", đạt 87% chỉ tiêu pháp lệnh năm", [(87.0, "plan")], None, None),
        (", tăng 20% so với cùng kỳ năm 2022", [], None, 20.0),
        (", so với cùng kỳ tăng 14,24%", [], None, 14.24),
        (", giảm 5,5% so với cùng kỳ", [], None, -5.5),
        (", tăng hơn 2% so với cùng kỳ", [], None, 2.0),
        (", vượt hơn 18% chỉ tiêu, vượt gần 7,5% dự toán giao", [], None, None),  # overshoots, not ratios
        (", giảm 3,52% mức tăng", [], None, None),  # a change of a rate
        (", tăng trung bình 19,37%/năm", [], None, None),
        (", tăng lần lượt 17% và 57%", [], None, None),
        (" (năm 2019 tăng 10,8%)", [], None, None),  # another year's rate
        (" (dự kiến 6 tháng đầu năm đạt 70% dự toán)", [], None, None),
        (", tăng 5% so với kế hoạch", [], None, None),
        # the baseline first
        (", so với dự toán đạt 84,72%, so với cùng kỳ bằng 118,5%", [(84.72, "plan")], 118.5, None),
        (", so với dự toán thành phố giao đạt 92,1%", [(92.1, "city")], None, None),
        (", so với kế hoạch năm 2024 đạt 90%", [(90.0, "plan")], None, None),
        (", so với cùng kỳ năm trước bằng 96%", [], 96.0, None),
        (", so với kế hoạch tăng 5%", [], None, None),  # an overshoot, like 'tăng 5% so với kế hoạch'
    ],
)
def test_read_ratios(tail, plan, same_period, growth):
    assert ratios(tail) == (plan, same_period, growth)


@pytest.mark.parametrize(
    ("wording", "code"),
    [("dự toán Thành phố giao", "city"), ("dự toán HĐND quận giao", "council"), ("kế hoạch", "plan"),
     ("dự toán HĐND quận giao đầu năm", "council_initial"), ("dự toán sau điều chỉnh", "adjusted"),
     ("dự toán TP giao", "city"), ("dự toán tỉnh giao", "province"), ("dự toán huyện giao", "district")],
)
def test_baseline_code(wording, code):
    assert baseline_code(wording) == code
