"""The DAG's task table is the pipeline's step graph, as the TypeScript CLI prints it."""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import BaseOperator
from airflow.sdk.definitions.mappedoperator import MappedOperator

from movalytics_airflow.command import SHARD_PLAN_TASK_ID
from movalytics_dwh import EXTRACT_TASK_IDS, PIPELINE_STEPS, SAMPLE_STEP, SHARD_COUNT_TASK_ID, build_dag


def arguments_of(task: BaseOperator | MappedOperator) -> list[str]:
    return task.partial_kwargs["arguments"] if isinstance(task, MappedOperator) else task.arguments


def test_task_graph_equals_the_pipeline_step_graph(pipeline_steps: list[dict]) -> None:
    dag = build_dag("local")
    not_steps = {SAMPLE_STEP.task_id, SHARD_PLAN_TASK_ID}
    graph = {
        task.task_id: {"argv": arguments_of(task), "upstream": sorted(task.upstream_task_ids - not_steps)}
        for task in dag.tasks
        if task.task_id not in not_steps
    }
    expected = {step["id"]: {"argv": step["argv"], "upstream": sorted(step["upstream"])} for step in pipeline_steps}
    assert graph == expected


def test_mapped_steps_expand_over_the_shard_plan_which_follows_the_extract(pipeline_steps: list[dict]) -> None:
    dag = build_dag("local")
    plan = dag.get_task(SHARD_PLAN_TASK_ID)
    assert plan.upstream_task_ids == {SHARD_COUNT_TASK_ID}
    mapped = {step["id"] for step in pipeline_steps if step.get("shards") == "each"}
    assert mapped == {"transform_movies", "transform_credits", "load_ratings_shard"}
    for task in dag.tasks:
        assert isinstance(task, MappedOperator) == (task.task_id in mapped), task.task_id
    assert plan.downstream_task_ids == mapped


def test_task_timeouts_and_weights_are_the_step_graphs(pipeline_steps: list[dict]) -> None:
    dag = build_dag("local")
    for step in pipeline_steps:
        task = dag.get_task(step["id"])
        assert task.execution_timeout == timedelta(minutes=step["timeoutMinutes"]), step["id"]
        assert task.pool_slots == step["weight"], step["id"]


def test_ready_tasks_rank_as_movalytics_run_ranks_them(pipeline_steps: list[dict]) -> None:
    dag = build_dag("local")
    for step in pipeline_steps:
        task = dag.get_task(step["id"])
        assert (task.priority_weight, task.weight_rule) == (step["priority"], "absolute"), step["id"]
    # The chain to the ratings load starts before the transforms only the quality check waits for.
    priority = {step["id"]: step["priority"] for step in pipeline_steps}
    transforms = [priority[f"transform_{source}"] for source in ("movies", "links", "credits", "keywords")]
    assert transforms == sorted(transforms, reverse=True) and len(set(transforms)) == 4
    assert priority["load_movies"] == priority["load_links"] > priority["transform_credits"]
    assert priority["load_ratings_shard"] > priority["transform_keywords"]


def test_task_table_lists_steps_in_the_pipeline_order(pipeline_steps: list[dict]) -> None:
    assert [step.task_id for step in PIPELINE_STEPS] == [step["id"] for step in pipeline_steps]


def test_optional_sample_step_feeds_only_the_extracts_which_run_when_it_is_skipped() -> None:
    dag = build_dag("local")
    sample = dag.get_task(SAMPLE_STEP.task_id)
    assert sample.upstream_task_ids == set()
    assert sample.downstream_task_ids == set(EXTRACT_TASK_IDS)
    for task_id in EXTRACT_TASK_IDS:
        assert dag.get_task(task_id).trigger_rule == "none_failed"


def test_extracts_and_per_entity_work_run_in_parallel_and_report_is_last() -> None:
    dag = build_dag("local")
    roots = {task.task_id for task in dag.tasks if not task.upstream_task_ids}
    assert roots == {"generate_sample", "create_tables"}
    transforms = [t for t in dag.tasks if t.task_id.startswith("transform_")]
    assert len(transforms) == 5
    for transform in transforms:  # no transform waits for another
        assert not any(up.startswith("transform_") for up in transform.get_flat_relative_ids(upstream=True))
    assert dag.get_task("report").upstream_task_ids == {"quality_check"}
    assert [t.task_id for t in dag.tasks if not t.downstream_task_ids] == ["report"]
