"""
# Movalytics data warehouse

Kaggle *The Movies Dataset* and the FRED CPI series CUSR0000SS62031 → lake (`raw/`, `staged/`) →
warehouse → quality checks → report (`reports/<run id>/` in the lake).

Each task runs one command of the `movalytics` CLI (the TypeScript task image). The task graph is
the pipeline's step graph (`movalytics steps`): the extracts run in parallel, then one transform
and one load per source entity in parallel, the ratings load (checked, mapped and de-duplicated
while streaming from `raw/`) once links and movies are loaded, then the quality check, then the
report.

**Runtime** (`[movalytics] runtime`, env `AIRFLOW__MOVALYTICS__RUNTIME`, read when the file is
parsed): `docker` (DockerOperator, the docker-compose stack), `kubernetes` (KubernetesPodOperator)
or `local` (the CLI as a subprocess of the worker: `node dist/tasks/cli.js`). Daily at midnight UTC
unless `[movalytics] schedule` says otherwise (`none`: triggered runs only).

**Trigger DAG w/ config**: `run_id` (lake run id; default: the logical date, `YYYYMMDD`),
`lake` (`s3://bucket/prefix` or `file:///path`), `warehouse` (`postgres://user@host/db`,
`redshift-data://…`, `pglite:///path`; never a password), `movies_source` and `cpi_source`, and
`scale` (`tiny`/`small`/`full`: generate a sample first and use it as the sources), and `shards`
(how many tasks the mapped steps — the big transforms and the ratings load — run as; empty: one
per 512 MiB of the largest raw file, as extract_movies suggests, through the `plan_shards` task).

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
from airflow.sdk import DAG, DeadlineAlert, DeadlineReference, Param, SyncCallback, task

from movalytics_airflow.alerts import CALLBACK_PATH
from movalytics_airflow.command import MAX_SHARDS, SHARD_PLAN_TASK_ID, Step, safe_run_id, shard_labels
from movalytics_airflow.operators import movalytics_task
from movalytics_airflow.settings import CONTAINER_SAMPLE_DIR, read_settings
from movalytics_airflow.step_graph import STEP_GRAPH

DAG_ID = "movalytics_dwh"
RUN_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.=-]{0,99}$"

# The task table: the pipeline's step graph, written once in TypeScript (tasks/pipeline/steps.ts) and
# generated into the package (step_graph.py, `npm run dag:steps`; a test keeps it fresh).
PIPELINE_STEPS: tuple[Step, ...] = tuple(
    Step(
        step["id"],
        tuple(step["argv"]),
        tuple(step["upstream"]),
        timeout=timedelta(minutes=step["timeoutMinutes"]),
        weight=step["weight"],
        shards=step.get("shards"),
        priority=step["priority"],
    )
    for step in STEP_GRAPH
)
# Not a pipeline step: with the `scale` param the run first generates its own sample as the sources.
SAMPLE_STEP = Step(
    "generate_sample", ("generate-sample",), timeout=timedelta(hours=1), run_if="{{ params.scale or '' }}"
)
EXTRACT_TASK_IDS = tuple(step.task_id for step in PIPELINE_STEPS if step.command.startswith("extract-"))
# Its result suggests the shard count from the raw files' sizes (as tasks/pipeline/steps.ts: SHARD_COUNT_STEP).
SHARD_COUNT_TASK_ID = "extract_movies"


@task(task_id=SHARD_PLAN_TASK_ID, execution_timeout=timedelta(minutes=5))
def plan_shards(extract_result: dict | None = None, params: dict | None = None) -> list[str | None]:
    """The shards the mapped tasks expand over: the ``shards`` param, else extract_movies' suggestion."""
    return shard_labels((params or {}).get("shards"), extract_result)


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
            "shards": Param(
                None,
                type=["null", "integer"],
                minimum=1,
                maximum=MAX_SHARDS,
                title="Shards",
                description="Tasks the big steps split into; empty: one per 512 MiB of the largest raw file",
            ),
        },
    ) as dag:
        tasks = {SAMPLE_STEP.task_id: movalytics_task(SAMPLE_STEP, settings)}
        shards = None
        for step in PIPELINE_STEPS:
            # An extract runs when the optional sample step before it was skipped, not only on success.
            trigger_rule = "none_failed" if step.task_id in EXTRACT_TASK_IDS else "all_success"
            tasks[step.task_id] = movalytics_task(step, settings, shards=shards, trigger_rule=trigger_rule)
            for upstream in step.upstream:
                tasks[upstream] >> tasks[step.task_id]
            if step.task_id == SHARD_COUNT_TASK_ID:
                shards = plan_shards(tasks[step.task_id].output)
        for extract in EXTRACT_TASK_IDS:
            tasks[SAMPLE_STEP.task_id] >> tasks[extract]
    return dag


dag = build_dag()
