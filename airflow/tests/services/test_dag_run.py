"""
The whole movalytics_dwh DAG on real services with the local runtime: `airflow dags test` generates
a `small` sample (the `scale` param), extracts it into MinIO, loads PostgreSQL, checks and reports.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from services_support import Services, airflow_env, dags_test_succeeds

from support import DAGS

MODEL_TABLES = ("movies", "genres", "movie_genres", "people", "cast_members", "keywords", "links", "ratings", "cpi")


def assert_pipeline_outcome(services: Services, database: str, prefix: str, lake_run_id: str) -> dict:
    """Tables filled and the report written for this lake run id; returns the report."""
    for table in MODEL_TABLES:
        rows = int(services.query(database, f"SELECT count(*) FROM movalytics.{table}"))
        assert rows > 0, f"movalytics.{table} is empty"
    report = json.loads(services.get_object(f"{prefix}/reports/{lake_run_id}/report.json"))
    assert report["run_id"] == lake_run_id
    assert report["coverage"]["movies"] == int(services.query(database, "SELECT count(*) FROM movalytics.movies"))
    assert report["highest_rated"] and report["popular_genres"] and report["genre_earnings_cpi"]["genres"]
    for name in ("report.md", "report.html"):
        assert services.get_object(f"{prefix}/reports/{lake_run_id}/{name}")
    return report


def test_dags_test_runs_the_whole_pipeline_into_minio_and_postgresql(
    tmp_path: Path, services: Services, warehouse_db: str, unique: str
) -> None:
    # `dags test` of a DAG with a deadline crashes after a successful run in Airflow 3.3.2
    # (apache/airflow#73428), so the alert is off here; the REST test runs it with the alert on.
    env = airflow_env(tmp_path / "home", DAGS, services, AIRFLOW__MOVALYTICS__RUN_DEADLINE_MINUTES="0")
    prefix = f"e2e-{unique}"
    conf = {
        "run_id": f"dagtest-{unique}",
        "scale": "small",
        "sample_dir": str(tmp_path / "samples"),
        "lake": f"s3://{services.bucket}/{prefix}",
        "warehouse": services.postgres_url.rsplit("/", 1)[0] + "/" + warehouse_db,
        "shards": 2,
    }
    dags_test_succeeds(env, conf, timeout=900)
    assert (tmp_path / "samples" / conf["run_id"] / "movies_metadata.csv").exists()  # the scale param's sample
    report = assert_pipeline_outcome(services, warehouse_db, prefix, conf["run_id"])

    # The mapped steps ran as two task instances each, expanded over the shard plan's output.
    results = mapped_results(tmp_path / "home")
    assert results[("plan_shards", -1)] == ["1/2", "2/2"]
    for task_id in ("transform_movies", "transform_credits", "load_ratings_shard"):
        assert {index for (task, index) in results if task == task_id} == {0, 1}, task_id
    shards = [results[("load_ratings_shard", index)]["shard"] for index in (0, 1)]
    assert [(shard["shard"]["index"], shard["shard"]["count"]) for shard in shards] == [(1, 2), (2, 2)]
    committed = results[("load_ratings", -1)]["datasets"]["ratings"]
    assert committed["ratings_analysed"] == report["coverage"]["ratings_analysed"]


def mapped_results(home: Path) -> dict[tuple[str, int], object]:
    """Every task instance's XCom result by (task id, map index: -1 for a task that is not mapped)."""
    with sqlite3.connect(home / "airflow.db") as db:
        rows = db.execute(
            "SELECT task_id, map_index, value FROM xcom WHERE dag_id = 'movalytics_dwh' AND key = 'return_value'"
        ).fetchall()
    return {
        (task_id, index): json.loads(value) if isinstance(value, (str, bytes)) else value
        for task_id, index, value in rows
    }
