"""Builders of the registered tables that are not some domain module's own: each reads its declared raw files
(:data:`sendstats.registry.TABLES`) and receives any table it needs as an argument (:mod:`sendstats.store`)."""

from __future__ import annotations

from . import rawfiles, sources
from .ingest import ofsted


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
