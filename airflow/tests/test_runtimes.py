"""The three runtimes run the same command with the same flags; only where it runs differs."""

from __future__ import annotations

from typing import Any

import pytest

from movalytics_airflow.command import safe_run_id, shard_labels
from movalytics_airflow.docker import RESULT_FILE
from movalytics_dwh import PIPELINE_STEPS, SAMPLE_STEP, build_dag
from support import PlanOnlyTaskInstance, one_instance

TASK_IDS = [step.task_id for step in (SAMPLE_STEP, *PIPELINE_STEPS)]
AIRFLOW_RUN_ID = "manual__2025-01-02T03:04:05.123+00:00"


def rendered(
    runtime: str, task_id: str, params: dict[str, Any], logical: bool = True
) -> tuple[list[str], dict[str, str]]:
    """(the movalytics command line, environment) of one task rendered as a run would render them."""
    dag = build_dag(runtime)
    task = dag.get_task(task_id)
    task = one_instance(task)
    context: dict[str, Any] = {
        "params": {**dag.params.dump(), **params},
        "run_id": AIRFLOW_RUN_ID,
        "ti": PlanOnlyTaskInstance(),
    }
    if logical:
        context["ds_nodash"] = "20250102"
    task.render_template_fields(context, jinja_env=dag.get_template_env())
    if runtime == "local":
        return task.arguments, task.environment
    if runtime == "docker":
        # The one variable only the docker runtime sets: where the result goes (the XCom's source).
        environment = dict(task.environment)
        assert environment.pop("MOVALYTICS_RESULT_FILE") == RESULT_FILE
        return entered_at(task.image) + task.command, environment
    env_vars = task.env_vars  # a dict as given, or V1EnvVar objects
    environment = dict(env_vars) if isinstance(env_vars, dict) else {v.name: v.value for v in env_vars}
    return entered_at(task.image) + task.arguments, environment


def entered_at(image: str) -> list[str]:
    """The command a step image is entered at: movalytics-load:latest runs `movalytics load`."""
    name = image.rsplit(":", 1)[0].rsplit("/", 1)[-1]
    assert name.startswith("movalytics-"), f"{image} is not a step image"
    return [name.removeprefix("movalytics-")]


@pytest.mark.parametrize("task_id", TASK_IDS)
@pytest.mark.parametrize(
    "params",
    [{}, {"run_id": "rerun-7", "scale": "tiny", "lake": "file:///data/lake", "warehouse": "pglite:///data/wh"}],
    ids=["defaults", "overrides"],
)
def test_docker_and_kubernetes_render_what_local_renders(task_id: str, params: dict[str, Any]) -> None:
    # The default sample folder is a container path in docker and kubernetes; give all three the same one.
    params = {**params, "sample_dir": "/samples"}
    local = rendered("local", task_id, params)
    assert rendered("docker", task_id, params) == local
    assert rendered("kubernetes", task_id, params) == local


def test_run_id_is_the_logical_date_unless_overridden() -> None:
    _, env = rendered("local", "load_movies", {})
    assert env["MOVALYTICS_RUN_ID"] == "20250102"
    _, env = rendered("local", "load_movies", {"run_id": "rerun-7"})
    assert env["MOVALYTICS_RUN_ID"] == "rerun-7"


def test_mapped_steps_run_their_shard_and_the_gathering_steps_get_the_count() -> None:
    for task_id in ("transform_movies", "transform_credits", "load_ratings_shard"):
        _, env = rendered("local", task_id, {})
        assert env["MOVALYTICS_SHARD"] == "2/3", task_id
        assert "MOVALYTICS_SHARDS" not in env
    for task_id in ("load_movies", "load_credits", "load_ratings"):
        _, env = rendered("local", task_id, {})
        assert env["MOVALYTICS_SHARDS"] == "3", task_id
        assert "MOVALYTICS_SHARD" not in env
    _, env = rendered("local", "load_links", {})
    assert not {"MOVALYTICS_SHARD", "MOVALYTICS_SHARDS"} & set(env)


