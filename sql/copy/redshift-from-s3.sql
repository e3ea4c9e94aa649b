-- Redshift reads the object from S3 itself: the data never passes through the task's container.
-- {{source}} and {{iam_role}} are quoted literals checked against strict patterns (COPY takes no
-- parameters); {{options}} is GZIP and/or REGION when they apply. EMPTYASNULL: Redshift cannot
-- tell an empty quoted field from an empty unquoted one, and NULL is the staged convention.
-- NULL AS '': the staged convention stated, because Redshift's default null string is \N, which
-- would turn a title or keyword written \N into NULL.
COPY {{table}} ({{columns}})
FROM {{source}}
IAM_ROLE {{iam_role}}
FORMAT AS CSV
IGNOREHEADER 1
EMPTYASNULL
NULL AS ''
COMPUPDATE OFF
STATUPDATE OFF
{{options}}
