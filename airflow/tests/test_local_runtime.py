"""The local runtime's operator on a stand-in CLI: the XCom is the result file, 2 and 65 fail at once,
other exits are retried, and the worker's own MOVALYTICS_* variables do not reach the command."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from movalytics_airflow.command import MovalyticsTaskFailed
from movalytics_airflow.local import MovalyticsLocalOperator
from movalytics_airflow.settings import read_settings

STAND_IN_CLI = Path(__file__).resolve().parent / "fixtures" / "exit_with.js"


def operator(task_id: str, state: Path, first: int, run_if: str | None = None) -> MovalyticsLocalOperator:
    settings = replace(read_settings("local"), cli=str(STAND_IN_CLI))
    return MovalyticsLocalOperator(
        task_id=task_id,
        arguments=[str(state / task_id), str(first)],
        environment={"MOVALYTICS_RUN_ID": "r1"},
        credentials=(),
        settings=settings,
        run_if=run_if,
    )


def test_a_command_that_succeeds_returns_its_result_file_with_only_its_own_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOVALYTICS_WAREHOUSE", "postgres://stray@worker/db")
    result = operator("fine", tmp_path, 0).execute({})
    assert result == {"status": "success", "runs": 1, "flags": ["MOVALYTICS_RESULT_FILE", "MOVALYTICS_RUN_ID"]}
    assert os.environ["MOVALYTICS_WAREHOUSE"] == "postgres://stray@worker/db"


@pytest.mark.parametrize("code", [2, 65])
def test_exit_2_and_65_fail_without_retry(tmp_path: Path, code: int) -> None:
    with pytest.raises(AirflowFailException, match=f"exited with {code} .*not retried"):
        operator("refused", tmp_path, code).execute({})


@pytest.mark.parametrize("code", [1, 75])
def test_other_exits_are_failures_airflow_retries(tmp_path: Path, code: int) -> None:
    with pytest.raises(MovalyticsTaskFailed, match="Airflow will retry it") as failed:
        operator("flaky", tmp_path, code).execute({})
    assert failed.value.exit_code == code


def test_an_unwanted_optional_step_is_skipped_without_running(tmp_path: Path) -> None:
    with pytest.raises(AirflowSkipException):
        operator("optional", tmp_path, 0, run_if="").execute({})
    assert not (tmp_path / "optional").exists()
