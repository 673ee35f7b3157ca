"""dkpi docs: the data dictionary, written and checked."""

from flows.cli import main
from flows.commands.docs import DEFAULT_OUTPUT


def test_docs_writes_the_dictionary_and_check_compares_it(tmp_path, capsys):
    output = tmp_path / "dictionary.md"
    assert main(["docs", "--output", str(output), "--check"]) == 1
    assert "out of date" in capsys.readouterr().out
    assert main(["docs", "--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == DEFAULT_OUTPUT.read_text(encoding="utf-8")
    assert main(["docs", "--output", str(output), "--check"]) == 0
    assert "up to date" in capsys.readouterr().out
