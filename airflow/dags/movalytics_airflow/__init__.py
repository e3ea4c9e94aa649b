"""Building blocks of the Movalytics DAG (airflow/dags/movalytics_dwh.py): settings, the command
model, and one operator per runtime. Not a DAG folder of its own (see ../.airflowignore)."""
