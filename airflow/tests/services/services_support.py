"""
Helpers of the end-to-end tests on real services (`source scripts/services/setup.sh` first): a fresh
Airflow home per test, a fresh PostgreSQL database, a fresh prefix in the MinIO bucket. A missing
service fails the test; it is never skipped.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from support import CLI, DAGS

AIRFLOW = Path(sys.executable).parent / "airflow"


def service_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run `source scripts/services/setup.sh` first")
    return value


@dataclass(frozen=True)
class Services:
    postgres_url: str
    minio_endpoint: str
    bucket: str
    access_key: str
    secret_key: str

    def lake_connection(self) -> str:
        """The movalytics_lake Airflow connection (JSON form): the only way credentials reach tasks."""
        return json.dumps(
            {
                "conn_type": "aws",
                "login": self.access_key,
                "password": self.secret_key,
                "extra": {"endpoint_url": self.minio_endpoint, "region_name": "us-east-1"},
            }
        )

    def get_object(self, key: str) -> bytes:
        """An object of the test bucket, read with a SigV4-signed request (curl)."""
        result = subprocess.run(
            ["curl", "-sf", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", f"{self.access_key}:{self.secret_key}",
             f"{self.minio_endpoint}/{self.bucket}/{key}"],
            capture_output=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, f"s3://{self.bucket}/{key}: curl exited {result.returncode}"
        return result.stdout

    def query(self, database: str, sql: str) -> str:
        url = self.postgres_url.rsplit("/", 1)[0] + "/" + database
        result = subprocess.run(["psql", url, "-Atc", sql], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


@pytest.fixture(scope="session")
def services() -> Services:
    return Services(
        postgres_url=service_env("MOVALYTICS_TEST_POSTGRES_URL"),
        minio_endpoint=service_env("MOVALYTICS_TEST_MINIO_ENDPOINT"),
        bucket=service_env("MOVALYTICS_TEST_MINIO_BUCKET"),
        access_key=service_env("MOVALYTICS_TEST_MINIO_ACCESS_KEY"),
        secret_key=service_env("MOVALYTICS_TEST_MINIO_SECRET_KEY"),
    )


@pytest.fixture
def unique() -> str:
    return secrets.token_hex(4)


def docker(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCKER_HOST": service_env("MOVALYTICS_TEST_DOCKER_HOST")}
    return subprocess.run(["docker", *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def movalytics_containers() -> list[str]:
    listed = docker("ps", "--all", "--format", "{{.Image}} {{.Names}} {{.Status}}")
    assert listed.returncode == 0, listed.stderr
    return [line for line in listed.stdout.splitlines() if "movalytics-" in line.split(" ")[0]]


def docker_runtime_env(volume: str, **extra: str) -> dict[str, str]:
    """The [movalytics] settings of the docker runtime, as the compose stack sets them."""
    return {
        "AIRFLOW__MOVALYTICS__RUNTIME": "docker",
        "AIRFLOW__MOVALYTICS__DOCKER_URL": service_env("MOVALYTICS_TEST_DOCKER_HOST"),
        "AIRFLOW__MOVALYTICS__DOCKER_NETWORK": "host",  # MinIO and PostgreSQL listen on 127.0.0.1
        "AIRFLOW__MOVALYTICS__DOCKER_SAMPLES_VOLUME": volume,
        "AIRFLOW__MOVALYTICS__IMAGE": "movalytics-{command}:" + service_env("MOVALYTICS_TEST_IMAGE_TAG"),
        **extra,
    }


@pytest.fixture
def samples_volume(unique: str) -> Iterator[str]:
    """A named volume for the generated sample, removed afterwards (with any container left on it)."""
    name = f"movalytics-samples-{unique}"
    yield name
    docker("volume", "rm", "--force", name)


@pytest.fixture
def warehouse_db(services: Services, unique: str) -> Iterator[str]:
    """A fresh database on the PostgreSQL server, dropped afterwards."""
    name = f"e2e_{unique}"
    services.query("postgres", f"CREATE DATABASE {name}")
    yield name
    services.query("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def airflow_env(home: Path, dags_folder: Path, services: Services | None = None, **extra: str) -> dict[str, str]:
    """The environment of an Airflow process with its own home and database (SQLite)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("AIRFLOW", "MOVALYTICS_"))}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(dags_folder),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__MOVALYTICS__CLI=str(CLI),
        PYTHONPATH=str(DAGS),  # the test DAGs import the movalytics_airflow package
        PATH=f"{AIRFLOW.parent}{os.pathsep}{os.environ.get('PATH', '')}",  # `standalone` starts `airflow ...`
    )
    if services is not None:
        env["AIRFLOW_CONN_MOVALYTICS_LAKE"] = services.lake_connection()
    env.update(extra)
    home.mkdir(parents=True, exist_ok=True)
    migrate = subprocess.run([str(AIRFLOW), "db", "migrate"], env=env, capture_output=True, text=True, check=False)
    assert migrate.returncode == 0, migrate.stdout[-3000:] + migrate.stderr[-3000:]
    return env


def dags_test(env: dict[str, str], dag_id: str, *args: str, timeout: float) -> tuple[int, str]:
    """`airflow dags test DAG_ID ARGS…`: its exit code and its whole output (stdout, then stderr)."""
    run = subprocess.run(
        [str(AIRFLOW), "dags", "test", dag_id, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return run.returncode, run.stdout + run.stderr


def dags_test_succeeds(env: dict[str, str], conf: dict[str, object], timeout: float) -> str:
    """A `dags test` of movalytics_dwh for 2025-01-02 with `conf` that must succeed; its output."""
    code, log = dags_test(env, "movalytics_dwh", "2025-01-02", "-c", json.dumps(conf), timeout=timeout)
    assert code == 0, log[-6000:]
    assert "DagRun Finished" in log and "state=success" in log
    return log
