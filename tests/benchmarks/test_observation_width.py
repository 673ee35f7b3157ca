import re

from benchmarks import observation_width


def test_each_variant_appends_its_columns_and_they_match_the_warehouse(capsys, wh):
    assert observation_width.main(["--rows", "2000", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    variants = r"figures|department_figures|\+ obs_id|\+ file constants|\+ empty columns|all"
    counts = dict(re.findall(rf"^({variants})\s+(\d+)\s", out, re.MULTILINE))
    assert counts == {"figures": "13", "department_figures": "14", "+ obs_id": "14", "+ file constants": "20",
                      "+ empty columns": "25", "all": "33"}
    # 'all' has the columns of the observations view (the table before 0008); 'department_figures' those of the table
    for name, variant in (("observations", "all"), ("department_figures", "department_figures")):
        table = {column for (column,) in wh.query(f"select column_name from (describe {name})").rows}
        assert table == set(observation_width.columns(variant)), name
