"""The one atomic writer: complete content, or the target untouched and no leftovers."""

from __future__ import annotations

import pytest

from adoption.files import partial_path, write_atomically


def test_bytes_are_written_whole(tmp_path):
    target = tmp_path / "data.bin"
    assert write_atomically(target, b"\x00hello\n") == target
    assert target.read_bytes() == b"\x00hello\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.bin"]


def test_a_writer_is_called_on_the_hidden_sibling(tmp_path):
    target = tmp_path / "table.csv"
    seen = []

    def writer(path):
        seen.append(path)
        path.write_text("a,b\n1,2\n")

    write_atomically(str(target), writer)
    assert seen == [tmp_path / ".table.csv.partial"] == [partial_path(target)]
    assert target.read_text() == "a,b\n1,2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_replacing_an_existing_file(tmp_path):
    target = tmp_path / "metrics.json"
    target.write_text("old")
    write_atomically(target, b"new")
    assert target.read_text() == "new"


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_failing_writer_leaves_the_target_untouched_and_no_partial(tmp_path, error):
    target = tmp_path / "report.html"
    target.write_text("the previous report")

    def writer(path):
        path.write_text("half a rep")
        raise error("interrupted")

    with pytest.raises(error):
        write_atomically(target, writer)
    assert target.read_text() == "the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_failed_first_write_leaves_nothing(tmp_path):
    target = tmp_path / "new.csv"

    def writer(path):
        path.write_text("x")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, writer)
    assert list(tmp_path.iterdir()) == []


def test_bytes_to_a_missing_directory_fail_cleanly(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "missing" / "x.bin", b"x")
    assert list(tmp_path.iterdir()) == []


def test_the_writer_is_the_lowest_layer():
    import ast
    from pathlib import Path

    import adoption.files

    tree = ast.parse(Path(adoption.files.__file__).read_text())
    modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in modules if m.startswith("adoption")]
