-- Why a COPY failed, on a provisioned cluster: the first rows of STL_LOAD_ERRORS for the objects of
-- the load (:prefix, their folder's URL) since it began.
SELECT TRIM(filename) AS file_name, line_number, TRIM(colname) AS column_name, TRIM(err_reason) AS reason
FROM stl_load_errors
WHERE starttime >= CAST(:since AS TIMESTAMP)
  AND POSITION(CAST(:prefix AS VARCHAR(1024)) IN filename) = 1
ORDER BY starttime DESC, line_number
LIMIT 5
