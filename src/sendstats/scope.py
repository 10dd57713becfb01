"""The analysis scope: which inspections a question is about, as one value.

A report builds one :class:`Scope` from its parameters and passes it to every question-level function; each
function honours every field of it or refuses a field it cannot honour (:meth:`Scope.only`), so a parameter
can never reach one table of a page and not the next. ``as_at`` (and every date a user gives, at any door:
:func:`parse_date`) is parsed here and nowhere else, and the
rule for when a revisit counts (:meth:`Scope.revisit_known`) is written here once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ParameterError
from .vocabulary import BASES, COUNTINGS, FRAMEWORKS, INSPECTION_CHOICES, REGIONS

DEFAULT_SLIVER = 0.05


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATA_START = pd.Timestamp("2016-05-01")  # the first joint area SEND inspections began in May 2016


def parse_date(value, where: str = "as_at", earliest=DATA_START, reason: str = "") -> pd.Timestamp | None:
    """The one reader of a date a user gives, for every door (the Python API, the catalogue and the command
    line): ``None`` or an empty string -> None; an ISO date ``YYYY-MM-DD`` (text), or a ``date``/``Timestamp``
    -> a normalised Timestamp. Anything else (another format such as ``01/04/2019``, a number, ``"now"``) and a
    date before ``earliest`` (by default the first inspections, May 2016) is a ParameterError naming ``where``.

    Returns
    -------
    pandas.Timestamp or None"""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    ts = pd.NaT
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        try:
            ts = pd.Timestamp(dt.date.fromisoformat(value.strip()))
        except ValueError:
            ts = pd.NaT
    elif isinstance(value, (dt.date, np.datetime64)):  # datetime and Timestamp are dates too
        ts = pd.Timestamp(value)
    if pd.isna(ts):
        raise ParameterError(f"{where} must be an ISO date YYYY-MM-DD such as 2021-03-31, got {value!r}")
    ts = ts.normalize()
    if earliest is not None and ts < pd.Timestamp(earliest):
        why = reason or "the first joint area SEND inspections began in May 2016"
        raise ParameterError(f"{where}={ts:%Y-%m-%d} is before {pd.Timestamp(earliest):%Y-%m-%d}: {why}")
    return ts


@dataclass(frozen=True)
class Scope:
    """framework ("2016" or "2023"); as_at (count what was published, or started with ``basis="inspected"``,
    on or before this date; None: everything in the files); basis ("published" or "inspected");
    exclude_regions (Ofsted regions left out); sliver (CCGs serving less than this share of an area's LSOAs
    are ignored in the CCG structure of the primary model); include_predecessors (Dorset and
    Northamptonshire while they existed); counting ("ofsted": an area counts only while it exists, as Ofsted's
    statistics count; "every_inspection": Dorset and Northamptonshire kept after they were abolished, as
    evidence to Parliament's committees counted; 2016 framework only); inspection ("first" or "latest"
    2023-framework inspection of a re-inspected area)."""

    framework: str = "2016"
    as_at: pd.Timestamp | None = None
    basis: str = "published"
    exclude_regions: tuple = ()
    sliver: float = DEFAULT_SLIVER
    include_predecessors: bool = True
    counting: str = "ofsted"
    inspection: str = "first"

    def __post_init__(self):
        set_ = lambda k, v: object.__setattr__(self, k, v)
        if str(self.framework) not in FRAMEWORKS:
            raise ParameterError(f"framework must be one of {list(FRAMEWORKS)}, got {self.framework!r}")
        set_("framework", str(self.framework))
        set_("as_at", parse_date(self.as_at))
        if self.basis not in BASES:
            raise ParameterError(f"basis must be one of {list(BASES)}, got {self.basis!r}")
        regions = (self.exclude_regions,) if isinstance(self.exclude_regions, str) else tuple(self.exclude_regions)
        bad = sorted(set(regions) - set(REGIONS))
        if bad:
            raise ParameterError(f"exclude_regions: unknown region(s) {bad}; regions: {list(REGIONS)}")
        set_("exclude_regions", tuple(sorted(set(regions), key=REGIONS.index)))
        try:
            sliver = float(self.sliver)
        except (TypeError, ValueError):
            sliver = math.nan
        if not (math.isfinite(sliver) and 0 <= sliver < 0.5):
            raise ParameterError(f"sliver must be a share from 0 to below 0.5, got {self.sliver!r}")
        set_("sliver", sliver)
        if not isinstance(self.include_predecessors, bool):
            raise ParameterError(f"include_predecessors must be True or False, got {self.include_predecessors!r}")
        if self.counting not in COUNTINGS:
            raise ParameterError(f"counting must be one of {list(COUNTINGS)}, got {self.counting!r}")
        if self.counting != "ofsted" and self.framework != "2016":
            raise ParameterError(
                "counting is about the 2016 framework's abolished areas (Dorset, Northamptonshire); the 2023"
                f" framework's table holds current areas only, got counting={self.counting!r} with framework 2023"
            )
        if self.counting != "ofsted" and not self.include_predecessors:
            raise ParameterError(
                f"counting={self.counting!r} keeps the abolished areas, include_predecessors=False leaves them"
                " out: choose one"
            )
        if self.inspection not in INSPECTION_CHOICES:
            raise ParameterError(f"inspection must be one of {list(INSPECTION_CHOICES)}, got {self.inspection!r}")

    @classmethod
    def of(cls, scope=None, **fields) -> Scope:
        """A Scope from a Scope (fields given replace its own), a framework name, or fields alone. Names that
        are not scope fields are an error naming them."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(fields) - names)
        if unknown:
            raise ParameterError(f"unknown scope field(s) {unknown}; fields: {sorted(names)}")
        if isinstance(scope, Scope):
            return dataclasses.replace(scope, **fields) if fields else scope
        if scope is not None:
            fields = {"framework": scope, **fields}
        return cls(**fields)

    def replace(self, **fields) -> Scope:
        return Scope.of(self, **fields)

    def only(self, where: str, *honoured: str) -> Scope:
        """Refuse (ParameterError) a field set away from its default that ``where`` does not honour."""
        ignored = [
            f.name
            for f in dataclasses.fields(self)
            if f.name not in honoured and f.name != "framework" and getattr(self, f.name) != f.default
        ]
        if ignored:
            raise ParameterError(f"{where} does not use scope field(s) {ignored}; it uses {list(honoured)}")
        return self

    def need(self, framework: str, where: str) -> Scope:
        if self.framework != framework:
            raise ParameterError(f"{where} is about the {framework} framework, got a {self.framework} scope")
        return self

    @property
    def date_column(self) -> str:
        return BASES[self.basis]

    def revisit_known(self, df: pd.DataFrame) -> pd.Series:
        """The one rule for a revisit: its outcome counts once its letter is published (``basis="inspected"``:
        once it started) on or before ``as_at``; with no ``as_at``, every revisit in the file."""
        known = df["revisit_outcome"].notna()
        if self.as_at is None:
            return known
        col = "revisit_published" if self.basis == "published" else "revisit_start"
        return known & df[col].notna() & (df[col] <= self.as_at)

    def without_excluded_regions(self, df: pd.DataFrame) -> pd.DataFrame:
        return df[~df["region"].isin(list(self.exclude_regions))]

    def describe(self) -> str:
        """The scope in words, for the sentence that says what a page counts."""
        if self.as_at is None:
            when = "all inspections in the files"
        else:
            verb = "published" if self.basis == "published" else "started"
            when = f"inspections {verb} on or before {self.as_at:%-d %B %Y}"
        if self.exclude_regions:
            when += ", leaving out " + ", ".join(self.exclude_regions)
        return when


