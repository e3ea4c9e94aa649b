"""
Deployment settings of the Movalytics DAG, read from Airflow's own configuration: section
``[movalytics]`` of airflow.cfg, or ``AIRFLOW__MOVALYTICS__<KEY>`` environment variables.

They are read once when the DAG file is parsed. That is cheap (Airflow has already loaded its
configuration; no file, network or database access) and it is the only option for the *runtime*:
the operator class of a task is fixed at parse time, so it cannot come from a run-time param.
Everything that may change per run (run id, lake, warehouse, sources, scale) is a DAG param
rendered by templates instead. No secret is ever read here: credentials come from Airflow
connections at run time (local and docker runtimes) or Kubernetes Secrets (kubernetes runtime).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from airflow.sdk import conf

SECTION = "movalytics"
RUNTIMES = ("local", "docker", "kubernetes")
# Where task containers (docker, kubernetes) see the generated samples: a shared volume.
CONTAINER_SAMPLE_DIR = "/samples"
_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


@dataclass(frozen=True)
class Settings:
    runtime: str
    # local runtime: `node <cli> <argv>` on the Airflow worker
    node: str
    cli: str
    sample_dir: str
    # docker and kubernetes runtimes: the task image; "{command}" in it names one image per step
    # (movalytics-load: entered at its command), without it one all-in-one image (entered at the CLI)
    image: str
    docker_url: str
    docker_network: str
    docker_samples_volume: str
    kubernetes_namespace: str
    kubernetes_samples_pvc: str
    kubernetes_lake_secret: str
    kubernetes_warehouse_secret: str
    kubernetes_kaggle_secret: str
    # Airflow connections holding the credentials (local and docker runtimes)
    lake_conn_id: str
    warehouse_conn_id: str
    kaggle_conn_id: str
    # cron expression or preset; "none": runs only when triggered
    schedule: str | None
    # a run still going this long after it was queued raises a deadline alert; None: no alert
    run_deadline: timedelta | None
    # defaults of the run-time params
    lake: str
    warehouse: str
    movies_source: str
    cpi_source: str


def _get(key: str, fallback: str) -> str:
    return conf.get(SECTION, key, fallback=fallback)


def read_settings(runtime: str | None = None) -> Settings:
    """The settings in force; ``runtime`` overrides the configured one (tests build all three)."""
    chosen = runtime or _get("runtime", "local")
    if chosen not in RUNTIMES:
        raise ValueError(f"[{SECTION}] runtime must be one of {', '.join(RUNTIMES)}, got {chosen!r}")
    return Settings(
        runtime=chosen,
        node=_get("node", "node"),
        cli=_get("cli", os.path.join(_REPO, "dist", "tasks", "cli.js")),
        sample_dir=_get("sample_dir", os.path.join(_REPO, ".data", "samples")),
        image=_get("image", "movalytics-{command}:latest"),
        docker_url=_get("docker_url", "unix://var/run/docker.sock"),
        docker_network=_get("docker_network", "movalytics"),
        docker_samples_volume=_get("docker_samples_volume", "movalytics-samples"),
        kubernetes_namespace=_get("kubernetes_namespace", "movalytics"),
        kubernetes_samples_pvc=_get("kubernetes_samples_pvc", ""),
        kubernetes_lake_secret=_get("kubernetes_lake_secret", "movalytics-lake"),
        kubernetes_warehouse_secret=_get("kubernetes_warehouse_secret", "movalytics-warehouse"),
        kubernetes_kaggle_secret=_get("kubernetes_kaggle_secret", "movalytics-kaggle"),
        lake_conn_id=_get("lake_conn_id", "movalytics_lake"),
        warehouse_conn_id=_get("warehouse_conn_id", "movalytics_warehouse"),
        kaggle_conn_id=_get("kaggle_conn_id", "movalytics_kaggle"),
        schedule=_schedule(_get("schedule", "@daily")),
        run_deadline=_deadline(_get("run_deadline_minutes", "360")),
        lake=_get("lake", "s3://movalytics-lake/lake"),
        warehouse=_get("warehouse", "postgres://movalytics@postgres:5432/movalytics"),
        movies_source=_get("movies_source", "rounakbanik/the-movies-dataset"),
        cpi_source=_get("cpi_source", "CUSR0000SS62031"),
    )


def _deadline(minutes: str) -> timedelta | None:
    # 0 turns the alert off, e.g. for `airflow dags test`, which in Airflow 3.3.2 crashes at the end of
    # a successful run of a DAG with a deadline (apache/airflow#73428); the scheduler is not affected.
    value = int(minutes)
    return timedelta(minutes=value) if value > 0 else None


def _schedule(value: str) -> str | None:
    return None if value.strip().lower() in ("", "none") else value.strip()
