"""docs/model.md's parameter tables are generated from the lever declarations, and a
test fails when they drift (docs/scenario-reference.md: tests/test_docs.py)."""

from __future__ import annotations

import shutil

from adoption.config.lever import declared_fields
from adoption.config.reference import BEGIN, END, parameter_tables
from tests.conftest import REPO, assert_clean_error

MODEL = REPO / "docs" / "model.md"


def test_model_md_parameter_tables_are_current():
    text = MODEL.read_text()
    block = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert block == parameter_tables(), (
        "docs/model.md's parameter tables are stale: adoption scenario reference --update docs"
    )


def test_every_declared_field_has_a_row_with_its_source():
    rows = parameter_tables().replace("\\|", "|").splitlines()
    for field in declared_fields():
        source = " ".join(field.meta["source"].split())
        matching = [row for row in rows if f"`{field.path}`" in row and source in row]
        assert matching, field.path
        assert any(("(key)" in row) == field.meta["key"] for row in matching), field.path


def test_update_rewrites_a_stale_block_and_leaves_the_rest(cli, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(MODEL, docs / "model.md")
    text = MODEL.read_text()
    stale = text.replace("| `tool.poc_accuracy` | 0.95 |", "| `tool.poc_accuracy` | 0.9 |")
    assert stale != text
    (docs / "model.md").write_text(stale)
    result = cli("scenario", "reference", "--update", docs)
    assert result.code == 0, result.err
    assert (docs / "model.md").read_text() == text
    assert (docs / "scenario-reference.md").read_text() == cli("scenario", "reference").out


def test_update_without_the_markers_or_model_md_is_a_clean_error(cli, tmp_path):
    assert_clean_error(cli("scenario", "reference", "--update", tmp_path), "no model.md there")
    (tmp_path / "model.md").write_text("# The model\n")
    assert_clean_error(cli("scenario", "reference", "--update", tmp_path), "markers")
    assert not (tmp_path / "scenario-reference.md").exists()
