"""
The local runtime: the task's CLI runs as a subprocess of the Airflow worker,
``node <repo>/dist/tasks/cli.js <argv>``, for tests and laptops, through the standard provider's
SubprocessHook (its own process group, every output line in the task log, SIGTERM on kill). The
hook merges stderr (the CLI's logs) into stdout, so the task result JSON, returned as the XCom, is
read from the file the CLI writes it to (``MOVALYTICS_RESULT_FILE``), as on the docker runtime.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from airflow.providers.standard.hooks.subprocess import SubprocessHook
from airflow.sdk import BaseOperator

from movalytics_airflow.command import fail_for_exit_code
from movalytics_airflow.credentials import credential_env
from movalytics_airflow.runtime import Launch, MovalyticsOperator
from movalytics_airflow.settings import Settings

# The worker's own MOVALYTICS_* variables (a developer's shell, the test suite's) must not reach the
# CLI: it reads every MOVALYTICS_* variable as a flag, so a stray one would change what a task does.
_OWN_PREFIX = "MOVALYTICS_"


class _CliSubprocess(BaseOperator):
    """Runs one movalytics command on the worker and maps its exit code to Airflow's retry decision."""

    template_fields: Sequence[str] = ("arguments", "environment")
    ui_color = "#d7ecf9"

    def __init__(
        self,
        *,
        arguments: list[str],
        environment: dict[str, str],
        credentials: Sequence[str],
        settings: Settings,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.arguments = arguments
        self.environment = environment
        self.credentials = tuple(credentials)
        self.node = settings.node
        self.cli = settings.cli
        self._settings = settings

    @cached_property
    def _hook(self) -> SubprocessHook:
        return SubprocessHook()

    def execute(self, context: Any) -> Any:
        env = {name: value for name, value in os.environ.items() if not name.startswith(_OWN_PREFIX)}
        env.update(credential_env(self.credentials, self._settings))
        env.update(self.environment)
        with TemporaryDirectory(prefix="movalytics-") as folder:
            result_file = Path(folder) / "result.json"
            env["MOVALYTICS_RESULT_FILE"] = str(result_file)
            # The worker's working directory, as a shell would run it (relative lake paths).
            outcome = self._hook.run_command([self.node, self.cli, *self.arguments], env=env, cwd=os.getcwd())
            fail_for_exit_code(self.task_id, outcome.exit_code)
            return json.loads(result_file.read_text()) if result_file.exists() else None

    def on_kill(self) -> None:
        self._hook.send_sigterm()


class MovalyticsLocalOperator(MovalyticsOperator, _CliSubprocess):
    template_fields: Sequence[str] = (*_CliSubprocess.template_fields, "run_if")

    def add_environment(self, name: str, value: str) -> None:
        self.environment = {**self.environment, name: value}


OPERATOR = MovalyticsLocalOperator


def build(launch: Launch, settings: Settings, **common: Any) -> MovalyticsLocalOperator:
    return MovalyticsLocalOperator(**operator_kwargs(launch, settings, **common))


def operator_kwargs(launch: Launch, settings: Settings, **common: Any) -> dict[str, Any]:
    return dict(
        arguments=launch.arguments,
        environment=launch.environment,
        credentials=launch.credentials,
        settings=settings,
        **common,
    )
