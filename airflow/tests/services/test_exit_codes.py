"""Airflow retries a task that exits 75 and fails one that exits 2 or 65 at once (local runtime)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from services_support import airflow_env, dags_test

TEST_DAGS = Path(__file__).resolve().parents[1] / "dags"


def test_exit_75_is_retried_while_2_and_65_fail_without_retry(tmp_path: Path) -> None:
    env = airflow_env(tmp_path / "home", TEST_DAGS)
    state = tmp_path / "state"
    state.mkdir()
    code, log = dags_test(env, "movalytics_exit_codes", "-c", json.dumps({"state_dir": str(state)}), timeout=300)
    assert code != 0, "the run has failed tasks, so `dags test` must report failure"

    runs = {path.name: int(path.read_text()) for path in state.iterdir()}
    assert runs == {"transient_then_success": 2, "always_transient": 3, "usage_error": 1, "bad_data": 1}, log[-4000:]

    with sqlite3.connect(tmp_path / "home" / "airflow.db") as db:
        rows = db.execute(
            "SELECT task_id, state, try_number FROM task_instance WHERE dag_id = 'movalytics_exit_codes'"
        ).fetchall()
    assert {task: (state, tries) for task, state, tries in rows} == {
        "transient_then_success": ("success", 2),
        "always_transient": ("failed", 3),
        "usage_error": ("failed", 1),
        "bad_data": ("failed", 1),
    }
    assert "usage_error exited with 2 (usage or configuration error); not retried" in log
    assert "bad_data exited with 65 (bad input data); not retried" in log
