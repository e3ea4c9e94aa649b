"""The DAG parses cleanly and carries the scheduling, retry and alerting settings we rely on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from airflow.dag_processing.dagbag import BundleDagBag
from airflow.sdk.exceptions import ParamValidationError

from movalytics_dwh import DAG_ID, build_dag
from support import DAGS


@pytest.fixture(scope="module")
def dagbag() -> BundleDagBag:
    return BundleDagBag(dag_folder=str(DAGS), bundle_path=DAGS, bundle_name="dags-folder")


def test_dag_folder_has_no_import_errors_and_only_our_dag(dagbag: BundleDagBag) -> None:
    assert dagbag.import_errors == {}
    assert sorted(dagbag.dag_ids) == [DAG_ID]


def test_dag_runs_daily_one_at_a_time_with_docs_and_a_deadline(dagbag: BundleDagBag) -> None:
    dag = dagbag.dags[DAG_ID]
    assert dag.max_active_runs == 1
    assert dag.timetable.expression == "0 0 * * *"  # @daily
    assert dag.catchup is False
    assert "Trigger DAG w/ config" in (dag.doc_md or "")
    [deadline] = dag.deadline
    assert deadline.interval == timedelta(hours=6)
    assert deadline.callback.path == "movalytics_airflow.alerts.deadline_missed"


@pytest.mark.parametrize("runtime", ["local", "docker", "kubernetes"])
def test_every_task_retries_with_exponential_backoff_and_has_a_timeout(runtime: str) -> None:
    dag = build_dag(runtime)
    for task in dag.tasks:
        assert task.retries == 3, task.task_id
        assert task.retry_exponential_backoff == 2.0, task.task_id
        assert task.max_retry_delay == timedelta(minutes=30), task.task_id
        assert task.execution_timeout is not None and task.execution_timeout <= timedelta(hours=3), task.task_id


def test_params_offer_run_id_scale_lake_warehouse_sources_and_shards() -> None:
    params = build_dag("local").params
    assert set(params.keys()) == {
        *("run_id", "scale", "lake", "warehouse", "movies_source", "cpi_source", "sample_dir", "shards"),
    }
    params.validate()  # the defaults are valid


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("run_id", "20250102", "bad run id"),
        ("run_id", "backfill.2025-01_x=1", "-starts-with-dash"),
        ("scale", "tiny", "huge"),
        ("lake", "s3://bucket/prefix", "ftp://x"),
        ("warehouse", "postgres://user@host:5432/db", "postgres://user:secret@host/db"),
        ("shards", 4, 65),
        ("shards", 1, 0),
    ],
)
def test_params_accept_valid_and_reject_invalid_values(name: str, good: str | int, bad: str | int) -> None:
    param = build_dag("local").params.get_param(name)
    assert param.resolve(good) == good
    with pytest.raises(ParamValidationError):
        param.resolve(bad)


def test_deadline_callback_logs_the_run(caplog: pytest.LogCaptureFixture) -> None:
    from movalytics_airflow.alerts import deadline_missed

    message = deadline_missed(dag_id=DAG_ID, deadline="6:00:00", context={"dag_run": {"run_id": "scheduled__x"}})
    assert "scheduled__x" in message and DAG_ID in message
    assert message in caplog.text


def test_schedule_and_deadline_are_deployment_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW__MOVALYTICS__SCHEDULE", "none")
    monkeypatch.setenv("AIRFLOW__MOVALYTICS__RUN_DEADLINE_MINUTES", "0")
    dag = build_dag("local")
    assert dag.timetable.can_be_scheduled is False
    assert not dag.deadline
