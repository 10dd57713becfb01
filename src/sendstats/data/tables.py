"""Builders of the registered tables that are not some domain module's own: each reads its declared raw files
(:data:`sendstats.data.registry.TABLES`) and receives any table it needs as an argument
(:mod:`sendstats.data.store`)."""

from __future__ import annotations

from . import rawfiles, sources
from .ingest import ofsted
from .registry.fields import CODE_PATTERN


def inspections_2016():
    return ofsted.read_2016(sources.raw_path(ofsted.ODS_2016))


def inspections_2023(documents):
    """Every snapshot, the overview workbook and Ofsted's MI; an inspection still without dates takes them from
    its bundled report (the ``documents`` table); then the curated corrections fill what the sources leave out."""
    snapshots = [sources.raw_path(p) for p in sources.expand([rawfiles.SNAPSHOTS_DIR + "/"])]
    df = ofsted.read_2023(
        snapshots,
        sources.raw_path(ofsted.OVERVIEW_2023),
        sources.raw_path(ofsted.MI_2023),
        sources.raw_path(ofsted.LA_LOOKUP),
    )
    reports = documents.loc[
        documents["framework"] == "2023", ["ofsted_urn", "published", "inspection_start", "inspection_end", "source"]
    ]
    path = sources.raw_path(rawfiles.CORRECTIONS_2023)
    return ofsted.apply_corrections(ofsted.dates_from_reports(df, reports), ofsted.read_corrections(path), path)


def la_lookup():
    return ofsted.read_la_lookup(sources.raw_path(ofsted.LA_LOOKUP))


def place_names():
    """Every district (2016 and 2019) and ward (December 2019) name, with the current area it lies in: how a
    person finds a council by a town or a former district ("Kettering", "Kendal", "Harrogate")."""
    import pandas as pd

    from .boundaries import DISTRICT_AREAS, SUCCESSION, SUCCESSORS
    from .ingest._common import read_csv

    def area(district: str, upper: str) -> str:
        if district in DISTRICT_AREAS:
            return DISTRICT_AREAS[district]
        if district[:3] in ("E06", "E08", "E09"):  # a unitary, metropolitan district or London borough
            upper = district
        upper = SUCCESSION.get(upper, upper)
        return SUCCESSORS[upper][0] if len(SUCCESSORS.get(upper, [])) == 1 else upper

    wards = read_csv(sources.raw_path(rawfiles.UTLA19), dtype=str)
    counties = read_csv(sources.raw_path(rawfiles.COUNTY16), dtype=str)
    shire = counties[counties["CTY16CD"].str.startswith("E10")]
    rows = [
        *((n, "district", area(d, u)) for n, d, u in zip(shire["LAD16NM"], shire["LAD16CD"], shire["CTY16CD"])),
        *((n, "district", area(d, u)) for n, d, u in zip(wards["LAD19NM"], wards["LAD19CD"], wards["UTLA19CD"])),
        *((n, "ward", area(d, u)) for n, d, u in zip(wards["WD19NM"], wards["LAD19CD"], wards["UTLA19CD"])),
    ]
    out = pd.DataFrame(rows, columns=["place", "place_kind", "area_code"]).astype("string")
    out = out[out["area_code"].str.match(CODE_PATTERN)]  # England's upper-tier councils only
    return out.drop_duplicates().sort_values(["place", "place_kind", "area_code"]).reset_index(drop=True)
