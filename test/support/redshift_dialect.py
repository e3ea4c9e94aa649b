"""Checks SQL statements against Amazon Redshift's dialect with sqlglot's Redshift parser.

Reads JSON `[{"where": "...", "sql": "..."}, ...]` on stdin and prints JSON
`[{"where": "...", "problem": "..."}, ...]`: one entry per statement that Redshift would refuse or
read otherwise. Run by test/support/redshift-dialect.ts, in the venv of
scripts/services/sql-parser.sh.

sqlglot parses the PostgreSQL superset that Redshift's own dialect in it inherits, so parsing alone
proves the statement is SQL, not that it is Redshift's. Every tree is then held to allow-lists
taken from the Redshift Database Developer Guide ("SQL commands", "Data types", "SQL functions
reference", "Unsupported PostgreSQL features"): statement kinds, data types, functions. Anything
outside them fails, so a construct nobody thought of fails too, until someone checks the guide and
adds it. A short deny-list then names the PostgreSQL-only clauses that hide inside allowed
statements, with the Redshift way to write each.
"""
import json
import logging
import re
import sys

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError
from sqlglot.tokens import TokenType

# Statement kinds Redshift runs, as sqlglot names its trees. TRUNCATE is absent on purpose:
# Redshift commits the open transaction at TRUNCATE, so in a batch it would end the batch's
# one transaction half-way ("TRUNCATE", developer guide); DELETE FROM keeps it whole.
STATEMENTS = {
    exp.Select: None, exp.Union: None, exp.Except: None, exp.Intersect: None,
    exp.Insert: None, exp.Update: None, exp.Delete: None, exp.Merge: None,
    exp.Create: {"TABLE", "SCHEMA", "VIEW"}, exp.Drop: {"TABLE", "SCHEMA", "VIEW"},
    exp.Alter: {"TABLE"}, exp.Comment: {"TABLE", "COLUMN", "SCHEMA", "VIEW"},
    exp.Copy: None, exp.Grant: None,
}

# Statements sqlglot cannot read (it keeps them as an opaque Command), each held to a narrower
# rule of its own. LOCK: Redshift's grammar is `LOCK [ TABLE ] name [, ...]`, without
# PostgreSQL's `IN … MODE` (Redshift's LOCK is always exclusive) or NOWAIT.
NAME = r'(?:"[a-z0-9_]+"|[a-z_][a-z0-9_]*)(?:\.(?:"[a-z0-9_]+"|[a-z_][a-z0-9_]*))?'
COMMANDS = {
    "LOCK": re.compile(rf"^LOCK\s+(?:TABLE\s+)?{NAME}(?:\s*,\s*{NAME})*$", re.IGNORECASE),
}

# Redshift's data types ("Data types"). REGCLASS is PostgreSQL's, kept for the catalog queries
# that Redshift runs on its leader node (pg_catalog), where it exists.
TYPES = {
    "SMALLINT", "INT", "BIGINT", "DECIMAL", "REAL", "FLOAT", "DOUBLE", "BOOLEAN", "CHAR", "NCHAR",
    "VARCHAR", "NVARCHAR", "DATE", "TIMESTAMP", "TIMESTAMPTZ", "TIME", "TIMETZ", "INTERVAL",
    "SUPER", "VARBYTE", "GEOMETRY", "GEOGRAPHY", "REGCLASS",
}

# Functions Redshift runs on compute nodes ("SQL functions reference"), by sqlglot's name for
# them (`exp.<Class>.key`); functions sqlglot does not know are `anonymous:<name>`.
FUNCTIONS = {
    # operators and conditionals sqlglot keeps as functions
    "and", "or", "not", "case", "if", "cast", "trycast", "coalesce", "nullif", "greatest", "least",
    "exists", "in", "between", "is", "values", "tuple",
    # aggregates and windows
    "count", "sum", "avg", "min", "max", "median", "percentilecont", "percentiledisc", "stddev",
    "stddevsamp", "stddevpop", "variance", "variancepop", "groupconcat", "listagg", "bitwiseoragg",
    "bitwiseandagg", "logicaland", "logicalor", "approxdistinct", "rownumber", "rank", "denserank",
    "percentrank", "cumedist", "ntile", "lag", "lead", "firstvalue", "lastvalue", "nthvalue",
    # numbers
    "abs", "round", "floor", "ceil", "trunc", "sign", "sqrt", "pow", "exp", "ln", "log", "mod",
    # text
    "lower", "upper", "length", "trim", "substring", "concat", "dpipe", "strposition", "left",
    "right", "replace", "splitpart", "md5", "regexplike", "regexpextract", "lpad", "rpad", "initcap",
    # dates
    "extract", "timestamptrunc", "datetrunc", "dateadd", "datediff", "tsordstodate", "strtodate",
    "timetostr", "currentdate", "currenttimestamp", "sysdate", "getdate", "lastday",
    "anonymous:format_type",  # catalog queries, leader node
    "anonymous:values",  # MERGE … WHEN NOT MATCHED THEN INSERT VALUES (…), as sqlglot reads it
}

