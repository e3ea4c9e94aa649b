"""
# Movalytics data warehouse

Kaggle *The Movies Dataset* and the FRED CPI series CUSR0000SS62031 → lake (`raw/`, `staged/`) →
warehouse → quality checks → report (`reports/<run id>/` in the lake).

Each task runs one command of the `movalytics` CLI (the TypeScript task image). The task graph is
the pipeline's step graph (`movalytics steps`): the extracts run in parallel, then one transform
and one load per source entity in parallel, the ratings load (ELT, straight from `raw/`) once
links and movies are loaded, then the quality check, then the report.

**Runtime** (`[movalytics] runtime`, env `AIRFLOW__MOVALYTICS__RUNTIME`, read when the file is
parsed): `docker` (DockerOperator, the docker-compose stack), `kubernetes` (KubernetesPodOperator)
or `local` (the CLI as a subprocess of the worker: `node dist/tasks/cli.js`). Daily at midnight UTC
unless `[movalytics] schedule` says otherwise (`none`: triggered runs only).

**Trigger DAG w/ config**: `run_id` (lake run id; default: the logical date, `YYYYMMDD`),
`lake` (`s3://bucket/prefix` or `file:///path`), `warehouse` (`postgres://user@host/db`,
`redshift-data://…`, `pglite:///path`; never a password), `movies_source` and `cpi_source`, and
`scale` (`tiny`/`small`/`full`: generate a sample first and use it as the sources).

**Credentials** come only from Airflow connections `movalytics_lake` (aws), `movalytics_warehouse`
(postgres: its password) and `movalytics_kaggle` (login/key), or from Kubernetes Secrets on the
kubernetes runtime; they reach the tasks as environment variables, never as arguments.

**Failures**: exit 75 (transient) and unexpected ones are retried with exponential backoff;
exit 2 (configuration) and 65 (bad data) fail at once. A run still going 6 hours after it was
queued raises a deadline alert (`[movalytics] run_deadline_minutes`).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import DAG, DeadlineAlert, DeadlineReference, Param, SyncCallback

from movalytics_airflow.alerts import CALLBACK_PATH
from movalytics_airflow.command import Step, safe_run_id
from movalytics_airflow.operators import movalytics_task
from movalytics_airflow.settings import CONTAINER_SAMPLE_DIR, read_settings

DAG_ID = "movalytics_dwh"
RUN_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.=-]{0,99}$"
ENTITIES = ("movies", "credits", "keywords", "links", "cpi")
_HOUR = timedelta(hours=1)

# The task table: the pipeline step graph of tasks/pipeline/steps.ts (a test keeps them equal).
LOADED_DATASETS = {
    "movies": (
        "movies",
        "genres",
        "movie_genres",
        "collections",
        "companies",
        "movie_companies",
        "countries",
        "movie_countries",
        "languages",
        "movie_languages",
        "release_dates",
    ),
    "credits": ("people", "cast_members", "crew_members"),
    "keywords": ("keywords", "movie_keywords"),
    "links": ("links",),
    "cpi": ("cpi",),
}
PIPELINE_STEPS: tuple[Step, ...] = (
    Step("extract_movies", ("extract-movies",), timeout=2 * _HOUR, weight=2),
    Step("extract_cpi", ("extract-cpi",), timeout=timedelta(minutes=15)),
    Step("create_tables", ("create-tables",), timeout=timedelta(minutes=15)),
    *(
        Step(
            f"transform_{entity}",
            ("transform", entity),
            (f"extract_{'cpi' if entity == 'cpi' else 'movies'}",),
            weight=2 if entity in ("movies", "credits") else 1,
        )
        for entity in ENTITIES
    ),
    *(
        Step(f"load_{entity}", ("load", *LOADED_DATASETS[entity]), (f"transform_{entity}", "create_tables"))
        for entity in ENTITIES
    ),
    Step(
        "load_ratings",
        ("load", "ratings"),
        ("extract_movies", "load_links", "load_movies"),
        timeout=3 * _HOUR,
        weight=2,
    ),
    Step(
        "quality_check",
        ("quality-check",),
        (*(f"load_{entity}" for entity in ENTITIES), "load_ratings"),
        timeout=timedelta(minutes=30),
    ),
    Step("report", ("report",), ("quality_check",), timeout=timedelta(minutes=30)),
)
# Not a pipeline step: with the `scale` param the run first generates its own sample as the sources.
SAMPLE_STEP = Step("generate_sample", ("generate-sample",), timeout=_HOUR, run_if="{{ params.scale or '' }}")
EXTRACT_TASK_IDS = ("extract_movies", "extract_cpi")


def _deadline_alert(interval: timedelta | None) -> DeadlineAlert | None:
    if interval is None:
        return None
    return DeadlineAlert(
        reference=DeadlineReference.DAGRUN_QUEUED_AT,
        interval=interval,
        callback=SyncCallback(CALLBACK_PATH, kwargs={"dag_id": DAG_ID, "deadline": str(interval)}),
    )


def build_dag(runtime: str | None = None) -> DAG:
    """The DAG for one runtime; the module-level DAG uses the configured one."""
    settings = read_settings(runtime)
    sample_dir = settings.sample_dir if settings.runtime == "local" else CONTAINER_SAMPLE_DIR
    with DAG(
        dag_id=DAG_ID,
        description="Movies + CPI -> lake -> warehouse -> quality -> report",
        doc_md=__doc__,
        schedule=settings.schedule,
        start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
        catchup=False,
        max_active_runs=1,
        dagrun_timeout=timedelta(hours=12),
        tags=["movalytics", settings.runtime],
        default_args={
            "owner": "movalytics",
            "retries": 3,
            "retry_delay": timedelta(minutes=1),
            "retry_exponential_backoff": 2.0,
            "max_retry_delay": timedelta(minutes=30),
        },
        user_defined_macros={"safe_run_id": safe_run_id},
        deadline=_deadline_alert(settings.run_deadline),
        params={
            "run_id": Param(
                None,
                type=["null", "string"],
                pattern=RUN_ID_PATTERN,
                title="Run id",
                description="Lake run id; empty: the logical date as YYYYMMDD",
            ),
            "lake": Param(settings.lake, type="string", pattern="^(s3://|file:///)", title="Lake URL"),
            "warehouse": Param(
                settings.warehouse,
                type="string",
                title="Warehouse URL",
                # scheme://user@host/db: a password belongs in the connection, not here
                pattern="^(postgres|postgresql|redshift-data|pglite)://(?![^/@]*:[^/@]*@)",
            ),
            "movies_source": Param(
                settings.movies_source,
                type="string",
                title="The Movies Dataset",
                description="Kaggle owner/dataset, https URL of the zip, local zip or folder",
            ),
            "cpi_source": Param(
                settings.cpi_source,
                type="string",
                title="CPI",
                description="FRED series id, https URL of the CSV, or local CSV file",
            ),
            "scale": Param(
                None,
                type=["null", "string"],
                enum=[None, "tiny", "small", "full"],
                title="Sample scale",
                description="Set to generate a sample of this size and use it instead of the sources",
            ),
            "sample_dir": Param(sample_dir, type="string", title="Where generated samples go"),
        },
    ) as dag:
        tasks = {SAMPLE_STEP.task_id: movalytics_task(SAMPLE_STEP, settings)}
        for step in PIPELINE_STEPS:
            # An extract runs when the optional sample step before it was skipped, not only on success.
            trigger_rule = "none_failed" if step.task_id in EXTRACT_TASK_IDS else "all_success"
            tasks[step.task_id] = movalytics_task(step, settings, trigger_rule=trigger_rule)
            for upstream in step.upstream:
                tasks[upstream] >> tasks[step.task_id]
        for extract in EXTRACT_TASK_IDS:
            tasks[SAMPLE_STEP.task_id] >> tasks[extract]
    return dag


dag = build_dag()
