"""One home for comparing area names across files (Ofsted, DfE, HMCTS, Data to Insight, user input)."""

from __future__ import annotations

import re

import pandas as pd


def normalise(s: pd.Series) -> pd.Series:
    """Lower case, '&' -> 'and', anything but letters -> space, spaces collapsed."""
    return (
        s.astype("string")
        .str.lower()
        .str.replace("&", "and", regex=False)
        .str.replace(r"[^a-z ]", " ", regex=True)
        .str.replace(r"\s+", " ", regex=True)
        .str.strip()
    )


def normalise_one(name) -> str:
    return str(normalise(pd.Series([name])).iloc[0])


def clean_la_name(s: pd.Series) -> pd.Series:
    """As :func:`normalise`, after dropping footnote digits and 'City of' (DfE/HMCTS tables)."""
    return normalise(
        s.astype("string")
        .str.replace(r"[\d,]+$", "", regex=True)
        .str.lower()
        .str.replace(", city of", "", regex=False)
        .str.replace("city of ", "", regex=False)
    )


def display_name(name):
    """An area's name as Ofsted and people write it, from the register's forms: "Kingston Upon Hull, City of"
    -> "Kingston upon Hull", "Herefordshire, County of" -> "Herefordshire", "St. Helens" -> "St Helens". The
    one home for how a page names an area (the register's form stays findable: it is one of the area's
    other names)."""
    if not isinstance(name, str):
        return name
    out = re.sub(r",\s*(City|County) of$", "", name.strip())
    out = re.sub(r"\bUpon\b", "upon", out)
    return re.sub(r"\bSt\. ", "St ", out)