# PostgreSQL spellings that sqlglot reads as a function Redshift has under another name (it would
# write them back as Redshift's), so only the name as written tells them apart.
SPELLED = {"STRING_AGG": "STRING_AGG: LISTAGG", "NOW": "NOW(): GETDATE() or SYSDATE"}

# PostgreSQL-only clauses inside statements Redshift has, and the Redshift way.
DENIED = [
    (exp.OnConflict, "ON CONFLICT: DELETE … USING + INSERT, or MERGE"),
    (exp.Returning, "RETURNING"),
    (exp.Filter, "an aggregate FILTER (WHERE …): SUM(CASE WHEN … END)"),
    (exp.Lateral, "LATERAL"),
    (exp.Array, "an ARRAY constructor"),
    (exp.Unnest, "UNNEST"),
]


def problems(sql):
    found = token_problems(sqlglot.tokenize(sql, read="redshift"))
    try:
        tree = sqlglot.parse_one(sql, read="redshift", error_level=ErrorLevel.RAISE)
    except ParseError as error:
        return found + ["not Redshift SQL: " + str(error).splitlines()[0]]
    if isinstance(tree, exp.Command):
        rule = COMMANDS.get(str(tree.this).upper())
        if rule is None:
            return found + [f"{tree.this}: a statement the parser cannot read and no rule checks"]
        if not rule.match(" ".join(sql.split())):
            found.append(f"{tree.this} as Redshift does not write it")
        return found
    return found + statement_problems(tree) + clause_problems(tree)


def token_problems(tokens):
    """What only the text shows: `::` (the Data API's parameters) and PostgreSQL's spellings."""
    found = []
    if any(token.token_type == TokenType.DCOLON for token in tokens):
        found.append("a :: cast (the Data API reads :name as a parameter): CAST(… AS …)")
    for token, following in zip(tokens, tokens[1:]):
        if following.token_type == TokenType.L_PAREN and token.text.upper() in SPELLED:
            found.append(SPELLED[token.text.upper()])
    return found


def statement_problems(tree):
    kinds = STATEMENTS.get(type(tree), False)
    kind = str(tree.args.get("kind") or "").upper()
    if kinds is False:
        if isinstance(tree, exp.TruncateTable):
            return ["TRUNCATE, which commits the open transaction on Redshift: DELETE FROM"]
        return [f"{type(tree).__name__}: not a statement kind Redshift runs here"]
    if kinds is not None and kind not in kinds:
        return [f"{type(tree).__name__} {kind}" + (": Redshift has sort keys" if kind == "INDEX" else ": not on Redshift")]
    return []


def clause_problems(tree):
    found = [why for node_type, why in DENIED if tree.find(node_type)]
    distinct = [node for node in tree.find_all(exp.Distinct) if node.args.get("on")]
    if distinct:
        found.append("DISTINCT ON: ROW_NUMBER() OVER (…)")
    for identity in tree.find_all(exp.GeneratedAsIdentityColumnConstraint):
        if identity.this is True or identity.args.get("start") is None:
            found.append("GENERATED ALWAYS AS IDENTITY / SERIAL: IDENTITY(seed, step)")
    for data_type in tree.find_all(exp.DataType):
        name = data_type.this.name if isinstance(data_type.this, exp.DataType.Type) else str(data_type.this)
        if name not in TYPES:
            found.append(f"type {name}" + (", which Redshift turns into VARCHAR(256)" if name == "TEXT" else ": not a Redshift type"))
    for function in tree.find_all(exp.Func):
        key = f"anonymous:{function.name.lower()}" if isinstance(function, exp.Anonymous) else function.key
        if key not in FUNCTIONS:
            found.append(f"function {function.sql_name() if not isinstance(function, exp.Anonymous) else function.name}: not on the Redshift list")
    return sorted(set(found))


def main():
    # sqlglot warns on stderr of each statement it keeps as a Command; COMMANDS judges those.
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    statements = json.load(sys.stdin)
    result = [{"where": item["where"], "problem": problem} for item in statements for problem in problems(item["sql"])]
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