def scoped(default: Scope):
    """Let a question function that takes a :class:`Scope` also take the scope's fields as keywords, as
    :func:`sendstats.outcome_summary` does: ``revisits(as_at="2019-12-31")``, ``transition(inspection="latest")``,
    ``sensitivity(scope, exclude_regions=["London"])``. The fields replace those of the scope given (default:
    ``default``, the plan's); a framework name in place of the scope starts from that framework's defaults. The
    function still checks which fields it honours."""
    names = {f.name for f in dataclasses.fields(Scope)}

    def wrap(func):
        @functools.wraps(func)
        def inner(scope=None, *args, **kw):
            fields = {k: kw.pop(k) for k in list(kw) if k in names}
            base = default if scope is None else scope
            if not isinstance(base, Scope) and str(base) not in FRAMEWORKS:
                raise ParameterError(
                    f"{func.__name__} takes a Scope, a framework name or the scope's fields as keywords"
                    f" (as_at=..., inspection=...), got {scope!r}"
                )
            return func(Scope.of(base, **fields) if fields or not isinstance(base, Scope) else base, *args, **kw)

        return inner

    return wrap


PLAN = Scope()  # the analysis plan's scope for the 2016 framework: every area, the plan's sliver
PLAN_2023 = Scope("2023")  # and for the 2023 framework: each area's first inspection with an outcome
