"""
What one Movalytics task runs, independent of where it runs: the CLI arguments, the flags it gets
as ``MOVALYTICS_*`` environment variables (templates rendered per run), the Airflow connections
whose credentials it needs, and what its exit code means.

Flags travel as environment variables, never as extra arguments, so the argument list stays the
step graph's (``movalytics steps --json``). Each command gets only the flags it declares (a test
checks them against the CLI's help) and only the credentials it uses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException

# Exit codes of the movalytics CLI (tasks/core/errors.ts).
EXIT_USAGE = 2  # bad flags or configuration: retrying cannot help
EXIT_BAD_DATA = 65  # the input itself is wrong: retrying cannot help
EXIT_TRANSIENT = 75  # network, throttling, busy warehouse: a retry may help
NO_RETRY_EXIT_CODES = (EXIT_USAGE, EXIT_BAD_DATA)
EXIT_MEANINGS = {
    1: "unexpected error",
    EXIT_USAGE: "usage or configuration error",
    EXIT_BAD_DATA: "bad input data",
    EXIT_TRANSIENT: "transient failure",
}

# The run id of the lake paths: the param when given, else the logical date (scheduled runs and most
# manual runs), else the Airflow run id made safe (a run triggered without a logical date).
RUN_ID_EXPRESSION = "params.run_id or (ds_nodash if ds_nodash is defined and ds_nodash else safe_run_id(run_id))"
RUN_ID_TEMPLATE = "{{ " + RUN_ID_EXPRESSION + " }}"
# With the `scale` param the run generates its sample into <sample_dir>/<run id> and reads it from there.
_SAMPLE_FOLDER = "params.sample_dir ~ '/' ~ (" + RUN_ID_EXPRESSION + ")"
FLAG_TEMPLATES: Mapping[str, str] = {
    "run-id": RUN_ID_TEMPLATE,
    "lake": "{{ params.lake }}",
    "warehouse": "{{ params.warehouse }}",
    "movies-source": "{{ (" + _SAMPLE_FOLDER + ") if params.scale else params.movies_source }}",
    "cpi-source": "{{ (" + _SAMPLE_FOLDER + " ~ '/CUSR0000SS62031.csv') if params.scale else params.cpi_source }}",
    "scale": "{{ params.scale or '' }}",
    "out": "{{ " + _SAMPLE_FOLDER + " }}",
}
COMMON_FLAGS = ("run-id", "lake")
COMMAND_FLAGS: Mapping[str, tuple[str, ...]] = {
    "generate-sample": ("scale", "out"),
    "extract-movies": ("movies-source",),
    "extract-cpi": ("cpi-source",),
    "transform": (),
    "create-tables": ("warehouse",),
    "load": ("warehouse",),
    "quality-check": ("warehouse",),
    "report": ("warehouse",),
}
# Which credentials each command needs: "lake" (S3), "warehouse" (database password), "kaggle".
COMMAND_CREDENTIALS: Mapping[str, tuple[str, ...]] = {
    "generate-sample": ("lake",),
    "extract-movies": ("lake", "kaggle"),
    "extract-cpi": ("lake",),
    "transform": ("lake",),
    "create-tables": ("lake", "warehouse"),
    "load": ("lake", "warehouse"),
    "quality-check": ("lake", "warehouse"),
    "report": ("lake", "warehouse"),
}

# The task that turns the shard count into the list mapped tasks expand over, and the count as the
# steps that gather shards read it.
SHARD_PLAN_TASK_ID = "plan_shards"
SHARD_COUNT_TEMPLATE = "{{ ti.xcom_pull(task_ids='" + SHARD_PLAN_TASK_ID + "') | length }}"
# As tasks/core/shard.ts: MAX_SHARDS.
MAX_SHARDS = 64


def shard_labels(given: int | None, extract_result: Mapping[str, object] | None) -> list[str | None]:
    """What each mapped task gets as its shard: ``I/N`` for N > 1, one ``None`` (unsharded) for N = 1.

    N is the ``shards`` param when set, else what extract_movies suggested from the raw files' sizes.
    """
    suggested = (extract_result or {}).get("shards")
    count = given if given else suggested if isinstance(suggested, int) and suggested >= 1 else 1
    count = min(count, MAX_SHARDS)
    return [None] if count == 1 else [f"{index}/{count}" for index in range(1, count + 1)]


_UNSAFE_RUN_ID_CHARS = re.compile(r"[^A-Za-z0-9_.=-]+")


def safe_run_id(airflow_run_id: str) -> str:
    """An Airflow run id as a lake run id.

    ``manual__2025-01-02T03:04:05+00:00`` becomes ``manual__2025-01-02T03-04-05-00-00``.
    """
    cleaned = _UNSAFE_RUN_ID_CHARS.sub("-", airflow_run_id).strip("-._=")
    return (cleaned or "run")[:100]


def env_name(flag: str) -> str:
    """``--movies-source`` is read from ``MOVALYTICS_MOVIES_SOURCE`` (yargs ``.env('MOVALYTICS')``)."""
    return "MOVALYTICS_" + flag.upper().replace("-", "_")


@dataclass(frozen=True)
class Step:
    """One row of the task table: a task id, its CLI arguments, its upstream task ids."""

    task_id: str
    argv: tuple[str, ...]
    upstream: tuple[str, ...] = ()
    timeout: timedelta = timedelta(hours=1)
    # A template; when it renders empty the task is skipped (the optional sample generation).
    run_if: str | None = None
    # Airflow pool slots and Kubernetes resources scale with it: 1 light, 2 heavy.
    weight: int = 1
    # "each": a mapped task per shard (``--shard I/N``); "all": once over all shards (``--shards N``).
    shards: str | None = None
    # Of the tasks ready together the highest starts first: the step graph's priority weight (the
    # step's weight and its downstream steps'), which ``movalytics run`` ranks by too.
    priority: int = 1

    @property
    def command(self) -> str:
        return self.argv[0]

    @property
    def flags(self) -> tuple[str, ...]:
        if self.command not in COMMAND_FLAGS:
            raise ValueError(f"task {self.task_id}: unknown movalytics command {self.command!r}")
        return COMMON_FLAGS + COMMAND_FLAGS[self.command]

    @property
    def environment(self) -> dict[str, str]:
        """The flags as ``MOVALYTICS_*`` variables, values as templates (rendered per run).

        A step that gathers shards gets their count from the shard plan; a mapped step gets its own
        shard when it runs (``MovalyticsOperator.shard``).
        """
        environment = {env_name(flag): FLAG_TEMPLATES[flag] for flag in self.flags}
        if self.shards == "all":
            environment[env_name("shards")] = SHARD_COUNT_TEMPLATE
        return environment

    @property
    def credentials(self) -> tuple[str, ...]:
        return COMMAND_CREDENTIALS[self.command]

    def container(self, image: str) -> tuple[str, list[str]]:
        """The image that runs this step and its arguments, from the ``image`` setting.

        ``movalytics-{command}:latest`` names one image per step, entered at its own command
        (``movalytics-load`` takes ``ratings``); an image without ``{command}`` is the all-in-one
        image, entered at the CLI (``movalytics`` takes ``load ratings``).
        """
        if "{command}" in image:
            return image.replace("{command}", self.command), list(self.argv[1:])
        return image, list(self.argv)


class MovalyticsTaskFailed(AirflowException):
    """A task exited with a code where a retry may help (75, 1, a signal): Airflow retries it."""

    def __init__(self, task_id: str, exit_code: int) -> None:
        super().__init__(f"{task_id} exited with {exit_code} ({describe_exit_code(exit_code)}); Airflow will retry it")
        self.exit_code = exit_code


def describe_exit_code(exit_code: int) -> str:
    if exit_code < 0:
        return f"killed by signal {-exit_code}"
    return EXIT_MEANINGS.get(exit_code, "unexpected error")


def fail_for_exit_code(task_id: str, exit_code: int) -> None:
    """Raise what tells Airflow whether to retry: AirflowFailException skips the remaining retries."""
    if exit_code == 0:
        return
    if exit_code in NO_RETRY_EXIT_CODES:
        meaning = describe_exit_code(exit_code)
        raise AirflowFailException(
            f"{task_id} exited with {exit_code} ({meaning}); not retried: fix the input or configuration"
        )
    raise MovalyticsTaskFailed(task_id, exit_code)


def skip_unless_wanted(task_id: str, run_if: str | None) -> None:
    """An optional task (``Step.run_if``) whose condition rendered empty is skipped, not run."""
    if run_if is not None and run_if.strip() in ("", "None", "False"):
        raise AirflowSkipException(f"{task_id} is not wanted in this run")
