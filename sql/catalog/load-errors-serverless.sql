-- Why a COPY failed, on Redshift Serverless (which has no STL tables): the first rows of
-- SYS_LOAD_ERROR_DETAIL for the objects of the load (:prefix, their folder's URL) since it began.
SELECT TRIM(file_name) AS file_name, line_number, TRIM(column_name) AS column_name, TRIM(error_message) AS reason
FROM sys_load_error_detail
WHERE start_time >= CAST(:since AS TIMESTAMP)
  AND POSITION(CAST(:prefix AS VARCHAR(1024)) IN file_name) = 1
ORDER BY start_time DESC, line_number
LIMIT 5
