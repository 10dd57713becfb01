"""The table registry: one entry per processed table, and one home for what every column means, in six
modules: ``fields`` (what a column, a factor and a table are), ``inspections`` and ``tables`` (the tables and
their columns), ``factors`` (the area factors and their queries), ``labels`` (human labels of columns, results
and coded values) and ``schema`` (the pandera schema and the data dictionary's Markdown). Each :class:`Table`
names its builder (``module:function``), the raw files it reads (manifest paths), the package files it reads
(e.g. the codebook) and its columns. The data dictionary (``docs/data_dictionary.md``), the export's
``datapackage.json`` and every report header, axis label and prose name come from here. Everything public is
importable from here, as ``registry.label``."""

from __future__ import annotations

from .factors import (  # noqa: F401
    BOTH_SCREENS,
    CCG_FACTOR,
    CCG_FILES,
    DEFAULT_LISTS,
    DMO_FILES,
    DSG_FILES,
    EVERY_LIST,
    FACTOR_COLUMNS,
    FACTOR_FILES,
    FACTOR_REASON,
    FACTOR_REASON_COLUMNS,
    FACTOR_VALUES,
    FACTORS,
    ICB_FACTOR,
    ICB_FILES,
    IMD_FILES,
    LOOKUP_FILES,
    MODEL_EXTRAS,
    ONLY_2016,
    ONLY_2023,
    RATING_FACTOR,
    REASONED,
    SCREEN_2016,
    SEN2_FILES,
    ZIP_FILES,
    better,
    factor_choices,
    factor_defaults,
    factors_of,
)
from .fields import (  # noqa: F401
    APPEALS,
    CODE_PATTERN,
    CURATED,
    D2I,
    DOCS,
    DSG,
    ICB,
    IMD,
    LSOA,
    MI,
    NOTES,
    ODS,
    OVERVIEW,
    PLACES,
    RATING,
    REASON_LABELS,
    REASONS,
    SEN2,
    SNAPSHOTS,
    C,
    Column,
    F,
    Factor,
    Table,
)
from .inspections import (  # noqa: F401
    INSPECTIONS_2016,
    INSPECTIONS_2023,
)
from .labels import (  # noqa: F401
    RESULT_LABELS,
    THEME_LABELS,
    all_columns,
    label,
    labels,
    unit,
    value_label,
)
from .schema import (  # noqa: F401
    TYPE_WORDS,
    corrections,
    dictionary_markdown,
    schema,
    type_word,
)
from .tables import (  # noqa: F401
    AREA_SHAPES,
    AREA_YEARS,
    CCG_SHARES,
    CURATED_FILES,
    DOCUMENT_DIRS,
    DOCUMENT_ITEMS,
    DOCUMENTS,
    LA_LOOKUP,
    PLACE_NAMES,
    RECOMMENDATIONS,
    SRC_2023,
    TABLES,
    WEAKNESS_CODING,
    WEAKNESSES,
    WSOA_AREAS,
)
