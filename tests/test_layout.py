"""The package layout keeps its promises: importing any module loads no model or parser."""

from __future__ import annotations

import subprocess
import sys

# Loaded only inside the functions that need them (DESIGN.md: optional heavy imports are lazy).
HEAVY = ("spacy", "thinc", "onnxruntime", "tokenizers", "trafilatura", "feedparser", "warcio")

_PROBE = """
import importlib, pkgutil, sys
import storydesk
heavy = set(sys.argv[1:])
for info in pkgutil.walk_packages(storydesk.__path__, "storydesk."):
    importlib.import_module(info.name)
    loaded = sorted(heavy & {m.split(".")[0] for m in sys.modules})
    if loaded:
        print(info.name, *loaded)
        break
"""


def test_importing_any_module_loads_no_heavy_dependency() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, *HEAVY], capture_output=True, text=True, check=True
    )
    assert out.stdout == ""


def test_every_stage_is_a_package() -> None:
    import importlib

    stages = "ingest clean analyze lineage cluster crosscheck dossier render store pipeline"
    for name in [*stages.split(), "text", "cli"]:
        module = importlib.import_module(f"storydesk.{name}")
        assert module.__file__ is not None and module.__file__.endswith("__init__.py"), name
