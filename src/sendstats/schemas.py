"""pandera schemas of the processed tables: checked at build time, so a bad source fails loudly."""
from __future__ import annotations

import pandera.pandas as pa

CODE = r"^E(06|08|09|10)\d{6}$"

INSPECTIONS_2016 = pa.DataFrameSchema(
    {
        "la_code": pa.Column("string", pa.Check.str_matches(CODE), unique=True),
        "area": pa.Column("string"),
        "region": pa.Column("string"),
        "inspection_start": pa.Column("datetime64[ns]", nullable=True),
        "published": pa.Column("datetime64[ns]", nullable=True),
        "wsoa": pa.Column("boolean"),
        "n_weaknesses": pa.Column("Int64", pa.Check.in_range(1, 20), nullable=True),
        "revisit_status": pa.Column("string", pa.Check.isin(["revisited", "not_revisited_yet", "not_required"])),
        "revisit_start": pa.Column("datetime64[ns]", nullable=True),
        "revisit_published": pa.Column("datetime64[ns]", nullable=True),
        "revisit_outcome": pa.Column("category", nullable=True),
        "n_weaknesses_progress": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "n_weaknesses_no_progress": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "ofsted_url": pa.Column("string", pa.Check.str_startswith("https://reports.ofsted.gov.uk/"), nullable=True),
        "ofsted_urn": pa.Column("Int64", nullable=True),
        "predecessor": pa.Column(bool),
        "ceased": pa.Column("datetime64[ns]", nullable=True),
    },
    checks=[
        pa.Check(lambda d: (d["published"].isna() | (d["published"] >= d["inspection_start"])),
                 name="published_after_start"),
        pa.Check(lambda d: (d["n_weaknesses_progress"] + d["n_weaknesses_no_progress"]).isna()
                 | ((d["n_weaknesses_progress"] + d["n_weaknesses_no_progress"]) == d["n_weaknesses"]),
                 name="revisit_counts_add_up"),
        pa.Check(lambda d: d["predecessor"] | d["inspection_start"].notna(), name="dated_unless_predecessor"),
    ],
    strict=False,
)

INSPECTIONS_2023 = pa.DataFrameSchema(
    {
        "la_code": pa.Column("string", pa.Check.str_matches(CODE)),
        "area": pa.Column("string"),
        "region": pa.Column("string"),
        "inspection_start": pa.Column("datetime64[ns]", nullable=True),
        "inspection_end": pa.Column("datetime64[ns]", nullable=True),
        "published": pa.Column("datetime64[ns]"),
        "outcome": pa.Column("category", nullable=True),
        "priority_action_plan": pa.Column("boolean", nullable=True),
        "missing_reason": pa.Column("string", nullable=True),
    },
    checks=[
        pa.Check(lambda d: d["inspection_start"].isna() | (d["published"] > d["inspection_start"]),
                 name="published_after_start"),
        pa.Check(lambda d: d["missing_reason"].notna() | (d["outcome"].notna() & d["inspection_start"].notna()),
                 name="missing_has_reason"),
    ],
    unique=["la_code", "published"],
    strict=False,
)
