import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import UserError
from flows.commands import extract

FIXTURES = Path(__file__).parents[2] / "sources" / "news" / "fixtures"
ARTICLE = """URL: https://example.vn/quan-cau-giay-10-thang-2024.html
TITLE: Quận Cầu Giấy: 10 tháng thu ngân sách đạt hơn 12.300 tỷ đồng

Sáng 6-11, UBND quận Cầu Giấy họp đánh giá tình hình kinh tế - xã hội tháng 10.

Đến ngày 31-10-2024, thu ngân sách nhà nước trên địa bàn quận đạt hơn 12.300 tỷ đồng, đạt 91,2% dự toán thành phố giao. Quận đã cấp 74 giấy phép xây dựng.
"""


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dkpi")
    extract.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "cau_giay.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_json_lines_per_input(article_file, capsys):
    assert run(["extract", "--json", "--published", "2024-11-07", str(article_file), str(FIXTURES / "thanh_tri_2023_09.html")]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert (first["source"], first["title"], first["published"]) == (
        str(article_file), "Quận Cầu Giấy: 10 tháng thu ngân sách đạt hơn 12.300 tỷ đồng", "2024-11-07")
    assert [(f["district"], f["metric"], f["value"], f["as_of"], f["pct_of_plan"]) for f in first["facts"]] == [
        ("Cầu Giấy", "budget_revenue", 12300000000000, "2024-10-31", 91.2),
        ("Cầu Giấy", "construction_permits", 74, "2024-10-31", None),
    ]
    body = ARTICLE.split("\n\n", 1)[1]
    fact = first["facts"][0]
    assert body[fact["start"]:fact["end"]] == fact["evidence"]  # offsets index the text without its header
    assert second["title"].startswith("Huyện Thanh Trì") and second["facts"][0]["metric"] == "budget_revenue"


def test_table_is_aligned_and_written_the_vietnamese_way(article_file, capsys):
    assert run(["extract", str(article_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("Quận Cầu Giấy: 10 tháng thu ngân sách đạt hơn 12.300 tỷ đồng")
    assert "12.300 tỷ" in lines[3] and "91,2%" in lines[3] and "more_than" in lines[3]
    assert len({line.index("metric") for line in lines[1:2]} | {lines[3].index("budget_revenue")}) == 1


def test_plain_text_without_header(tmp_path, capsys):
    path = tmp_path / "plain.txt"
    path.write_text("Quận Cầu Giấy đã cấp 74 giấy phép xây dựng.", encoding="utf-8")
    run(["extract", "--json", str(path)])
    row = json.loads(capsys.readouterr().out)
    assert row["title"] is None and row["facts"][0]["value"] == 74


def test_unreadable_inputs_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="cannot read"):
        run(["extract", str(tmp_path / "missing.txt")])
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Thu ngân sách".encode("utf-16"))
    with pytest.raises(UserError, match="not UTF-8"):
        run(["extract", str(latin)])


def test_published_must_be_a_date(article_file):
    with pytest.raises(SystemExit):
        run(["extract", "--published", "8/11/2024", str(article_file)])


def test_the_command_does_not_load_prefect(article_file):
    code = ("import sys, argparse; from flows.commands import extract; p = argparse.ArgumentParser();"
            "extract.register(p.add_subparsers()); a = p.parse_args(['extract', '--json', sys.argv[1]]); a.handler(a);"
            "print('prefect' in sys.modules, 'duckdb' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code, str(article_file)], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).parents[3])
    assert result.stdout.splitlines()[-1] == "False False"
