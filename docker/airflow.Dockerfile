# syntax=docker/dockerfile:1
# Airflow 3 for the local stack (docker/compose.yaml): the official image with our pinned
# environment (airflow/requirements.txt: Airflow, the docker, cncf.kubernetes and standard
# providers) and the DAG folder.
ARG AIRFLOW_IMAGE=apache/airflow:3.3.2-python3.12
FROM ${AIRFLOW_IMAGE}
COPY airflow/requirements.txt /opt/movalytics/requirements.txt
RUN pip install --no-cache-dir -r /opt/movalytics/requirements.txt
COPY --chown=airflow:root airflow/dags /opt/airflow/dags
