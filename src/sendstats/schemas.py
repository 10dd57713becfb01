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

REASON = pa.Check.isin(["not_applicable", "suppressed", "not_collected_yet", "no_match"])


def _reasoned(value: str, reason: str):
    """A value is present, or its reason is (never a silent NaN)."""
    return pa.Check(lambda d: d[value].notna() | d[reason].notna(), name=f"{value}_or_{reason}")


FACTOR_COLUMNS = {
        "factor_date": pa.Column("datetime64[ns]"),
        "n_ccgs": pa.Column("Int64", pa.Check.in_range(1, 12), nullable=True),
        "main_ccg_share": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        "ccg_coterminous": pa.Column("boolean", nullable=True),
        "ccg_shared": pa.Column("boolean", nullable=True),
        "dmo_in_post": pa.Column("string", pa.Check.isin(["Yes", "No", "Recruiting"]), nullable=True),
        "dco_in_post": pa.Column("string", pa.Check.isin(["Yes", "No", "Recruiting"]), nullable=True),
        "ehcp_20wk_pct": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "ehcp_20wk_inc_exc_pct": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "ehcp_20wk_change_2y": pa.Column(float, pa.Check.in_range(-100, 100), nullable=True),
        "imd_share_most_deprived_decile": pa.Column(float, pa.Check.in_range(0, 1), nullable=True),
        "imd_mean_rank": pa.Column(float, pa.Check.in_range(1, 32844), nullable=True),
        "imd_quintile": pa.Column("Int64", pa.Check.in_range(1, 5), nullable=True),
        "appeal_rate": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "ehcp_per_1000_0_25": pa.Column(float, pa.Check.in_range(0, 1000), nullable=True),
        **{c: pa.Column("string", REASON, nullable=True) for c in (
            "ccg_reason", "dmo_dco_reason", "ehcp_20wk_pct_reason", "ehcp_20wk_inc_exc_pct_reason",
            "ehcp_20wk_change_2y_reason", "imd_reason", "appeal_reason", "ehcp_per_1000_reason")},
}
FACTOR_CHECKS = [
    _reasoned("n_ccgs", "ccg_reason"), _reasoned("dmo_in_post", "dmo_dco_reason"),
    _reasoned("ehcp_20wk_pct", "ehcp_20wk_pct_reason"), _reasoned("ehcp_20wk_change_2y", "ehcp_20wk_change_2y_reason"),
    _reasoned("imd_quintile", "imd_reason"), _reasoned("appeal_rate", "appeal_reason"),
    _reasoned("ehcp_per_1000_0_25", "ehcp_per_1000_reason")]
AREAS_2016 = pa.DataFrameSchema({**INSPECTIONS_2016.columns, **FACTOR_COLUMNS},
                                checks=[*INSPECTIONS_2016.checks, *FACTOR_CHECKS], strict=False)
AREAS_2023 = pa.DataFrameSchema({**INSPECTIONS_2023.columns, **FACTOR_COLUMNS},
                                checks=[*INSPECTIONS_2023.checks, *FACTOR_CHECKS], strict=False)
