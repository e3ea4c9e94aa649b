"""
The docker runtime (the docker-compose stack): each task is a container of its step image,
``docker run movalytics-load ratings …`` (``Step.container``). Imported only when the runtime is docker.

Exit codes: the docker provider raises the same DockerContainerFailedException for every non-zero
exit, so Airflow alone cannot tell 75 (retry) from 2/65 (do not). Its one exit-code hook is
``skip_on_exit_code``, which marks the task *skipped*; we list 2 and 65 there and the resulting skip
becomes AirflowFailException (runtime.py), which fails the task at once without using its retries. Every
other non-zero exit stays a normal failure and is retried with backoff.

XCom: the task's result JSON, read from the file the CLI writes it to (``--result-file``, here
``RESULT_FILE``), which the provider copies out of the stopped container (``retrieve_output``).
Not the last log line: the provider attaches stdout and stderr as one stream, and the JSON log
lines of stderr may come after the result line of stdout.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from airflow.providers.docker.operators.docker import DockerOperator
from docker.types import Mount

from movalytics_airflow.command import NO_RETRY_EXIT_CODES
from movalytics_airflow.credentials import credential_env
from movalytics_airflow.runtime import Launch, MovalyticsOperator
from movalytics_airflow.settings import CONTAINER_SAMPLE_DIR, Settings

# Where the container's CLI writes its result: /tmp is writable in the container and gone with it.
RESULT_FILE = "/tmp/movalytics-result.json"  # noqa: S108 (a path inside the task container)


class MovalyticsDockerOperator(MovalyticsOperator, DockerOperator):
    template_fields: Sequence[str] = (*DockerOperator.template_fields, "run_if")
    exited = "container"
    # The provider loads retrieve_output_path with this library's load(): our result is JSON, not a pickle.
    pickling_library = json

    def __init__(self, *, credentials: Sequence[str], settings: Settings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.credentials = tuple(credentials)
        self._settings = settings

    def add_environment(self, name: str, value: str) -> None:
        self.environment = {**self.environment, name: value}

    def execute(self, context: Any) -> Any:
        # Not templated and never rendered in the UI: the provider's place for secrets.
        self._private_environment.update(credential_env(self.credentials, self._settings))
        return super().execute(context)


OPERATOR = MovalyticsDockerOperator


def build(launch: Launch, settings: Settings, **common: Any) -> MovalyticsDockerOperator:
    return MovalyticsDockerOperator(**operator_kwargs(launch, settings, **common))


def operator_kwargs(launch: Launch, settings: Settings, **common: Any) -> dict[str, Any]:
    return dict(
        image=launch.image,
        command=launch.arguments,
        environment={**launch.environment, "MOVALYTICS_RESULT_FILE": RESULT_FILE},
        credentials=launch.credentials,
        settings=settings,
        docker_url=settings.docker_url,
        network_mode=settings.docker_network,
        mounts=[Mount(target=CONTAINER_SAMPLE_DIR, source=settings.docker_samples_volume, type="volume")],
        mount_tmp_dir=False,  # Airflow itself runs in a container: a host temp dir cannot be bind-mounted
        auto_remove="force",  # the logs are in the task log already; no exited container piles up
        skip_on_exit_code=list(NO_RETRY_EXIT_CODES),
        do_xcom_push=True,
        retrieve_output=True,
        retrieve_output_path=RESULT_FILE,
        **common,
    )
