"""ruff's Airflow rules (AIR: Airflow 3 names and imports, no top-level Variable.get, ...) and our
general lint rules (airflow/pyproject.toml) pass on the DAG and the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

AIRFLOW_DIR = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).parent / "ruff"


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RUFF), *args], cwd=AIRFLOW_DIR, capture_output=True, text=True, check=False)


def test_ruff_airflow_rules_are_clean() -> None:
    result = ruff("check", "--select", "AIR", "--output-format", "concise", "dags", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_project_rules_and_format_are_clean() -> None:
    result = ruff("check", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    formatted = ruff("format", "--check", ".")
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
