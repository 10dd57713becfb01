"""One home for every boundary and code change between 2016 and 2023 (data only; the logic that uses it is
in :mod:`sendstats.data.geography`, the readers in :mod:`sendstats.data.ingest`).

- Codes replaced without a boundary change (``SUCCESSION``): Buckinghamshire became unitary on 1 April 2020
  (E10000002 -> E06000060; Ofsted's 2022 file still uses E10000002); North Yorkshire and Somerset on
  1 April 2023 (E10000023 -> E06000065, E10000027 -> E06000066).
- Councils replaced by new ones with different boundaries (``SUCCESSORS``): Dorset county (E10000009) and
  Bournemouth/Poole -> Dorset (E06000059) and BCP (E06000058) on 1 April 2019; Northamptonshire
  (E10000021) -> North (E06000061) and West (E06000062) on 1 April 2021; Cumbria (E10000006) -> Cumberland
  (E06000063) and Westmorland and Furness (E06000064) on 1 April 2023.
- The April 2023 unitaries built from the districts they replaced (``REORG_2023``), because the last
  LSOA lookup used is April 2021.
- The NHS boundary moves of 1 July 2022, when sub-ICB locations replaced CCGs (``ICB_MOVES_2022``): the last
  LSOA lookup is April 2021, so the LSOAs that moved are reassigned by district.
- The two 2016-framework areas that Ofsted's file describes only in its Notes sheet (``PREDECESSORS``).
- The SEND Tribunal table's rows that its names cannot place (``APPEAL_CROSSWALK``).
- The day integrated care boards began merging (``ICB_MERGERS_BEGAN``, 1 April 2026): the ICB structure is
  measured on the July 2022 boundaries, so an inspection after it is measured on pre-merger boundaries.
"""

from __future__ import annotations

ICB_MERGERS_BEGAN = "2026-04-01"

SUCCESSION = {"E10000002": "E06000060", "E10000023": "E06000065", "E10000027": "E06000066"}

# the day each county in SUCCESSION became a unitary authority (same boundary): a county before it
UNITARY_FROM = {"E06000060": "2020-04-01", "E06000065": "2023-04-01", "E06000066": "2023-04-01"}

SUCCESSORS = {
    "E10000009": ["E06000059"],
    "E10000021": ["E06000061", "E06000062"],
    "E10000006": ["E06000063", "E06000064"],
}

# the date each former council was replaced by its successors
REPLACED_ON = {"E10000009": "1 April 2019", "E10000021": "1 April 2021", "E10000006": "1 April 2023"}

REORG_2023 = {
    "E06000063": {"districts": ["E07000026", "E07000028", "E07000029"]},  # Cumberland: Allerdale, Carlisle, Copeland
    "E06000064": {
        "districts": ["E07000027", "E07000030", "E07000031"]
    },  # Westmorland and Furness: Barrow, Eden, S. Lakeland
}

# districts whose area today is not their 2016 county's one successor (Northamptonshire split on 1 April 2021,
# The Northamptonshire (Structural Changes) Order 2020; Christchurch joined Bournemouth and Poole in BCP on
# 1 April 2019, the rest of Dorset county became the Dorset unitary); Cumbria's are in REORG_2023
DISTRICT_AREAS = {
    "E07000150": "E06000061",  # Corby -> North Northamptonshire
    "E07000152": "E06000061",  # East Northamptonshire
    "E07000153": "E06000061",  # Kettering
    "E07000156": "E06000061",  # Wellingborough
    "E07000151": "E06000062",  # Daventry -> West Northamptonshire
    "E07000154": "E06000062",  # Northampton
    "E07000155": "E06000062",  # South Northamptonshire
    "E07000048": "E06000058",  # Christchurch -> Bournemouth, Christchurch and Poole
    "E06000028": "E06000058",  # Bournemouth
    "E06000029": "E06000058",  # Poole
    **{d: area for area, v in REORG_2023.items() for d in v["districts"]},
}
# (district, CCG short code in April 2021, sub-ICB location from 1 July 2022): Glossop (High Peak) moved from
# Tameside and Glossop to Derby and Derbyshire; West Birmingham from Black Country and West Birmingham to
# Birmingham and Solihull.
ICB_MOVES_2022 = [("E07000037", "01Y", "15M"), ("E08000025", "D2P2L", "15E")]

# Codes/regions are those of the former councils; everything else is parsed from the Notes text.
PREDECESSORS = {
    "Dorset": {"la_code": "E10000009", "region": "South West"},
    "Northamptonshire": {"la_code": "E10000021", "region": "East Midlands"},
}

# Keyed by cleaned name: [(last year or None, code)]; a year past every entry is dropped (the council no
# longer existed). Bournemouth and Poole have no code in the table and merged into BCP in 2019; the table's
# Dorset row is the pre-2019 county before April 2019 (footnote 6) and the new unitary after;
# Northamptonshire (split 2021) and Cumbria (split 2023) are not in the current lookup.
APPEAL_CROSSWALK: dict[str, list[tuple[int | None, str | None]]] = {
    "bournemouth": [(2018, "E06000028")],
    "poole": [(2018, "E06000029")],
    "dorset": [(2018, "E10000009"), (None, "E06000059")],
    "northamptonshire": [(None, "E10000021")],
    "cumbria": [(None, "E10000006")],
}

# DSG deficit table (DfE dashboard) names the lookup does not match, keyed by cleaned name
DSG_NAMES = {
    "bedford": "E06000055",
    "county durham": "E06000047",
    "herefordshire county of": "E06000019",
    "herefordshire": "E06000019",
    "northamptonshire": "E10000021",
    "cumbria": "E10000006",
}
