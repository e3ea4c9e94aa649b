"""
What the three runtime operators (local, docker, kubernetes) share, written once: how a step is
launched (``Launch``: its arguments, flag templates, credentials, image and weight), the skip of an
optional step whose ``run_if`` rendered empty, and exits 2 and 65 failing at once without retries.
The container providers' one exit-code hook, ``skip_on_exit_code``, reports those exits as a skip;
``MovalyticsOperator`` turns that skip into AirflowFailException. The local runtime raises the
failure itself (``fail_for_exit_code``), with the exit code in the message.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from movalytics_airflow.command import NO_RETRY_EXIT_CODES, describe_exit_code, env_name, skip_unless_wanted


@dataclass(frozen=True)
class Launch:
    """How one step is started, whatever the runtime."""

    arguments: list[str]
    environment: dict[str, str]
    credentials: Sequence[str]
    # The step image (container runtimes; None for local) and the step's weight (pool slots, pod size).
    image: str | None
    weight: int


class MovalyticsOperator(BaseOperator):
    """Put before the runtime's operator class: ``class X(MovalyticsOperator, DockerOperator)``."""

    # What exited, in the no-retry message: "container", "pod".
    exited = "task"

    def __init__(self, *, run_if: str | None = None, shard: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.run_if = run_if
        # ``I/N`` for one instance of a mapped step (``.expand(shard=…)``, which builds the instance's
        # operator with it); None runs the step unsharded.
        self.shard = shard
        if shard:
            self.add_environment(env_name("shard"), shard)

    def execute(self, context: Any) -> Any:
        skip_unless_wanted(self.task_id, self.run_if)
        with self.no_retry_on_skip():
            return super().execute(context)

    def add_environment(self, name: str, value: str) -> None:
        """One more variable for the command: each runtime keeps its environment in its own field."""
        raise NotImplementedError(f"{type(self).__name__} cannot run a shard")

    @contextmanager
    def no_retry_on_skip(self) -> Iterator[None]:
        try:
            yield
        except AirflowSkipException as exited:
            codes = ", ".join(f"{code} ({describe_exit_code(code)})" for code in NO_RETRY_EXIT_CODES)
            raise AirflowFailException(
                f"{self.task_id}: the {self.exited} exited with one of {codes}; "
                "not retried: fix the input or configuration"
            ) from exited
