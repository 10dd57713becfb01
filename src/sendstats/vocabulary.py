"""The package's vocabularies, each in one place: frameworks, outcome and revisit levels, Ofsted's regions,
the date bases, the counting conventions and the 2023-framework inspection choices. Readers, frames, checks
and figures read them here."""

from __future__ import annotations

FRAMEWORKS = ("2016", "2023")
# as_at and years count by publication date or by inspection start
BASES = {"published": "published", "inspected": "inspection_start"}
INSPECTION_CHOICES = ("first", "latest")  # which 2023-framework inspection of a re-inspected area
# How 2016-framework inspections of areas abolished since (Dorset, 31 Mar 2019; Northamptonshire, 31 Mar 2021)
# are counted: Ofsted's statistics count the areas that exist on the date counted; evidence to Parliament's
# committees counted every published inspection report. Each convention's words, for the sentence it changes.
COUNTINGS = {
    "ofsted": ("as Ofsted counts", "an area abolished before the date counted is left out"),
    "every_inspection": ("as every published report", "areas abolished since their inspection are kept"),
}
REVISIT_LEVELS = ["No", "Some", "Yes"]  # ordered: Yes > Some > No
REVISIT_SHOWN = ["Yes", "Some", "No"]  # the order tables and charts show them in
OUTCOME_LEVELS = ["positive", "inconsistent", "systemic_failings"]
OUTCOME_LABELS = {
    "positive": "typically positive",
    "inconsistent": "inconsistent",
    "systemic_failings": "widespread or systemic failings",
}
# How an area is shown on the maps and in the tables of areas: a code (what frames hold and colours are keyed by)
# and the words a reader sees. The maps list their categories in these orders.
CATEGORY_LABELS = {
    "wsoa": "WSoA required",
    "no_wsoa": "no WSoA",
    "not_inspected": "not inspected",
    **OUTCOME_LABELS,
    "no_outcome": "no outcome in sources",
    "not_inspected_yet": "not inspected yet",
}
MAP_2016 = ("wsoa", "no_wsoa", "not_inspected")
MAP_2023 = (*OUTCOME_LEVELS, "no_outcome", "not_inspected_yet")
# What each 2023-framework outcome sets next, counted from the inspection's start (the dates Data to Insight's
# table gives follow it to the day): the next full inspection after 5 or 3 years, and for widespread or systemic
# failings a monitoring inspection after about 18 months first. The source's own sentences, as the table quotes
# the reports, are beside each rule.
NEXT_FULL_YEARS = {"positive": 5, "inconsistent": 3, "systemic_failings": 3}
MONITORING_MONTHS = {"systemic_failings": 18}
NEXT_SENTENCES = {
    "positive": "The next full area SEND inspection will be within approximately 5 years.",
    "inconsistent": "The next full area SEND inspection will be within approximately 3 years.",
    "systemic_failings": "A monitoring inspection will be carried out within approximately 18 months. The next full"
    " reinspection will be within approximately 3 years.",
}
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
