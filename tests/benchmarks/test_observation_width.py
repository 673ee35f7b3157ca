import re

from benchmarks import observation_width


def test_each_variant_appends_its_columns_and_all_of_them_match_the_observations_table(capsys, wh):
    assert observation_width.main(["--rows", "2000", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    counts = dict(re.findall(r"^(figures|\+ obs_id|\+ file constants|\+ empty columns|all)\s+(\d+)\s", out, re.MULTILINE))
    assert counts == {"figures": "13", "+ obs_id": "14", "+ file constants": "20", "+ empty columns": "25", "all": "33"}
    # 'all' is the table a load writes: the same column names as the warehouse's observations
    table = {name for (name,) in wh.query("select column_name from (describe observations)").rows}
    assert table == set(observation_width.all_columns())
