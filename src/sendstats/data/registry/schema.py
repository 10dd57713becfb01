"""The validation schema (pandera) and the data dictionary's Markdown, both made from the declarations."""

from __future__ import annotations

from .factors import REASONED
from .fields import Column
from .tables import TABLES


# --- the pandera schema, made from the registry ----------------------------------------------------------
def _frame_checks(pa):
    def after(d):
        return d["published"].isna() | (d["published"] >= d["inspection_start"])

    def revisit_sum(d):
        return d["n_weaknesses_progress"] + d["n_weaknesses_no_progress"]

    return {
        "published_after_start": pa.Check(after, name="published_after_start"),
        "revisit_counts_add_up": pa.Check(
            lambda d: revisit_sum(d).isna() | (revisit_sum(d) == d["n_weaknesses"]), name="revisit_counts_add_up"
        ),
        "dated_unless_predecessor": pa.Check(
            lambda d: d["predecessor"] | d["inspection_start"].notna(), name="dated_unless_predecessor"
        ),
        "published_after_start_2023": pa.Check(
            lambda d: d["inspection_start"].isna() | (d["published"] > d["inspection_start"]),
            name="published_after_start",
        ),
        "missing_has_reason": pa.Check(
            lambda d: d["missing_reason"].notna() | (d["outcome"].notna() & d["inspection_start"].notna()),
            name="missing_has_reason",
        ),
        "reasoned": [
            pa.Check(lambda d, v=v, r=r: d[v].notna() | d[r].notna(), name=f"{v}_or_{r}") for v, r in REASONED
        ],
    }


def _check(pa, spec):
    if not spec:
        return []
    kind, *args = spec
    return [
        {
            "in_range": lambda: pa.Check.in_range(*args),
            "isin": lambda: pa.Check.isin(args[0]),
            "matches": lambda: pa.Check.str_matches(args[0]),
            "ge": lambda: pa.Check.ge(args[0]),
            "startswith": lambda: pa.Check.str_startswith(args[0]),
        }[kind]()
    ]


def schema(name: str):
    """The pandera DataFrameSchema of a registered table."""
    import pandera.pandas as pa

    t = TABLES[name]
    frame = _frame_checks(pa)
    checks: list = []
    for c in t.checks:
        checks += frame[c] if isinstance(frame[c], list) else [frame[c]]
    cols = {
        c.name: pa.Column(
            None if c.dtype in ("object", "period[M]") else c.dtype,
            _check(pa, c.check),
            nullable=c.nullable,
            unique=c.unique,
            required=True,
        )
        for c in t.columns
    }
    return pa.DataFrameSchema(cols, checks=checks, unique=list(t.unique) or None, strict=True)


# --- the data dictionary --------------------------------------------------------------------------------
# how the data dictionary names each storage type (a reader's word, not pandas's)
TYPE_WORDS = {
    "string": "text",
    "object": "list of codes",
    "category": "code (one of a fixed list)",
    "Int64": "whole number",
    "int64": "whole number",
    "float64": "decimal number",
    "bool": "yes/no",
    "boolean": "yes/no",
    "datetime64[ns]": "date",
    "period[M]": "month",
}


def type_word(c: Column) -> str:
    """A column's type as the data dictionary names it."""
    return TYPE_WORDS[c.dtype]


def corrections() -> list[tuple]:
    """The curated corrections (area code, inspection published, field, value, source, URL), for the dictionary."""
    from .. import rawfiles, sources
    from ..ingest.ofsted import read_corrections

    c = read_corrections(sources.raw_path(rawfiles.CORRECTIONS_2023))
    return [(r.la_code, f"{r.published:%Y-%m-%d}", r.field, r.value, r.source, r.source_url) for r in c.itertuples()]


def dictionary_markdown() -> str:
    out = [
        "# Data dictionary",
        "",
        "Generated from the table registry (`sendstats.registry`) by `sendstats.registry.dictionary_markdown()`; "
        "a test fails when this file is stale. Each table is a file in `data/processed/` and in "
        "`sendstats data export`.",
        "",
    ]
    for t in TABLES.values():
        out += [
            f"## `{t.name}`",
            "",
            t.description,
            "",
            "Raw files: "
            + (", ".join(f"`{r}`" for r in t.raw) or "none of its own")
            + "."
            + (" Built from: " + ", ".join(f"`{n}`" for n in t.needs) + "." if t.needs else ""),
            "",
            "| column | label | type | unit | description | source |",
            "|---|---|---|---|---|---|",
        ]
        out += [
            f"| `{c.name}` | {c.label} | {type_word(c)} | {c.unit} | {c.description} | {c.source} |" for c in t.columns
        ]
        out.append("")
    out += [
        "## Corrections applied",
        "",
        "Values the published sources leave out, filled in `inspections_2023` from "
        "`data/raw/curated/corrections_2023.csv`, each with its source (also in the row's `source_note`).",
        "",
        "| area code | inspection published | field | value | source |",
        "|---|---|---|---|---|",
    ]
    out += [f"| {a} | {p} | `{f}` | {v} | [{s}]({u}) |" for a, p, f, v, s, u in corrections()]
    out.append("")
    return "\n".join(out)