def test_the_shard_plan_is_the_param_else_the_extracts_suggestion_and_one_shard_runs_unsharded() -> None:
    assert shard_labels(None, {"shards": 2}) == ["1/2", "2/2"]
    assert shard_labels(3, {"shards": 2}) == ["1/3", "2/3", "3/3"]
    assert shard_labels(None, {"shards": 1}) == [None]
    assert shard_labels(None, None) == [None]
    assert shard_labels(None, {"shards": "many"}) == [None]
    assert len(shard_labels(None, {"shards": 1000})) == 64


def test_run_without_logical_date_uses_its_airflow_run_id_made_safe() -> None:
    _, env = rendered("local", "report", {}, logical=False)
    assert env["MOVALYTICS_RUN_ID"] == safe_run_id(AIRFLOW_RUN_ID) == "manual__2025-01-02T03-04-05.123-00-00"


def test_each_command_gets_only_its_own_flags() -> None:
    _, extract = rendered("local", "extract_movies", {"movies_source": "/data/movies"})
    assert extract == {
        "MOVALYTICS_RUN_ID": "20250102",
        "MOVALYTICS_LAKE": build_dag("local").params["lake"],
        "MOVALYTICS_MOVIES_SOURCE": "/data/movies",
    }
    _, load = rendered("local", "load_ratings_shard", {"warehouse": "postgres://u@h/db"})
    assert load.pop("MOVALYTICS_SHARD") == "2/3"
    assert set(load) == {"MOVALYTICS_RUN_ID", "MOVALYTICS_LAKE", "MOVALYTICS_WAREHOUSE"}
    assert load["MOVALYTICS_WAREHOUSE"] == "postgres://u@h/db"


def test_scale_points_the_sources_at_the_generated_sample() -> None:
    params = {"scale": "small", "sample_dir": "/s", "run_id": "r1"}
    _, sample = rendered("local", "generate_sample", params)
    assert sample["MOVALYTICS_SCALE"] == "small" and sample["MOVALYTICS_OUT"] == "/s/r1"
    _, movies = rendered("local", "extract_movies", params)
    assert movies["MOVALYTICS_MOVIES_SOURCE"] == "/s/r1"
    _, cpi = rendered("local", "extract_cpi", params)
    assert cpi["MOVALYTICS_CPI_SOURCE"].startswith("/s/r1/")
    dag = build_dag("local")
    sample_task = dag.get_task("generate_sample")
    context = {"params": dag.params.dump(), "ds_nodash": "20250102", "run_id": AIRFLOW_RUN_ID}
    sample_task.render_template_fields(context, jinja_env=dag.get_template_env())
    assert sample_task.run_if == ""  # no scale (the default): the sample step is skipped


def test_credentials_never_appear_in_templated_fields() -> None:
    docker = build_dag("docker").get_task("load_movies")
    assert all(name.startswith("MOVALYTICS_") for name in docker.environment)
    assert docker.auto_remove == "force"
    kubernetes = build_dag("kubernetes").get_task("load_movies")
    assert sorted(secret.secret for secret in kubernetes.secrets) == ["movalytics-lake", "movalytics-warehouse"]
    assert all(name.startswith("MOVALYTICS_") for name in kubernetes.env_vars)
    extract = build_dag("kubernetes").get_task("extract_movies")
    assert sorted(secret.secret for secret in extract.secrets) == ["movalytics-kaggle", "movalytics-lake"]


@pytest.mark.parametrize("runtime", ["docker", "kubernetes"])
def test_container_runtimes_turn_exit_2_and_65_into_failures_without_retry(runtime: str) -> None:
    task = build_dag(runtime).get_task("transform_keywords")
    assert sorted(task.skip_on_exit_code) == [2, 65]


def test_an_image_without_the_command_placeholder_is_the_all_in_one_image_entered_at_the_cli() -> None:
    step = next(step for step in PIPELINE_STEPS if step.task_id == "load_ratings")
    assert step.container("movalytics-{command}:1.2") == ("movalytics-load:1.2", ["ratings"])
    assert step.container("registry.example/movalytics:1.2") == ("registry.example/movalytics:1.2", ["load", "ratings"])
