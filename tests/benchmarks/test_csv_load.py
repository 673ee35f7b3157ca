from benchmarks import csv_load


def test_benchmark_runs_both_sides_and_accounts_for_every_row(capsys):
    csv_load.main(["--rows", "3000"])  # the exit code says whether the target was met: not a property of the code
    out = capsys.readouterr().out
    assert "2,997 loaded + 3 quarantined + 0 skipped = 3,000" in out
    assert "median of 1 run(s), seconds: COPY" in out and "rows per second, ours/COPY: parse + validate + load" in out
    # the refresh is measured on its own, and leaving the session then finds the KPI tables current
    assert "refresh: full" in out and "+ refresh " in out
