"""The package's vocabularies, each in one place: frameworks, outcome and revisit levels, Ofsted's regions,
the date bases and the 2023-framework inspection choices. Readers, frames, checks and figures read them here."""

from __future__ import annotations

FRAMEWORKS = ("2016", "2023")
# as_at and years count by publication date or by inspection start
BASES = {"published": "published", "inspected": "inspection_start"}
INSPECTION_CHOICES = ("first", "latest")  # which 2023-framework inspection of a re-inspected area
REVISIT_LEVELS = ["No", "Some", "Yes"]  # ordered: Yes > Some > No
REVISIT_SHOWN = ["Yes", "Some", "No"]  # the order tables and charts show them in
OUTCOME_LEVELS = ["positive", "inconsistent", "systemic_failings"]
REGIONS = (
    "East Midlands",
    "East of England",
    "London",
    "North East, Yorkshire and the Humber",
    "North West",
    "South East",
    "South West",
    "West Midlands",
)
