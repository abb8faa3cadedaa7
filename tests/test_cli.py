"""The `rehabit` command: offline assessment and its error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rehabit.cli import main
from tests.support import answers_for


def test_assess_prints_the_result_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "answers.json"
    file.write_text(json.dumps({"answers": answers_for("urgent")}), encoding="utf-8")
    assert main(["assess", str(file)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["disposition"]["level"] == "urgent"
    assert result["causes"][0]["probability"] > 0


def test_assess_accepts_a_bare_answers_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "answers.json"
    file.write_text(json.dumps(answers_for("self_care")), encoding="utf-8")
    assert main(["assess", str(file)]) == 0
    assert json.loads(capsys.readouterr().out)["disposition"]["level"] == "self_care"


def test_assess_reports_field_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "answers.json"
    file.write_text(json.dumps({"answers": {"age": -4}}), encoding="utf-8")
    assert main(["assess", str(file)]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert "age" in errors


def test_assess_explains_unreadable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    assert main(["assess", str(bad)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
