"""Dossier sections and other lists as rows: JSON objects, and CSV text made from them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from storydesk.model import ClaimSource, Dossier
from storydesk.render.jsonout import dossier_to_dict

SECTIONS = ("facts", "quotes", "coverage", "articles", "conflicts", "timeline", "entities")


def section_rows(dossier: Dossier, section: str) -> list[dict[str, Any]]:
    """One section of a dossier as the objects of ``show --format json`` (coverage: per fact)."""
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}; expected one of {', '.join(SECTIONS)}")
    whole = dossier_to_dict(dossier)
    if section != "coverage":
        return list(whole[section])
    outlets = whole["coverage"]["outlets"]
    texts = [f["text"] for f in whole["facts"]]
    rows = []
    for item in whole["coverage"]["matrix"]:
        fact = item["fact"]
        row: dict[str, Any] = {"fact": fact, "text": texts[fact] if fact < len(texts) else ""}
        row.update({o: o in item["outlets"] for o in outlets})
        rows.append(row)
    return rows


def rows_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] = ()) -> str:
    """Rows as CSV text with a header; lists joined by "; ", supports as "article.sentence"."""
    names = list(columns) or _columns(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(n)) for n in names])
    return out.getvalue()


def render_csv(dossier: Dossier, section: str = "facts") -> str:
    """A dossier section as CSV text."""
    return rows_csv(section_rows(dossier, section))


def _columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    names: list[str] = []
    for row in rows:
        names += [k for k in row if k not in names]
    return names


# a cell starting with one of these is read as a formula by spreadsheets (OWASP "CSV injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """One CSV cell; text that a spreadsheet would run as a formula is quoted with "'"."""
    text = _text(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list):
        if value and all(
            isinstance(v, dict) and {"article", "sentence"} <= v.keys() for v in value
        ):
            return " ".join(f"{v['article']}.{v['sentence'] + 1}" for v in value)
        if all(isinstance(v, str | int | float) for v in value):
            return "; ".join(str(v) for v in value)
    if isinstance(value, dict) and value.keys() == {"source", "name", "via"}:  # attributed_to
        return ClaimSource(**value).label().removeprefix("per ")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
