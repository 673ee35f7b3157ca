"""dkpi explain: from a KPI figure to the file rows and article sentences behind it."""

import pytest

from flows.cli import main
from tests.support.observations import B, insert, news
from warehouse import Warehouse


@pytest.fixture
def target(warehouse_path):
    with Warehouse(warehouse_path) as wh:
        insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-09", 5_155.4 * B, annual_plan=6_617 * B,
               source_name="thanh_xuan_tai_chinh.csv", source_row=11, source_column="Giá trị")
        insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-10", 5_789.3 * B,
               source_name="thanh_xuan_tai_chinh.csv", source_row=12, source_column="Giá trị")
        news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 5_606 * B, qualifier="more_than", pct_of_plan=84.72,
             source_name="https://hanoimoi.vn/thanh-xuan", evidence="thu ngân sách hơn 5.606 tỷ đồng, đạt 84,72% dự toán",
             evidence_start=120, evidence_end=171)
    return str(warehouse_path)


def test_the_chain_from_the_figure_to_its_sources(target, capsys):
    assert main(["--warehouse", target, "explain", "--district", "quan thanh xuan", "--metric", "Thu NSNN",
                 "--month", "2024-10"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("budget_revenue · Thanh Xuân (hn-thanh-xuan) · 2024-10\n")
    assert "value       633.900.000.000 VND  = this month's cumulative figure − the year to date at the end of the previous month" in out
    assert "ytd_value   5.789.300.000.000 VND  = the cumulative figure" in out
    assert "source      department, figures as of 2024-10-31" in out
    assert "annual plan 6.617.000.000.000 VND (reported): 87,49 % of plan (computed)" in out
    assert "+ previous_ytd" in out and "file thanh_xuan_tai_chinh.csv, row 11, column 'Giá trị'" in out
    assert "+ cumulative_figure" in out and "file thanh_xuan_tai_chinh.csv, row 12, column 'Giá trị'" in out
    assert "- not used: department_wins" in out and "hơn 5.606.000.000.000 VND (84,72 % of plan)" in out
    assert "https://hanoimoi.vn/thanh-xuan, characters 120–171:" in out
    assert '"thu ngân sách hơn 5.606 tỷ đồng, đạt 84,72% dự toán"' in out


def test_a_month_outside_the_series_is_a_clear_error(target, capsys):
    assert main(["--warehouse", target, "explain", "--district", "Thanh Xuân", "--metric", "budget_revenue",
                 "--month", "2023-01"]) == 2
    assert "no kpi_monthly row for Thanh Xuân, budget_revenue, 2023-01" in capsys.readouterr().err



def test_a_year_to_date_built_on_an_earlier_cumulative_figure_is_explained(warehouse_path, capsys):
    with Warehouse(warehouse_path) as wh:
        news(wh.con, "Cầu Giấy", "construction_permits", "2024-03-31", 20, basis="quarter")
        insert(wh.con, "Cầu Giấy", "construction_permits", "2024-04", 4, basis="month")
    assert main(["--warehouse", str(warehouse_path), "explain", "--district", "Cầu Giấy", "--metric",
                 "construction_permits", "--month", "2024-04"]) == 0
    out = capsys.readouterr().out
    assert "ytd_value   24 count  = an earlier cumulative figure of the year + the month values since" in out
    assert "+ base_cumulative" in out and "+ month_figure" in out
