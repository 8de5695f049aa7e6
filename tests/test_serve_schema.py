"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis,
in-process ASGI): no 500s, and every response matches what the schema promises."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storydesk.cli.main import cli
from storydesk.options import Options
from tests.conftest import EXAMPLES

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from storydesk.serve.app import create_app  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
EXAMPLES_PER_OPERATION = 3  # bounded: the whole schema runs in well under a minute


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The app's own schema over a private copy of the examples database."""
    db = tmp_path_factory.mktemp("schema") / "ex.db"
    result = CliRunner().invoke(
        cli, ["--db", str(db), "run", "--published", "2026-03-13", str(EXAMPLES)]
    )
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return schemathesis.openapi.from_asgi("/api/openapi.json", create_app(Options(db=Path(db))))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_keeps_its_schema(case: Any) -> None:
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
