"""The research questions, one module per question; each module's docstring names the report it serves.

The house reads straight down: the command line and the renderer call these modules; these call the
statistics (:mod:`sendstats.stats`), the letters and the wording, and the data layer. ``sendstats.analysis``
holds the questions not yet moved here (issue 31 moves them step by step)."""
