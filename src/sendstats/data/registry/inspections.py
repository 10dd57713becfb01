"""The inspection tables' columns: every 2016-framework inspection and revisit (Ofsted's official
statistics) and every 2023-framework inspection (Data to Insight's workbook, snapshots and Ofsted's MI)."""

from __future__ import annotations

from .columns import col
from .fields import CODE_PATTERN, D2I, MI, NOTES, ODS, OVERVIEW, SNAPSHOTS, C

INSPECTIONS_2016 = (
    col(
        "la_code",
        note="9-digit ONS local authority code as in the Ofsted file (predecessors: the former county's code)",
        source=ODS,
        check=("matches", CODE_PATTERN),
        nullable=False,
        unique=True,
    ),
    col("area", note="local area name", source=ODS, nullable=False),
    col("region", source=ODS, nullable=False),
    col(
        "inspection_start",
        note="first day of the inspection (empty for predecessors: only the month is published)",
        source=ODS,
    ),
    col("published", note="date the inspection letter was published", source=ODS),
    C(
        "wsoa",
        "boolean",
        "WSoA required",
        "a written statement of action was required",
        unit="yes/no",
        source=ODS,
        nullable=False,
    ),
    col(
        "n_weaknesses",
        note="number of significant weaknesses in the WSoA (empty without a WSoA)",
        source=ODS,
        check=("in_range", 1, 20),
    ),
    C(
        "revisit_status",
        "string",
        "revisit status",
        "revisited / not_revisited_yet / not_required",
        source=ODS,
        check=("isin", ["revisited", "not_revisited_yet", "not_required"]),
        nullable=False,
    ),
    C("revisit_start", "datetime64[ns]", "revisit start", "first day of the revisit", unit="date", source=ODS),
    C(
        "revisit_published",
        "datetime64[ns]",
        "revisit letter published",
        "date the revisit letter was published",
        unit="date",
        source=ODS,
    ),
    C(
        "revisit_outcome",
        "category",
        "progress at revisit",
        "sufficient progress on all (Yes) / some (Some) / none (No) of the weaknesses; ordered No < Some < Yes",
        source=ODS,
    ),
    C(
        "n_weaknesses_progress",
        "Int64",
        "weaknesses with sufficient progress",
        "number of weaknesses with sufficient progress at revisit",
        unit="count",
        source=ODS,
        check=("ge", 0),
    ),
    C(
        "n_weaknesses_no_progress",
        "Int64",
        "weaknesses without sufficient progress",
        "number of weaknesses without sufficient progress at revisit",
        unit="count",
        source=ODS,
        check=("ge", 0),
    ),
    C(
        "ofsted_url",
        "string",
        "Ofsted page",
        "URL of the area's Ofsted page (target of column A's hyperlink)",
        unit="URL",
        source=ODS,
        check=("startswith", "https://reports.ofsted.gov.uk/"),
    ),
    col("ofsted_urn", note="Ofsted unique reference number, from that URL", source=ODS),
    C(
        "inspection_month",
        "period[M]",
        "inspection month",
        "month of the inspection (the only date published for predecessors)",
        unit="month",
        source=NOTES,
    ),
    C(
        "predecessor",
        "bool",
        "former council",
        "Dorset / Northamptonshire: areas that no longer exist (Notes sheet only)",
        unit="yes/no",
        source=NOTES,
        nullable=False,
    ),
    C(
        "ceased",
        "datetime64[ns]",
        "ceased to exist",
        "last day the predecessor area existed",
        unit="date",
        source=NOTES,
    ),
    C("revisit_month", "period[M]", "revisit month", "month of a predecessor's revisit", unit="month", source=NOTES),
)


INSPECTIONS_2023 = (
    col(
        "la_code",
        note="9-digit ONS code, via the workbook's 3-digit DfE code and the D2I lookup",
        source=OVERVIEW,
        check=("matches", CODE_PATTERN),
        nullable=False,
    ),
    col("area", note="area name (ONS)", source=D2I, nullable=False),
    col("region", source=OVERVIEW, nullable=False),
    col(
        "inspection_start", note="first day of inspection (Ofsted MI date where it exists)", source=f"{OVERVIEW}; {MI}"
    ),
    col("inspection_end", note="last day of inspection", source=OVERVIEW),
    col("published", note="date the report was published", source=OVERVIEW, nullable=False),
    col("outcome", note="ordered positive < inconsistent < systemic_failings", source=f"{OVERVIEW}; {MI}"),
    C(
        "priority_action_plan",
        "boolean",
        "priority action plan",
        "a priority action plan is required",
        unit="yes/no",
        source=f"{MI}; framework rule",
    ),
    C(
        "priority_action_plan_source",
        "string",
        "priority action plan source",
        "ofsted_mi, or framework_rule (systemic failings always require one)",
        source="derived",
    ),
    col("n_priority_actions", note="number of areas for priority action (Ofsted MI, Jan-Aug 2023 only)", source=MI),
    C(
        "previous_inspection_end",
        "datetime64[ns]",
        "previous inspection end",
        "last day of the area's previous inspection",
        unit="date",
        source=OVERVIEW,
    ),
    C(
        "next_inspection_by",
        "datetime64[ns]",
        "next inspection due by (source)",
        "the date Data to Insight's table gives as the next inspection's: for widespread or systemic failings the"
        " monitoring inspection's (about 18 months), else the next full inspection's (3 or 5 years)"
        " from the inspection's start, as the table works it out (its latest page listing the inspection); empty"
        " where the table gives none",
        unit="date",
        source=SNAPSHOTS,
    ),
    C(
        "next_monitoring_by",
        "datetime64[ns]",
        "monitoring inspection due by",
        "widespread or systemic failings only: a monitoring inspection within about 18 months of the inspection's"
        " start (the source's date; the rule where it gives none)",
        unit="date",
        source=SNAPSHOTS,
    ),
    C(
        "next_full_by",
        "datetime64[ns]",
        "next full inspection due by",
        "the next full inspection: within about 5 years (typically positive) or 3 years (inconsistent; widespread or"
        " systemic failings) of the inspection's start (the source's date where it is the full inspection's)",
        unit="date",
        source=SNAPSHOTS,
    ),
    col("ofsted_urn", source=OVERVIEW),
    C("report_url", "string", "report", "URL of the report PDF", unit="URL", source=OVERVIEW),
    C(
        "outcome_text",
        "string",
        "outcome in the report's words",
        "the report's own summary of its outcome and what follows (the next inspection's timing), as Data to"
        " Insight's table gives it (HTML spaces made plain)",
        source=OVERVIEW,
    ),
    C(
        "inspection_number",
        "Int64",
        "inspection number",
        "1 for the area's first inspection under the 2023 framework, 2 for its re-inspection",
        unit="count",
        source="derived",
        check=("in_range", 1, 5),
        nullable=False,
    ),
    C(
        "first_snapshot",
        "datetime64[ns]",
        "first seen",
        "date of the first weekly snapshot of Data to Insight's table that lists the inspection",
        unit="date",
        source=SNAPSHOTS,
    ),
    C(
        "last_snapshot",
        "datetime64[ns]",
        "last seen",
        "date of the last snapshot that lists it (earlier than the latest: the area was re-inspected since)",
        unit="date",
        source=SNAPSHOTS,
    ),
    C("missing_reason", "string", "why missing", "why outcome or dates are missing", source="derived"),
    C(
        "source_note",
        "string",
        "source note",
        "corrections made to the workbook (codes, dates) and why",
        source="derived",
    ),
)
