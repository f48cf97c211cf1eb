"""No engine-specific SQL outside the project's dispatch macros (issue #3, "Done when").

Every difference between engines goes through an `adapter.dispatch` macro of the
project (macros/cross_db/): a `default__` version plus `duckdb__`, `postgres__`,
`spark__`... where needed. This test reads the SQL of the models (models/**/*.sql),
of the macros that models are written with (everything under macros/ outside
macros/cross_db/ and outside `<adapter>__` implementations), of the data tests and of
the analyses, with Jinja, comments and string literals removed, and fails on any
function or syntax that exists on some engines only.

Fast and offline: it runs in the plain pytest suite too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Adapters whose `<adapter>__name` macros are engine-specific implementations
# (and `default__`, the portable fallback of a dispatch macro).
DISPATCH_PREFIXES = (
    "default", "duckdb", "postgres", "spark", "databricks", "snowflake", "bigquery",
    "redshift", "trino", "athena", "fabric", "sqlserver", "synapse", "clickhouse",
)

# name -> (regex, which dispatch macro to use instead)
ENGINE_SPECIFIC = {
    "postgres/duckdb cast operator ::": (r"::", "cast(x as type), type_double(), type_text()"),
    "try_cast / safe_cast": (r"\b(try_cast|safe_cast|try_to_\w+)\s*\(", "try_cast() / clean_cast()"),
    "date_trunc": (r"\b(date_trunc|datetrunc)\s*\(", "month_start() / week_start()"),
    "trunc": (r"\btrunc\s*\(", "month_start() / week_start()"),
    "date arithmetic function": (
        r"\b(date_add|dateadd|date_sub|datesub|date_diff|datediff|months_between|add_months)\s*\(",
        "add_days() / days_between()",
    ),
    "date part function": (
        r"\b(date_part|datepart|dayofweek|dayofmonth|dayofyear|weekofyear|isodow|last_day)\s*\(",
        "a dispatch macro in macros/cross_db/dates.sql",
    ),
    "date formatting/parsing": (
        r"\b(strftime|strptime|to_char|to_date|to_timestamp|make_date|make_timestamp|"
        r"date_format|from_unixtime|unix_timestamp|epoch_ms|epoch)\s*\(",
        "date_literal() / try_cast()",
    ),
    "interval literal": (r"\binterval\b", "add_days()"),
    "series/table generator": (
        r"\b(generate_series|range|sequence|explode|unnest|posexplode)\s*\(|\blateral\b",
        "day_series()",
    ),
    "string aggregation": (
        r"\b(string_agg|listagg|group_concat|array_agg|collect_list|collect_set|list|array_join|"
        r"array_to_string)\s*\(",
        "string_agg_ordered()",
    ),
    "concat_ws": (r"\bconcat_ws\s*\(", "concat() or ||"),
    "median/percentile": (
        r"\b(median|quantile\w*|percentile\w*|approx_\w+)\s*\(|\bwithin\s+group\b",
        "median()",
    ),
    "regression aggregate": (r"\bregr_\w+\s*\(", "regression_slope()"),
    "boolean aggregate": (
        r"\b(bool_and|bool_or|every|logical_and|logical_or|booland_agg|boolor_agg|count_if|countif)\s*\(",
        "bool_or_agg() / bool_and_agg() / count_where()",
    ),
    "conditional function": (
        r"\b(if|iff|ifnull|nvl|nvl2|isnull|zeroifnull|nullifzero|decode)\s*\(",
        "case when ... / coalesce()",
    ),
    "integer division": (r"//|\bdiv\s*\(", "integer_divide()"),
    "regex / ilike": (
        r"\b(ilike|rlike|similar\s+to)\b|\b(regexp\w*|regex\w*)\s*\(|\s!?~\*?\s",
        "lower(x) like ..., or a dispatch macro",
    ),
    "qualify": (r"\bqualify\b", "a subquery with row_number()"),
    "aggregate filter clause": (r"\bfilter\s*\(\s*where\b", "sum(case when ... then 1 else 0 end)"),
    "engine clock": (r"\b(now|getdate|sysdate|current_timestamp)\s*\(", "as_of_date (int_reporting_period)"),
    "duckdb struct/list literal": (r"\{\s*'|\[\s*'", "plain columns"),
    "string type name": (r"\bas\s+(string|varchar|text)\b", "type_text()"),
    "decimal without scale (whole numbers on Spark and Snowflake)": (
        r"\bas\s+(numeric|decimal|number)\s*\)",
        "round_double(), or decimal(p, s) with a scale",
    ),
    "float type name": (r"\bas\s+(double|float\d*|real|double\s+precision)\b", "type_double()"),
}


def strip_dispatch_implementations(text: str) -> str:
    """Drop the bodies of `{% macro <adapter>__name(...) %} ... {% endmacro %}`."""
    prefixes = "|".join(DISPATCH_PREFIXES)
    return re.sub(
        r"\{%-?\s*macro\s+(" + prefixes + r")__\w+.*?\{%-?\s*endmacro\s*-?%\}",
        " ",
        text,
        flags=re.S,
    )


# The dispatch layer itself: engine versions and the helpers they share.
DISPATCH_FOLDERS = (REPO / "macros" / "cross_db",)


def sql_files() -> list[Path]:
    files = sorted((REPO / "models").rglob("*.sql"))
    files += sorted(
        f for f in (REPO / "macros").rglob("*.sql") if not any(f.is_relative_to(d) for d in DISPATCH_FOLDERS)
    )
    files += sorted((REPO / "tests").rglob("*.sql"))
    files += sorted((REPO / "analyses").rglob("*.sql"))
    return [f for f in files if "dbt_packages" not in f.parts]


def findings(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.is_relative_to(REPO / "macros") or path.is_relative_to(REPO / "tests"):
        text = strip_dispatch_implementations(text)
    problems = []
    for line_number, line in enumerate(strip_jinja_and_comments_keep_lines(text), start=1):
        for name, (pattern, use_instead) in ENGINE_SPECIFIC.items():
            match = re.search(pattern, line, flags=re.I)
            if match:
                problems.append(
                    f"{path.relative_to(REPO)}:{line_number}: {name} ({match.group(0).strip()!r}); "
                    f"use {use_instead}"
                )
    return problems


def strip_jinja_and_comments_keep_lines(text: str) -> list[str]:
    """Like strip_jinja_and_comments, but blanks keep their newlines so line numbers hold."""

    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    for pattern in (r"\{#.*?#\}", r"\{%.*?%\}", r"/\*.*?\*/"):
        text = re.sub(pattern, blank, text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", lambda m: "x" + blank(m)[1:], text, flags=re.S)
    text = re.sub(r"--[^\n]*", blank, text)
    # string literals can hold anything (reasons, labels): blank them too
    text = re.sub(r"'(?:[^']|'')*'", lambda m: "'" + blank(m)[1:-1] + "'", text)
    return text.split("\n")


@pytest.mark.parametrize("path", sql_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_engine_specific_sql(path: Path) -> None:
    problems = findings(path)
    assert not problems, "engine-specific SQL outside the dispatch macros:\n" + "\n".join(problems)


def test_the_check_catches_engine_specific_sql(tmp_path: Path) -> None:
    """The patterns find what they are meant to find, and pass portable SQL."""
    models = tmp_path / "m.sql"
    models.write_text(
        "select a::int, date_trunc('month', d), string_agg(x, ','), median(y),\n"
        "  generate_series(1, 3), d + interval 1 day, a // 2, try_cast(z as date)\n"
        "from t where name ilike 'a%' qualify row_number() over () = 1\n"
    )
    lines = strip_jinja_and_comments_keep_lines(models.read_text())
    hits = {name for line in lines for name, (p, _) in ENGINE_SPECIFIC.items() if re.search(p, line, re.I)}
    assert {
        "postgres/duckdb cast operator ::", "date_trunc", "string aggregation", "median/percentile",
        "series/table generator", "interval literal", "integer division", "try_cast / safe_cast",
        "regex / ilike", "qualify",
    } <= hits
    portable = (
        "{# date_trunc in a comment #} -- median( here too\n"
        "select {{ month_start('d') }} as m, coalesce(a, 0), case when b then 1 else 0 end,\n"
        "  cast(x as {{ type_double() }}), 'if(this) :: is text' as reason, count(distinct u)\n"
        "from t left join s on t.k = s.k where t.d between s.a and s.b\n"
    )
    lines = strip_jinja_and_comments_keep_lines(portable)
    hits = {name for line in lines for name, (p, _) in ENGINE_SPECIFIC.items() if re.search(p, line, re.I)}
    assert hits == set(), hits
    dispatch = "{% macro spark__x(a) %}date_add({{ a }}, 1){% endmacro %}{% macro x(a) %}{{ a }}{% endmacro %}"
    assert "date_add" not in strip_dispatch_implementations(dispatch)
