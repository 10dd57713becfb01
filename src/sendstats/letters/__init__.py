"""Inspection letters (2016 framework) and reports (2023 framework) as data: ``text`` reads and extracts them,
``codes`` codes their themes (and holds the hand-coded dataset), ``download`` fetches them, ``bundled`` makes
the tables of the bundled documents."""

from .bundled import area_themes, bundled_documents, document_items, documents, reports_2023
from .codes import (
    agreement,
    code,
    load_codebook,
    load_weaknesses,
    quote,
    weakness_areas,
)
from .download import fetch
from .text import (
    BODY_LEVELS,
    COLUMN,
    HEADINGS_2016,
    HEADINGS_2023,
    MAX_DOCUMENT_BYTES,
    LetterError,
    bullets,
    classify_body,
    expand_paths,
    extract,
    read,
    read_many,
)
