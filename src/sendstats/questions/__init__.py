"""The research questions, one module per question; each module's docstring names the report it serves.

The house reads straight down: the command line and the renderer call these modules; these call the
statistics (:mod:`sendstats.stats`), the letters and the wording, and the data layer. From the bottom up:
``wsoa`` (report 02's sample and models, the base the other model modules share), ``first_2023`` (the sample of
reports 04 and 06), ``revisits`` (03), ``transition`` (04), ``outcome_2023`` (06), ``letter_themes`` (05), ``maps``
(01 and the profiles), ``oversight`` and ``robustness`` (the co-primary direct measure and its checks, 02 and
06), ``samples`` (the flow diagrams), ``plan`` (the plan's wording), and for the pages about areas ``areas``
(finding an area), ``profiles`` (one area's page) and ``coverage`` (every area's row).
``sendstats.analysis`` re-exports the report questions' functions for one release."""
