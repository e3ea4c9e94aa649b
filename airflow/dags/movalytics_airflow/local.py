"""
The local runtime: the task's CLI runs as a subprocess of the Airflow worker,
``node <repo>/dist/tasks/cli.js <argv>``, for tests and laptops. The CLI's stderr (its logs) goes to
the task log line by line; its last stdout line is the task result JSON, returned as the XCom.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from collections.abc import Sequence
from typing import Any

from airflow.sdk import BaseOperator

from movalytics_airflow.command import fail_for_exit_code, skip_unless_wanted
from movalytics_airflow.credentials import credential_env
from movalytics_airflow.settings import Settings

# The worker's own MOVALYTICS_* variables (a developer's shell, the test suite's) must not reach the
# CLI: it reads every MOVALYTICS_* variable as a flag, so a stray one would change what a task does.
_OWN_PREFIX = "MOVALYTICS_"


class MovalyticsLocalOperator(BaseOperator):
    """Runs one movalytics command on the worker and maps its exit code to Airflow's retry decision."""

    template_fields: Sequence[str] = ("arguments", "environment", "run_if")
    ui_color = "#d7ecf9"

    def __init__(
        self,
        *,
        arguments: list[str],
        environment: dict[str, str],
        credentials: Sequence[str],
        settings: Settings,
        run_if: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.run_if = run_if
        self.arguments = arguments
        self.environment = environment
        self.credentials = tuple(credentials)
        self.node = settings.node
        self.cli = settings.cli
        self._settings = settings
        self._process: subprocess.Popen[str] | None = None

    def execute(self, context: Any) -> Any:
        skip_unless_wanted(self.task_id, self.run_if)
        env = {name: value for name, value in os.environ.items() if not name.startswith(_OWN_PREFIX)}
        env.update(credential_env(self.credentials, self._settings))
        env.update(self.environment)
        command = [self.node, self.cli, *self.arguments]
        self.log.info("Running %s", " ".join(command))
        last_line = self._run(command, env)
        fail_for_exit_code(self.task_id, self._process.returncode if self._process else 1)
        return _result_of(last_line)

    def _run(self, command: list[str], env: dict[str, str]) -> str:
        self._process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, so a timeout or kill ends all of it
        )
        stderr_pump = threading.Thread(target=self._log_lines, args=(self._process.stderr,), daemon=True)
        stderr_pump.start()
        last_line = ""
        stdout = self._process.stdout
        try:
            for line in stdout or ():
                if line.strip():
                    last_line = line.strip()
                    self.log.info("%s", last_line)
            self._process.wait()
        finally:
            if self._process.poll() is None:  # interrupted (timeout, kill): do not leave it running
                self._terminate()
            stderr_pump.join(timeout=5)
        return last_line

    def _log_lines(self, stream: Any) -> None:
        for line in stream:
            self.log.info("%s", line.rstrip("\n"))

    def _terminate(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()

    def on_kill(self) -> None:
        self._terminate()


def _result_of(last_line: str) -> Any:
    """The CLI prints its result JSON as the last stdout line; anything else is not a result."""
    try:
        return json.loads(last_line) if last_line else None
    except json.JSONDecodeError:
        return None


def local_operator(
    *,
    task_id: str,
    arguments: list[str],
    environment: dict[str, str],
    credentials: Sequence[str],
    settings: Settings,
    run_if: str | None,
    **kwargs: Any,
) -> MovalyticsLocalOperator:
    return MovalyticsLocalOperator(
        task_id=task_id,
        arguments=arguments,
        environment=environment,
        credentials=credentials,
        settings=settings,
        run_if=run_if,
        **kwargs,
    )
