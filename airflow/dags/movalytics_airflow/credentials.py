"""
Credentials for the local and docker runtimes, read at run time from Airflow connections (so from
whatever secrets backend Airflow uses) and handed to the task as environment variables: never in
the DAG file, never as arguments, never in a templated field (the UI shows rendered templates).
The kubernetes runtime uses Kubernetes Secrets instead (see kubernetes.py).

Connections (ids configurable in ``[movalytics]``), each optional: a missing one means "none needed",
e.g. a trust-auth PostgreSQL or an instance role.
- lake (type aws): login/password -> AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; extra ``endpoint_url``
  -> AWS_ENDPOINT_URL_S3 (MinIO), ``region_name`` -> AWS_REGION.
- warehouse (type postgres): password -> PGPASSWORD (the warehouse URL param carries no password).
- kaggle (type generic): login/password -> KAGGLE_USERNAME/KAGGLE_KEY.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from airflow.sdk import BaseHook
from airflow.sdk.exceptions import AirflowNotFoundException

from movalytics_airflow.settings import Settings


def _lake_env(conn: Any) -> dict[str, str]:
    extra = conn.extra_dejson
    return _present(
        AWS_ACCESS_KEY_ID=conn.login,
        AWS_SECRET_ACCESS_KEY=conn.password,
        AWS_SESSION_TOKEN=extra.get("aws_session_token"),
        AWS_ENDPOINT_URL_S3=extra.get("endpoint_url"),
        AWS_REGION=extra.get("region_name"),
    )


def _warehouse_env(conn: Any) -> dict[str, str]:
    return _present(PGPASSWORD=conn.password)


def _kaggle_env(conn: Any) -> dict[str, str]:
    return _present(KAGGLE_USERNAME=conn.login, KAGGLE_KEY=conn.password)


_ENV_OF: dict[str, Callable[[Any], dict[str, str]]] = {
    "lake": _lake_env,
    "warehouse": _warehouse_env,
    "kaggle": _kaggle_env,
}


def _present(**values: Any) -> dict[str, str]:
    return {name: str(value) for name, value in values.items() if value not in (None, "")}


def conn_id_of(kind: str, settings: Settings) -> str:
    return {"lake": settings.lake_conn_id, "warehouse": settings.warehouse_conn_id, "kaggle": settings.kaggle_conn_id}[
        kind
    ]


def credential_env(kinds: Iterable[str], settings: Settings) -> dict[str, str]:
    """The environment variables of the connections of these kinds that exist."""
    env: dict[str, str] = {}
    for kind in kinds:
        try:
            conn = BaseHook.get_connection(conn_id_of(kind, settings))
        except AirflowNotFoundException:
            continue
        env.update(_ENV_OF[kind](conn))
    return env
