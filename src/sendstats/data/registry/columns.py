"""Every column that more than one table holds, declared once: its type, human label, description and
unit. A table lists such a column with :func:`col`, adding only what is the table's own: where its values
come from (``source``), its check, whether it may be empty or must be unique, and a note where the table
holds it in its own way. An area factor's column is declared with the factor (:mod:`.factors`) and listed
in another table the same way. A name means one thing everywhere (a test checks)."""

from __future__ import annotations

import dataclasses

from .factors import FACTORS
from .fields import Column

FACTOR_DECLARATIONS = {c.name: c for c in FACTORS}  # a factor's column is declared with the factor


def _c(name, dtype, label, description, unit=""):
    return Column(name=name, dtype=dtype, label=label, description=description, unit=unit)


COLUMNS = {
    c.name: c
    for c in (
        _c("area", "string", "area", "the local area's name"),
        _c(
            "area_code",
            "string",
            "area code",
            "9-digit ONS code of the current SEND local area (May 2023 boundaries; replaced codes harmonised)",
        ),
        _c("inspection_end", "datetime64[ns]", "inspection end", "last day of the inspection", unit="date"),
        _c("inspection_start", "datetime64[ns]", "inspection start", "first day of the inspection", unit="date"),
        _c("item", "string", "item", "the text of the item"),
        _c("kind", "string", "kind of item", "weakness (2016 letter), priority action or improvement (2023 report)"),
        _c("la_code", "string", "area code", "9-digit ONS code of the local authority (the area's council)"),
        _c("matched", "string", "matched phrase", "the phrase that matched the theme's pattern"),
        _c(
            "n_priority_actions",
            "Int64",
            "areas for priority action",
            "number of areas for priority action",
            unit="count",
        ),
        _c(
            "n_weaknesses",
            "Int64",
            "significant weaknesses",
            "number of significant weaknesses the inspection identified (empty without a WSoA)",
            unit="count",
        ),
        _c("ofsted_urn", "Int64", "Ofsted URN", "Ofsted unique reference number"),
        _c(
            "outcome",
            "category",
            "2023 outcome",
            "the 2023-framework outcome: positive < inconsistent < systemic_failings",
        ),
        _c(
            "published",
            "datetime64[ns]",
            "published",
            "date Ofsted published the inspection's outcome: its letter (2016 framework) or its report"
            " (2023 framework)",
            unit="date",
        ),
        _c("region", "string", "Ofsted region", "Ofsted region"),
        _c("source", "string", "document", "file name of the bundled letter or report"),
        _c("source_url", "string", "source", "where the list was found", unit="URL"),
        _c("theme", "string", "theme", "codebook theme matched automatically (other: none matched)"),
    )
}


def col(
    name: str,
    *,
    note: str = "",
    dtype: str = "",
    source: str = "",
    check=(),
    nullable: bool = True,
    unique: bool = False,
) -> Column:
    """A shared column as one table holds it: its declaration, with the table's source, check, nullability,
    uniqueness, a note (shown as its description in this table, where the table holds it in its own way) and
    a storage type (``int64`` for a whole number that is never empty, where the declaration says ``Int64``)."""
    base = COLUMNS[name] if name in COLUMNS else FACTOR_DECLARATIONS[name]
    return dataclasses.replace(
        base,
        factor=None,  # a factor's column in another table is that table's column, not the factor
        dtype=dtype or base.dtype,
        description=note or base.description,
        source=source,
        check=tuple(check),
        nullable=nullable,
        unique=unique,
    )
