"""Per-department mapping files: every shipped one loads and is documented; a new department needs only a file."""

from datetime import date

import pytest

from contracts.department_mappings import MAPPINGS_DIR, MappingError, department_mappings, read_mapping
from tests.support.departments import check, figures, parse


def test_every_shipped_mapping_loads_with_a_distinct_department():
    mappings = department_mappings()
    assert {m.department for m in mappings} == {"tai_chinh_ke_hoach", "quan_ly_do_thi", "kinh_te", "lao_dong"}


def test_every_mapping_key_is_documented():
    readme = (MAPPINGS_DIR / "README.md").read_text(encoding="utf-8")
    for key in ("department", "name", "[match] file_names", "[match] keywords", "[defaults] unit", "[defaults] basis",
                "[defaults] metric", "[columns]", "[rows]", "skip_rows"):
        assert f"`{key}`" in readme, key


def test_finance_file_read_through_its_mapping():
    text = (
        "UBND QUẬN THANH XUÂN\nBÁO CÁO THÁNG 10/2024\n"
        "STT;Chỉ tiêu;Thực hiện tháng 10;Lũy kế 10 tháng\n"
        "1;Thu NSNN trên địa bàn quận;520,4;5.606,2\n"
        "-;Thu tiền sử dụng đất;10;100\n"
        "2;Chi ngân sách quận;100;1.204,5\n"
    )
    parsed = parse(text, name="thanh_xuan_tckh_10_2024.csv")
    assert parsed.department == "tai_chinh_ke_hoach"
    result = check(parsed)
    assert figures(result, "metric", "basis", "value") == [
        ("budget_revenue", "month", 520_400_000_000.0), ("budget_revenue", "ytd", 5_606_200_000_000.0),
        ("budget_expenditure", "month", 100_000_000_000.0), ("budget_expenditure", "ytd", 1_204_500_000_000.0),
    ]
    assert result.skipped.select("source_row", "rule").rows() == [(5, "mapping_skip")]
    assert "tệp ánh xạ" in result.skipped["message"][0]


def test_a_new_department_needs_a_mapping_file_not_code(tmp_path):
    path = tmp_path / "van_hoa.toml"
    path.write_text(
        'department = "van_hoa"\nname = "Phòng Văn hóa"\n'
        '[match]\nfile_names = ["*vh_*"]\n'
        '[defaults]\nbasis = "month"\n'
        '[columns]\n"Nội dung" = "metric"\n"Số liệu thực hiện" = "value"\n"Kỳ" = "period"\n"Địa bàn" = "district"\n'
        '[rows]\n"Số hộ kinh doanh mới" = "new_enterprises"\n',
        encoding="utf-8",
    )
    text = "Địa bàn,Nội dung,Kỳ,Số liệu thực hiện\nĐống Đa,Số hộ kinh doanh mới,03/2024,41\n"
    parsed = parse(text, name="vh_dong_da.csv", mappings=[read_mapping(path)])
    assert parsed.department == "van_hoa"
    assert figures(check(parsed), "unit_id", "metric", "month_start", "basis", "value") == [
        ("hn-dong-da", "new_enterprises", date(2024, 3, 1), "month", 41.0)
    ]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ('department = "x"\n[rows]\n"Thu" = "budget_revenu"\n', r"x\.toml: rows\.'Thu' = 'budget_revenu' is not a metric code"),
        ('department = "x"\n[columns]\n"Thu" = "nowhere"\n', r"x\.toml: columns\.'Thu' = 'nowhere' is not a metric code"),
        ('department = "x"\ncolour = "red"\n', r"x\.toml: needs 'department'; unknown keys \['colour'\]"),
        ('name = "x"\n', r"x\.toml: needs 'department'"),
        ('department = "x"\n[defaults]\nbasis = "weekly"\n', r"x\.toml: defaults\.basis must be one of"),
        ('department = "x"\n[defaults]\nunit = "đô la"\n', r"x\.toml: defaults\.unit: unknown unit 'đô la'"),
        ('department = "x"\n[defaults\n', r"x\.toml: "),
    ],
)
def test_a_wrong_mapping_names_its_file_and_key(tmp_path, body, error):
    path = tmp_path / "x.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(MappingError, match=error):
        read_mapping(path)
