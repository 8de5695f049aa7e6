"""`storydesk analyze` names a file in another language instead of analysing it as English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydesk.cli.main import cli

# invented text
GERMAN = (
    "Die Fähre aus Skerra ist am Donnerstagabend im dichten Nebel mit einem Lastkahn"
    " zusammengestoßen, teilte die Küstenwache am Freitag mit.\n\n"
    "Zwölf Menschen wurden verletzt, zwei von ihnen schwer. Die Reederei hat die Nachtfahrten"
    " auf der Strecke bis zum Abschluss der Untersuchung eingestellt.\n\n"
    "Der Hafenmeister sagte, beide Schiffe seien zur selben Zeit im Kanal gewesen, und die"
    " Behörde werde am Montag eine förmliche Untersuchung eröffnen."
)
ENGLISH = (
    "The ferry from Skerra collided with a barge in thick fog on Thursday night, the coast"
    " guard said on Friday.\n\n"
    "Twelve people were injured, two of them seriously. The operator has suspended night"
    " sailings on the route until the inquiry ends.\n\n"
    "The harbour master said both vessels were in the channel at the same time, and the board"
    " will open a formal inquiry on Monday."
)


@pytest.mark.parametrize("raw", [False, True])
def test_a_non_english_file_is_named_and_the_rest_analysed(tmp_path: Path, raw: bool) -> None:
    (tmp_path / "de.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    files = [str(tmp_path / "de.txt"), str(tmp_path / "en.txt")]
    args = ["analyze", *files, "--published", "2026-03-13", *(["--raw"] if raw else [])]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1  # some inputs rejected, the rest processed
    assert f"rejected {files[0]}: language de: not analysed" in result.stderr
    (analysed,) = json.loads(result.stdout)
    assert analysed["text"].startswith("The ferry from Skerra")
