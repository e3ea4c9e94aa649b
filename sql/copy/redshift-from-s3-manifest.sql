-- One COPY for several objects: {{source}} is a manifest (JSON, `{"entries":[{"url":…,
-- "mandatory":true}, …]}`) listing every object by its full S3 URL, so Redshift reads exactly
-- those objects and spreads them over all slices (a GZIP file is read by one slice). A listed
-- object that is missing fails the COPY (mandatory). Every other option is the one of
-- redshift-from-s3.sql: {{source}} and {{iam_role}} are quoted literals checked against strict
-- patterns (COPY takes no parameters); {{options}} is GZIP and/or REGION when they apply.
COPY {{table}} ({{columns}})
FROM {{source}}
IAM_ROLE {{iam_role}}
MANIFEST
FORMAT AS CSV
IGNOREHEADER 1
EMPTYASNULL
NULL AS ''
COMPUPDATE OFF
STATUPDATE OFF
{{options}}
