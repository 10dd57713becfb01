"""One local area at a time, and every area in one table: finding an area by what a person types, its story
across both frameworks (its former council's 2016 inspection included), its factors against other areas,
its statistical neighbours, and the areas page's one row per area."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

import pandas as pd

from . import stats
from .data import geography, registry
from .data.boundaries import REPLACED_ON, SUCCESSORS
from .data.ingest.ofsted import CORRECTED
from .data.names import display_name, normalise, normalise_one
from .data.store import data_date
from .errors import ParameterError
from .outcomes import load_areas, load_inspections
from .vocabulary import OUTCOME_LEVELS as OUTCOMES
from .wording import and_list, by_unit, long_date, md, md_link, ordinal, outcome_label, plural

# what the 2016 framework's revisit outcome means (Ofsted: sufficient progress in addressing the weaknesses)
REVISIT_MEANING = {
    "Yes": "sufficient progress in every weakness",
    "Some": "sufficient progress in some weaknesses",
    "No": "sufficient progress in none",
}


def _stamps(*names) -> tuple:
    """The built tables' file stamps (modified time, size): a cheap key for the lookups below, which are read
    for every profile a render plans (a rebuild replaces the files, so the stamps change). Before a first build:
    the tables' keys (and :func:`store.load_table` builds them)."""
    from .data.store import processed_dir, table_key

    try:
        return tuple(
            (s.st_mtime_ns, s.st_size) for s in (processed_dir().joinpath(f"{n}.parquet").stat() for n in names)
        )
    except OSError:
        return tuple(table_key(n) for n in names)


def _coded(framework: str) -> pd.DataFrame:
    """``load_inspections(framework)`` with each row's harmonised 9-digit ``code`` (the key every function here
    matches areas by), made once per version of the table; read-only."""
    return _coded_for(framework, *_stamps(f"inspections_{framework}"))


@lru_cache(maxsize=4)
def _coded_for(framework: str, _stamp) -> pd.DataFrame:
    return load_inspections(framework).assign(
        code=lambda d: geography.harmonise(d["la_code"]), area=lambda d: d["area"].map(display_name)
    )


# --- finding an area ---------------------------------------------------------------------------------------
def area_index() -> pd.DataFrame:
    """Every area inspected under either framework: code (harmonised 9-digit), name, region."""
    return _area_index(*_stamps("inspections_2016", "inspections_2023")).copy()


@lru_cache(maxsize=2)
def _area_index(key16, key23) -> pd.DataFrame:
    both = pd.concat([_coded("2016"), _coded("2023")], ignore_index=True)
    return (
        both.drop_duplicates("code", keep="last")[["code", "area", "region"]].sort_values("area").reset_index(drop=True)
    )


@lru_cache(maxsize=2)
def _name_keys(key16, key23) -> dict[str, str]:
    """Each area's normalised name -> its code (made once per version of the tables: normalising is slow)."""
    idx = _area_index(key16, key23)
    return dict(zip(normalise(idx["area"]), idx["code"]))


@lru_cache(maxsize=2)
def _aliases(key16, key23, key_lookup) -> dict[str, str]:
    """Normalised other names -> code: the lookup's official names and its ``also_known_as`` (e.g. "Hull",
    "BCP"), for the areas of :func:`area_index`."""
    from .data.store import load_table

    codes = set(_area_index(key16, key23)["code"])
    lk = load_table("la_lookup")
    pairs = []
    for name, aka, code in zip(lk["name"], lk["also_known_as"], geography.harmonise(lk["la_code"])):
        if code not in codes:
            continue
        others = [name] + ([a.strip(" '\"") for a in str(aka).strip("[]").split(",")] if isinstance(aka, str) else [])
        pairs += [(n, code) for n in others if n]
    out: dict[str, str] = {}
    for key, code in zip(normalise(pd.Series([n for n, _ in pairs], dtype="string")), [c for _, c in pairs]):
        out.setdefault(key, code)  # one normalising pass: it is slow name by name
    return out


def aliases() -> dict[str, list[str]]:
    """Code -> the other names an area goes by (the lookup's official name and ``also_known_as``)."""
    out: dict[str, list[str]] = {}
    for name, code in _aliases(*_stamps("inspections_2016", "inspections_2023", "la_lookup")).items():
        out.setdefault(code, []).append(name)
    return out


def resolve_area(area: str) -> str:
    """What a person types -> the area's harmonised code. Tried in order: a 9-digit code; the exact name
    (case and punctuation aside); another name it goes by ("Hull", "Bristol", "BCP"); a name that starts with
    or contains what was typed, when exactly one does. Several matches ("Kingston") or none is a
    ParameterError listing the candidates (else the closest spellings)."""
    idx = area_index()
    label = dict(zip(idx["code"], idx["area"]))
    a = str(area).strip()
    code = geography.SUCCESSION.get(a.upper(), a.upper())
    if code in label:
        return code
    key = normalise_one(a)
    names = _name_keys(*_stamps("inspections_2016", "inspections_2023"))
    if key in names:
        return names[key]
    aliases = _aliases(*_stamps("inspections_2016", "inspections_2023", "la_lookup"))
    if key in aliases:
        return aliases[key]
    every = {**aliases, **names}

    def listed(codes):  # in the order given, each area once
        return ", ".join(f"{label[c]} ({c})" for c in dict.fromkeys(codes))

    if CODE_SHAPE.match(a.upper()):  # a code no area has: its close matches are codes, never names
        close = difflib.get_close_matches(a.upper(), list(label), n=3, cutoff=0.75)
        hint = "; close matches: " + listed(close) if close else ""
        raise ParameterError(f"unknown area code {area!r}: no inspected area has this code{hint}")

    for test in (str.startswith, str.__contains__):
        hits = {c for n, c in every.items() if key and test(n, key)}
        if len(hits) == 1:
            return hits.pop()
        if hits:
            hits = sorted(hits, key=lambda c: label[c])
            raise ParameterError(f"area {area!r} matches {len(hits)} areas: {listed(hits)}; give the full name or code")
    by_place = _place_area(key)  # a town or former district ("Kettering", "Kendal")
    if by_place:
        return by_place
    hint = "; close matches: " + listed(every[c] for c in close_spellings(key, list(every))) if key else ""
    raise ParameterError(
        f"unknown area {area!r}: not a name, a town or district in an area, or a 9-digit code of an inspected area"
        + (hint if hint.endswith(")") else "")
    )


def close_spellings(key: str, names: list[str], n: int = 5) -> list[str]:
    """The ``names`` closest to a misspelt ``key``, scored on the whole name and on its start as long as what
    was typed ("kingstn" is close to "kingston upon thames" though the whole names differ in length)."""

    def score(name: str) -> float:
        whole = difflib.SequenceMatcher(None, key, name).ratio()
        start = difflib.SequenceMatcher(None, key, name[: len(key) + 1]).ratio()
        return max(whole, start)

    scored = sorted(((score(m), m) for m in names), key=lambda t: (-t[0], t[1]))
    return [m for sc, m in scored[:n] if sc >= 0.6]


def _place_area(key: str) -> str | None:
    """The area a town or former district lies in (a normalised name): a district of that name, else a ward of
    that name, else wards whose names begin with it ("kendal": Kendal East, Kendal North...), when they all lie
    in one area. Several areas: a ParameterError naming them."""
    places = _places(*_stamps("place_names"))
    for hits in (
        places[(places["key"] == key) & (places["kind"] == "district")],
        places[places["key"] == key],
        places[places["key"].str.startswith(key + " ")],
    ):
        found = sorted(set(hits["area_code"]))
        if len(found) == 1:
            return found[0]
        if found:
            idx = area_index()
            names = dict(zip(idx["code"], idx["area"]))
            listed = ", ".join(f"{names.get(c, c)} ({c})" for c in found)
            raise ParameterError(f"{key!r} is a place in {len(found)} areas: {listed}; give the area's name or code")
    return None


@lru_cache(maxsize=2)
def _places(_stamp) -> pd.DataFrame:
    from .data.store import load_table

    p = load_table("place_names")
    return p.assign(key=normalise(p["place"]))


def place_words() -> dict[str, list[str]]:
    """Code -> the districts and towns (the first word of each ward's name, such as Kendal) a person may type
    for the area, for the areas page's filter."""
    p = _places(*_stamps("place_names"))
    first = p["key"].str.split().str[0]
    generic = {"north", "south", "east", "west", "central", "upper", "lower", "st", "great", "little", "new", "old"}
    keep = (p["kind"] == "district") | ~first.isin(generic)
    words = p["key"].where(p["kind"] == "district", first)[keep]
    out: dict[str, list[str]] = {}
    for code, w in zip(p["area_code"][keep], words):
        out.setdefault(code, [])
        if w not in out[code]:
            out[code].append(w)
    return out


def codes_of(names) -> list[str | None]:
    """The area code of each name (an area's name or another name it goes by, as :func:`resolve_area` reads
    it), or None where it names no single area; made for many names at once (one normalising pass)."""
    by_name = _name_keys(*_stamps("inspections_2016", "inspections_2023"))
    by_alias = _aliases(*_stamps("inspections_2016", "inspections_2023", "la_lookup"))
    out: list[str | None] = []
    for name, key in zip(names, normalise(pd.Series(list(names), dtype="string"))):
        code = by_name.get(key) or by_alias.get(key)
        if code is None:
            try:
                code = resolve_area(name)
            except ParameterError:
                code = None
        out.append(code)
    return out


CODE_SHAPE = re.compile(r"^[A-Z]\d{8}$")  # what a typed 9-digit ONS code looks like (known or not)


def area_codes(spec: str) -> list[str]:
    """``all`` (every inspected area) or names/codes separated by commas -> harmonised codes, each once (in the
    order first given). Nothing but commas and spaces is a ParameterError."""
    if spec.strip().lower() == "all":
        return area_index()["code"].tolist()
    codes = list(dict.fromkeys(resolve_area(a) for a in spec.split(",") if a.strip()))
    if not codes:
        raise ParameterError(f"no area given ({spec!r}): give names or codes, comma-separated, or 'all'")
    return codes


def known(code: str) -> str:
    """``code`` when it is an inspected area's harmonised code; otherwise the ParameterError
    :func:`resolve_area` gives (with close matches). Every function here that takes a code checks it first."""
    if isinstance(code, str) and code in _area_index(*_stamps("inspections_2016", "inspections_2023"))["code"].values:
        return code
    resolve_area(str(code))  # a name or an old code: say which code to use instead
    raise ParameterError(f"{code!r} is a name or an old code: give the area's code, {resolve_area(str(code))}")


def area_note(code: str) -> str:
    """How an area relates to boundary changes, for telling apart areas that share a name (two Dorsets)."""
    if code in REPLACED_ON:
        return f", the former council (replaced on {REPLACED_ON[code]})"
    old = former_council(code)
    return f", the council created on {REPLACED_ON[old]}" if old else ""


def area_name(code: str) -> str:
    """The name of the area with 9-digit ``code`` (as :func:`area_index` gives it)."""
    known(code)
    return area_index().set_index("code").loc[code, "area"]


def heading(code: str) -> str:
    """A profile's heading, the page's only top-level one (Markdown, the name escaped): the area's name, its code
    and how it relates to boundary changes."""
    return f"# {md(area_name(code))} ({code}){area_note(code)}"


def not_on_map(code: str) -> str:
    """Why a former council's profile has no map."""
    return f"{md(area_name(code))} no longer exists on the May 2023 boundaries, so it is not on the map."


def former_council(code: str) -> str | None:
    """The council an area replaced (whose 2016-framework inspection is the area's own history), or None."""
    return next((old for old, new in SUCCESSORS.items() if code in new), None)


# --- one area's story ----------------------------------------------------------------------------------------
def timeline(code: str) -> pd.DataFrame:
    """Every event of the area's inspections across both frameworks, in date order: each 2016-framework
    inspection, its letter, WSoA and revisit (or that none has been published), each 2023-framework
    inspection or re-inspection and its report, and the next full inspection's due date. A council created
    after 2016 carries its former council's 2016-framework events, named in the ``council`` column."""
    known(code)
    idx = area_index()
    names = dict(zip(idx["code"], idx["area"]))
    old = _coded("2016")
    mine = old[old["code"] == code]
    if mine.empty and former_council(code):
        mine = old[old["code"] == former_council(code)]
    rows = []

    def add(when, framework, event, detail, council, source=None):
        rows.append(
            {
                "date": when,
                "framework": framework,
                "event": event,
                "detail": detail,
                "council": council,
                "source": source,
            }
        )

    for _, r in mine.iterrows():
        who = names.get(r["code"], r["area"]) + (" (the former council)" if r["code"] != code else "")
        page = r["ofsted_url"]  # the area's Ofsted page, which holds its letters
        add(r["inspection_start"], "2016", "inspection began", "", who, page)
        if r["wsoa"]:
            n = r["n_weaknesses"]
            detail = "Written Statement of Action required" + (f"; {n} significant weaknesses" if pd.notna(n) else "")
        else:
            detail = "no Written Statement of Action required"
        add(r["published"], "2016", "letter published", detail, who, page)
        if r["revisit_status"] == "revisited":
            add(r["revisit_start"], "2016", "revisit began", "", who, page)
            o = str(r["revisit_outcome"])
            add(
                r["revisit_published"],
                "2016",
                "revisit letter published",
                f"{o}: {REVISIT_MEANING.get(o, o)}",
                who,
                page,
            )
        elif r["revisit_status"] == "not_revisited_yet":
            add(pd.NaT, "2016", "not revisited", "no revisit letter published under the 2016 framework", who)
    new = _coded("2023")
    new = new[new["code"] == code].sort_values("published")
    for _, r in new.iterrows():
        which = "re-inspection" if r["inspection_number"] > 1 else "inspection"
        who = names.get(code, r["area"])
        fixed = _corrected(r["source_note"])
        began = "start date not in any source" if pd.isna(r["inspection_start"]) else ""
        add(r["inspection_start"], "2023", f"{which} began", fixed if fixed != "–" else began, who, r["report_url"])
        outcome = outcome_label(str(r["outcome"])) if pd.notna(r["outcome"]) else "outcome not in the sources"
        pa = r["n_priority_actions"]
        add(
            r["published"],
            "2023",
            "report published",
            outcome + (f"; {pa} areas for priority action" if pd.notna(pa) else ""),
            who,
            r["report_url"],
        )
    if len(new):
        asof = data_date()
        last = new.iloc[-1]
        for col, event in (
            ("next_monitoring_by", "monitoring inspection due by"),
            ("next_full_by", "next full inspection due by"),
        ):
            due = last[col]
            if pd.notna(due):
                late = (
                    ""
                    if due >= asof
                    else f"not re-inspected by {long_date(asof)}, the date the data run to"
                    if col == "next_full_by"
                    else "past; the sources here do not record monitoring inspections"
                )
                add(due, "2023", event, late, names.get(code, code))
    out = pd.DataFrame(rows, columns=["date", "framework", "event", "detail", "council", "source"])
    # an undated row ("not revisited") stays after the event before it
    out = out.iloc[out["date"].ffill().argsort(kind="stable")]
    out["date"] = pd.to_datetime(out["date"])  # a date, shown in the page's one date style, ISO in the download
    return out.reset_index(drop=True)


NUMERIC_PROFILE = registry.factors_of(profile=True)  # from the factor declarations


def area_factors_vs_distribution(code: str) -> pd.DataFrame:
    """For the area's latest inspection with factors: each numeric factor of that inspection's framework,
    the area's value, the national and regional medians (of all areas, each as at its own inspection of the
    same framework), the area's national mid-rank percentile (share 0-1 of areas with a lower value plus half
    of those with an equal one, so an area equal to the median is at 0.5 however many share its value), which
    way the factor is better where it has a direction, the number of areas compared and the factor's unit."""
    known(code)
    for framework in ("2023", "2016"):
        a = _factor_frame(framework, *_stamps(f"areas_{framework}"))
        mine = a[a["code"] == code]
        if len(mine):
            break
    else:
        return pd.DataFrame()
    me = mine.iloc[-1]
    region = a[a["region"] == me["region"]]
    rows = []
    for f in registry.factors_of(profile=True, framework=framework):
        col = a[f].dropna().astype(float)
        v = me[f]
        rows.append(
            {
                "factor": registry.label(f),
                "unit": registry.unit(f),
                "area": float(v) if pd.notna(v) else None,
                "why missing": "" if pd.notna(v) else _reason(a, me, f),
                "national median": col.median() if len(col) else None,
                "regional median": region[f].dropna().astype(float).median() if region[f].notna().any() else None,
                "national percentile": stats.mid_rank(col, float(v)) if pd.notna(v) and len(col) else None,
                "better": registry.better(f) or "no better direction",
                "areas compared": len(col),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(framework=framework, factor_date=me["factor_date"], region=me["region"])
    return out


@lru_cache(maxsize=4)
def _factor_frame(framework: str, _stamp) -> pd.DataFrame:
    """``load_areas(framework)`` with each row's harmonised ``code`` (2023: each area's latest inspection), made
    once per version of the table for the profiles a worker renders; read-only."""
    a = load_areas(framework)
    a["code"] = geography.harmonise(a["la_code"])
    return a.sort_values("published").drop_duplicates("code", keep="last") if framework == "2023" else a


def factors_for_download(fac: pd.DataFrame) -> pd.DataFrame:
    """:func:`area_factors_vs_distribution` as its download holds it: every value a number in the row's unit
    (the unit its own column), the percentile from 0 to 100."""
    out = fac.copy()
    out["national percentile"] = (100 * out["national percentile"].astype(float)).round(1)
    return out.rename(columns={"national percentile": "national percentile (0-100)"})


def shown_factors(fac: pd.DataFrame) -> pd.DataFrame:
    """:func:`area_factors_vs_distribution` as the profile shows it: each value and median in its unit's
    format (whole counts, one decimal and a % sign for rates and shares), the percentile as '66th'."""
    out = fac.copy()
    for c in ("area", "national median", "regional median"):
        out[c] = [by_unit(v, u) for v, u in zip(fac[c], fac["unit"])]
    out["national percentile"] = [
        "–" if v is None or v != v else ordinal(round(100 * v)) for v in fac["national percentile"]
    ]
    return out.drop(columns="unit")


def _reason(a: pd.DataFrame, row, f: str) -> str:
    c = registry.FACTOR_REASON.get(f)
    return str(row[c]) if c in a and pd.notna(row.get(c)) else "no_match"


@lru_cache(maxsize=2)
def _neighbour_frames(*keys):
    """The lookup and each area's 2016 and latest 2023 result, indexed for :func:`statistical_neighbours` (once per
    process and table version: a worker renders many profiles)."""
    from .data.store import load_table

    lk = load_table("la_lookup")
    lk["code"] = geography.harmonise(lk["la_code"])
    old = _coded("2016").set_index("code")
    new = _coded("2023").sort_values("published").drop_duplicates("code", keep="last").set_index("code")
    return lk, lk.set_index("la_code_3"), old, new


def statistical_neighbours(code: str) -> pd.DataFrame:
    """The area's 10 statistical neighbours (DfE children's services neighbours, D2I lookup), each with its
    2016-framework WSoA and revisit outcome (a council created since 2016: its former council's) and its latest
    2023-framework outcome."""
    known(code)
    lk, by3, old, new = _neighbour_frames(*_stamps("la_lookup", "inspections_2016", "inspections_2023"))
    me = lk[lk["code"] == code]
    if me.empty or pd.isna(me["stat_neighbours_3"].iat[0]):
        return pd.DataFrame(columns=["rank", "area", "code", "WSoA (2016)", "revisit", "2023 outcome"])
    rows = []
    for i, c3 in enumerate(str(me["stat_neighbours_3"].iat[0]).split(","), start=1):
        c3 = c3.strip()
        n = by3.loc[c3] if c3 in by3.index else None
        ncode = n["code"] if n is not None else None
        ocode = ncode if ncode in old.index else former_council(ncode)  # a new council: its former council's
        o = old.loc[ocode] if ocode in old.index else None
        w = new.loc[ncode] if ncode in new.index else None
        rows.append(
            {
                "rank": i,
                "area": display_name(n["name"]) if n is not None else f"DfE code {c3} (not in lookup)",
                "code": ncode,
                "WSoA (2016)": ("WSoA required" if o["wsoa"] else "no WSoA") if o is not None else "not inspected",
                "revisit": (o["revisit_outcome"] if pd.notna(o["revisit_outcome"]) else o["revisit_status"])
                if o is not None
                else "",
                "2023 outcome": (w["outcome"] if pd.notna(w["outcome"]) else "no outcome in sources")
                if w is not None
                else "not inspected yet",
            }
        )
    return pd.DataFrame(rows)


def profile_summary(code: str) -> str:
    """The answer a profile opens with (Markdown, every value from the data escaped): the area's latest
    2023-framework outcome in plain words with the report's own summary and a link to it, its 2016-framework
    result and revisit, its next monitoring and full inspections and whether either is past, and one line on
    its statistical neighbours' 2023-framework outcomes."""
    known(code)
    asof = data_date()
    lines = []
    new = _coded("2023")
    new = new[new["code"] == code].sort_values("published")
    if len(new):
        last = new.iloc[-1]
        said = outcome_label(str(last["outcome"])) if pd.notna(last["outcome"]) else "no outcome in the sources"
        report = f" ({md_link('the report', last['report_url'])})" if pd.notna(last["report_url"]) else ""
        lines.append(
            f"**Latest inspection (2023 framework):** {md(said)}; report published {long_date(last['published'])}"
            f"{report}."
            + (
                f" In the report's words: \u201c{md(last['outcome_text'])}\u201d"
                if pd.notna(last["outcome_text"])
                else ""
            )
        )
    else:
        lines.append(f"**2023 framework:** not inspected by {long_date(asof)}, the date the data run to.")
    old = _coded("2016")
    mine = old[old["code"] == (code if (old["code"] == code).any() else former_council(code))]
    if len(mine):
        o = mine.iloc[-1]
        whose = "" if o["code"] == code else f" (its former council, {md(o['area'])})"
        n = int(o["n_weaknesses"]) if pd.notna(o["n_weaknesses"]) else 0
        result = (
            f"Written Statement of Action required, {plural(n, 'significant weakness', 'significant weaknesses')}"
            if o["wsoa"] and n
            else "Written Statement of Action required"
            if o["wsoa"]
            else "no Written Statement of Action required"
        )
        revisit = (
            f"; revisit letter published {long_date(o['revisit_published'])}: "
            f"{md(REVISIT_MEANING.get(str(o['revisit_outcome']), str(o['revisit_outcome'])))}"
            if o["revisit_status"] == "revisited"
            else "; not revisited under the 2016 framework"
            if o["wsoa"]
            else ""
        )
        lines.append(f"**2016 framework{whose}:** letter published {long_date(o['published'])}: {result}{revisit}.")
    if len(new):
        for col, what in (("next_monitoring_by", "monitoring inspection"), ("next_full_by", "next full inspection")):
            due = new.iloc[-1][col]
            if pd.notna(due):
                late = f", a date now past (the data run to {long_date(asof)})" if due < asof else ""
                lines.append(f"**{what.capitalize()} due by:** {long_date(due)}{late}.")
    nb = statistical_neighbours(code)
    if len(nb):
        done = nb[~nb["2023 outcome"].isin(["not inspected yet"])]
        counts = done["2023 outcome"].map(lambda v: outcome_label(str(v)) if v in OUTCOMES else str(v)).value_counts()
        spread = and_list([f"{n} {k}" for k, n in counts.items()])
        lines.append(
            f"**Statistical neighbours:** {len(done)} of its {plural(len(nb), 'neighbour')} have had a"
            f" 2023-framework inspection{': latest outcomes ' + spread if len(done) else ''}."
        )
    return "\n".join(f"- {line}" for line in lines)


# the measures an area's trend chart shows: the column of ``area_years`` -> what a reader calls it
TREND_MEASURES = {
    "ehcp_20wk_pct_in_year": "new EHC plans issued within 20 weeks (%)",
    "appeal_rate_in_year": "SEND Tribunal appeal rate (%)",
}


def trends(code: str) -> pd.DataFrame:
    """The area's 20-week rate and SEND Tribunal appeal rate by calendar year (DfE's published figures, table
    ``area_years``), beside the median of the areas of its Ofsted region, of its statistical neighbours and of
    England's local areas, each with how many areas it is the median of: one row per (measure, year), columns
    measure, year, area, region, neighbours, England, n_region, n_neighbours, n_england. A code DfE changed is
    matched to the area's (harmonised); the years before a council existed are absent, not its former
    council's."""
    known(code)
    years = _area_years(*_stamps("area_years", "inspections_2016", "inspections_2023"))
    idx = area_index().set_index("code")
    region = idx["region"].get(code)
    near = set(statistical_neighbours(code)["code"].dropna())
    groups = {
        "region": years["region"] == region,
        "neighbours": years["key"].isin(near),
        "England": years["region"].notna(),
    }
    every = pd.Index(sorted(years["year"].unique()), name="year")  # every year of the table, in order
    parts = []
    for col in TREND_MEASURES:
        mine = years[years["key"] == code].groupby("year")[col].mean().reindex(every)
        part = pd.DataFrame({"measure": col, "year": every.astype(int), "area": mine.to_numpy()})
        for name, member in groups.items():
            g = years[member].groupby("year")[col]  # a median and count per year, of the values published
            part[name] = g.median().reindex(every).to_numpy()
            part[f"n_{name.lower()}"] = g.count().reindex(every, fill_value=0).to_numpy()
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    # a year in which fewer than half of England's areas have a published value (the 20-week rate's first
    # year, 2014, when few plans had been issued) is left out: its medians describe a few areas
    most = out.groupby("measure")["n_england"].transform("max")
    thin = out["n_england"] < most / 2
    out.attrs["left_out"] = {TREND_MEASURES[m]: sorted(g["year"]) for m, g in out[thin].groupby("measure")}
    return out[~thin].reset_index(drop=True)


def trend_table(trend: pd.DataFrame, measure: str, name: str) -> pd.DataFrame:
    """One measure of :func:`trends` as the profile's table: year, the area, and the three medians, as shares
    (the page shows them in per cent with one decimal)."""
    t = trend[trend["measure"] == measure]
    cols = {"area": name, "region": "region median", "neighbours": "neighbours' median", "England": "England median"}
    return t[["year", *cols]].rename(columns=cols).assign(**{c: t[k] / 100 for k, c in cols.items()})


@lru_cache(maxsize=2)
def _area_years(*_stamp) -> pd.DataFrame:
    from .data.store import load_table

    y = load_table("area_years")
    y["key"] = geography.harmonise(y["la_code"])
    y["region"] = y["key"].map(area_index().set_index("code")["region"])  # England's inspected local areas
    return y


def describe_trends(trend: pd.DataFrame, name: str) -> str:
    """The sentence under the area's trend chart: its latest 20-week rate and appeal rate beside the medians,
    with the year of each."""
    parts = []
    for col, what in TREND_MEASURES.items():
        what = what.removesuffix(" (%)")  # as a sentence says it
        t = trend[(trend["measure"] == col) & trend["area"].notna()]
        if not len(t):
            parts.append(f"DfE publishes no {what} for {md(name)}")
            continue
        r = t.iloc[-1]
        med = ", ".join(f"{k} {r[k]:.1f}%" for k in ("region", "neighbours", "England") if r[k] == r[k])
        parts.append(f"in {int(r['year'])}, {what}: {r['area']:.1f}% (medians: {med})")
    left = trend.attrs.get("left_out", {})
    gaps = "; ".join(f"{what.removesuffix(' (%)')}: {', '.join(map(str, ys))}" for what, ys in left.items())
    return (
        f"{md(name)}, latest year published: " + "; ".join(parts) + ". Medians are of the areas' own rates, each"
        " area counting once; a year's rate describes that year's requests and decisions, not the area's"
        " inspection."
        + (
            f" Years in which fewer than half of England's areas have a published value are left out ({gaps})."
            if gaps
            else ""
        )
    )


# --- every area --------------------------------------------------------------------------------------------------
def summary() -> pd.DataFrame:
    """One row per local area: the 153 current areas (May 2023 boundaries) and each former council as its own
    row. Per area: its region, status, 2016-framework result (a successor council's from its former council,
    said so), weaknesses and revisit, every 2023-framework outcome with its date, the last full inspection's
    start date and the years from it to the date the data run to, and the next full inspection's due date."""
    from .data.store import load_table

    shapes = load_table("area_shapes")
    idx = area_index().set_index("code")
    asof = data_date()
    old = _coded("2016").set_index("code")
    new = _coded("2023").sort_values(["code", "published"])
    codes = list(shapes["area_code"]) + [c for c in REPLACED_ON if c not in set(shapes["area_code"])]
    rows = []
    for code in codes:
        former = code in REPLACED_ON
        src = code if code in old.index else former_council(code)
        o = old.loc[src] if src in old.index else None
        via = f" ({idx.at[src, 'area']}, the former council)" if o is not None and src != code else ""
        mine = new[new["code"] == code]
        events = [
            f"{outcome_label(str(r['outcome'])) if pd.notna(r['outcome']) else 'outcome not in the sources'}"
            f" ({long_date(r['published'])})"
            for _, r in mine.iterrows()
        ]
        # a 2023-framework inspection with no start date in any source counts from its publication
        began = [
            *mine["inspection_start"].fillna(mine["published"]),
            o["inspection_start"] if o is not None else pd.NaT,
        ]
        starts = [d for d in began if pd.notna(d)]
        last = max(starts) if starts else pd.NaT
        if o is None:
            wsoa, revisit = "not inspected", ""
        else:
            wsoa = ("WSoA required" if o["wsoa"] else "no WSoA") + via
            revisit = (
                str(o["revisit_outcome"])
                if o["revisit_status"] == "revisited"
                else registry.value_label(o["revisit_status"])
            )
        rows.append(
            {
                "area": idx.at[code, "area"] if code in idx.index else code,
                "code": code,
                "region": idx.at[code, "region"] if code in idx.index else "",
                "status": f"former council, replaced on {REPLACED_ON[code]}" if former else "current",
                "2016 result": wsoa,
                "weaknesses": o["n_weaknesses"] if o is not None and o["wsoa"] else pd.NA,
                "revisit (sufficient progress)": revisit,
                "2023-framework outcomes": "; ".join(events) if events else ("" if former else "not inspected yet"),
                "last full inspection": last,
                "years since": round((asof - last).days / 365.25, 1) if pd.notna(last) and not former else None,
                "monitoring inspection due by": mine["next_monitoring_by"].iat[-1] if len(mine) else pd.NaT,
                "next full inspection due by": mine["next_full_by"].iat[-1] if len(mine) else pd.NaT,
                "profile": code in idx.index,
                "ofsted_page": o["ofsted_url"] if o is not None else None,
                "latest_report": mine["report_url"].iat[-1] if len(mine) else None,
                "outcome_order": outcome_order(mine["outcome"].iat[-1], mine["published"].iat[-1])
                if len(mine)
                else "9",
            }
        )
    out = pd.DataFrame(rows)
    out["weaknesses"] = out["weaknesses"].astype("Int64")
    out.attrs["as_at"] = asof
    return out.sort_values(
        ["status", "area"], key=lambda s: s.str.startswith("former") if s.name == "status" else s.str.lower()
    ).reset_index(drop=True)


def outcome_order(outcome, published) -> str:
    """A sort key for an area's latest 2023-framework outcome: by severity (widespread or systemic failings
    first, then inconsistent, then typically positive; no outcome in the sources, then not inspected, last), then
    by publication date, latest first."""
    rank = {"systemic_failings": 0, "inconsistent": 1, "positive": 2}.get(str(outcome), 3)
    day = 99999999 - int(f"{pd.Timestamp(published):%Y%m%d}") if pd.notna(published) else 99999999
    return f"{rank}-{day:08d}"


def describe_summary(s: pd.DataFrame) -> str:
    """The areas page's opening sentences, from :func:`summary`."""
    cur = _current(s)
    asof = s.attrs["as_at"]
    late, never = past_due(s), never_revisited(s)
    return (
        f"{plural(len(cur), 'current local area')} (May 2023 boundaries) and "
        f"{plural(len(s) - len(cur), 'former council')}, as at {long_date(asof)}, the date the data run to. "
        f"{inspected_2023(s)} of the {len(cur)} current areas have had a 2023-framework inspection; "
        f"{len(late)} of them are past the date by which their next full inspection was due. "
        + never_revisited_sentence(never)
    )


def inspected_2023(s: pd.DataFrame) -> int:
    """From :func:`summary` ``s``: the number of current areas with at least one published 2023-framework
    inspection (with or without a start date in the sources). The one count of "areas inspected under the 2023
    framework" that the areas page and report 01 both state."""
    return int(_current(s)["2023-framework outcomes"].ne("not inspected yet").sum())


def never_revisited_sentence(never: pd.DataFrame) -> str:
    """The one sentence for :func:`never_revisited`'s count, on today's boundaries (report 03 counts WSoA
    inspections as inspected instead, and says so)."""
    return (
        f"{plural(len(never), 'current area')} (on today's boundaries: a former council's WSoA counts for each of "
        "its successors) were required to write a Written Statement of Action and never revisited under the 2016 "
        "framework."
    )


# --- coverage and follow-up (report 01) ------------------------------------------------------------------
def _current(s: pd.DataFrame) -> pd.DataFrame:
    return s[s["status"] == "current"]


def coverage_by_month(s: pd.DataFrame) -> pd.DataFrame:
    """From :func:`summary` ``s``: how far the 2023-framework cycle has got. Per month, the current areas
    whose first 2023-framework inspection began that month, the running total and its share of all current
    areas (an area with no start date in any source is left out and counted in ``attrs['undated']``)."""
    cur = set(_current(s)["code"])
    i = _coded("2023")
    first = i[i["code"].isin(cur)].sort_values("inspection_start").drop_duplicates("code")
    dated = first.dropna(subset=["inspection_start"])
    months = dated["inspection_start"].dt.to_period("M")
    full = pd.period_range(months.min(), months.max(), freq="M")
    n = months.value_counts().reindex(full, fill_value=0).sort_index()
    out = pd.DataFrame({"month": [f"{p:%b %Y}" for p in full], "areas first inspected": n.to_numpy()})
    out["areas inspected so far"] = out["areas first inspected"].cumsum()
    out["share of current areas"] = out["areas inspected so far"] / len(cur)
    out.attrs.update(n_areas=len(cur), undated=len(first) - len(dated))
    return out


YEAR_BANDS = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 8), (8, 11)]


def time_since_inspection(s: pd.DataFrame) -> pd.DataFrame:
    """From :func:`summary` ``s``: current areas by the years from the start of their last full inspection
    (either framework) to the date the data run to."""
    years = _current(s)["years since"].astype(float)
    rows = [
        {
            "years since the last full inspection": f"{lo} to under {hi}",
            "areas": int(((years >= lo) & (years < hi)).sum()),
        }
        for lo, hi in YEAR_BANDS
    ]
    out = pd.DataFrame(rows)
    out.attrs["not inspected"] = int(years.isna().sum())
    return out


def past_due(s: pd.DataFrame) -> pd.DataFrame:
    """From :func:`summary` ``s``: current areas past the date by which their next full inspection was due (the
    framework's rule: 5 or 3 years from the inspection's start; a monitoring inspection is not a full one), as at
    the date the data run to, longest overdue first."""
    cur = _current(s)
    due = cur["next full inspection due by"]
    late = cur[due.notna() & (due < s.attrs["as_at"])].copy()
    late["months past due"] = (
        ((s.attrs["as_at"] - late["next full inspection due by"]).dt.days / 30.44).round(0).astype(int)
    )
    cols = ["area", "code", "region", "2023-framework outcomes", "next full inspection due by", "months past due"]
    return late.sort_values("next full inspection due by")[cols].reset_index(drop=True)


def never_revisited(s: pd.DataFrame) -> pd.DataFrame:
    """From :func:`summary` ``s``: areas required to write a WSoA under the 2016 framework (their own or their
    former council's) with no published revisit, and what the 2023 framework has found there since."""
    cur = _current(s)
    rows = cur[
        cur["2016 result"].str.startswith("WSoA required")
        & cur["revisit (sufficient progress)"].eq(registry.value_label("not_revisited_yet"))
    ]
    cols = ["area", "code", "region", "2016 result", "weaknesses", "2023-framework outcomes"]
    return rows[cols].reset_index(drop=True)


def describe_coverage(
    s: pd.DataFrame, by_month: pd.DataFrame, bands: pd.DataFrame, late: pd.DataFrame, never: pd.DataFrame
) -> str:
    """The coverage section's sentences, from :func:`summary` ``s`` and its four tables (the counts the areas
    page states come from the same functions)."""
    undated = by_month.attrs["undated"]
    five = int(
        bands.loc[bands["years since the last full inspection"].str.split().str[0].astype(int) >= 5, "areas"].sum()
    )
    dated = int(by_month["areas first inspected"].sum())
    return (
        f"{inspected_2023(s)} of the {by_month.attrs['n_areas']} current areas have had a 2023-framework inspection"
        + (
            f"; the chart places the {dated} whose first one has a start date in the sources by the month it began"
            f" ({plural(undated, 'area')} with no start date in any source: see the gaps below)"
            if undated
            else ", each placed in the chart by the month its first one began"
        )
        + f". {plural(five, 'current area')} last had a full inspection five or more years before the date the data "
        f"run to; {plural(len(late), 'area')} are past the date by which their next full inspection was due. "
        + never_revisited_sentence(never)
    )


def source_gaps() -> pd.DataFrame:
    """Every 2023-framework inspection the sources leave incomplete, and every value filled from the curated
    corrections file: area, code, published, what is missing (or was filled), and the evidence (the report's
    link, or the correction's source). One row per inspection."""
    i = _coded("2023")
    gap = i["missing_reason"].notna() | i["source_note"].fillna("").str.contains(CORRECTED, regex=False)
    rows = i[gap].sort_values(["published", "code"])
    return pd.DataFrame(
        {
            "area": rows["area"].astype(str),
            "code": rows["code"],
            "published": rows["published"],
            "missing from the sources": rows["missing_reason"].fillna("nothing (corrected)"),
            "corrected from": [_corrected(n) for n in rows["source_note"]],
            "report url": rows["report_url"],
        }
    ).reset_index(drop=True)


def shown_gaps(gaps: pd.DataFrame):
    """:func:`source_gaps` as report 01 shows it, with the links of its area and report columns (from the top
    of the site): (frame, links)."""
    shown = gaps.drop(columns=["code", "report url"]).assign(report="Ofsted report")
    shown = shown.rename(columns={"published": "report published"})
    return shown, {"area": profile_links(gaps["code"]), "report": list(gaps["report url"])}


def _corrected(note) -> str:
    if not isinstance(note, str):
        return "–"
    parts = [p.strip().split(CORRECTED, 1) for p in note.split(";") if CORRECTED in p]
    return f"{and_list([registry.label(f) for f, _ in parts])} from {parts[0][1]}" if parts else "–"


def describe_gaps(gaps: pd.DataFrame) -> str:
    """The gaps paragraph of report 01: which inspections the sources leave incomplete, which the curated
    corrections fill, and what that does to the counts."""
    open_ = gaps[gaps["missing from the sources"] != "nothing (corrected)"]
    fixed = gaps[gaps["corrected from"] != "–"]
    undated = open_[open_["missing from the sources"].str.contains("dates")]
    no_outcome = open_[open_["missing from the sources"].str.contains("outcome")]
    out = []
    if len(fixed):
        out.append(
            f"The curated corrections file fills what the sources leave out for {and_list(list(fixed['area']))} "
            "(the table gives each value's source)."
        )
    if len(undated):
        out.append(
            f"No source gives the inspection dates of {and_list(list(undated['area']))}: counts by the date an "
            f"inspection began leave {'it' if len(undated) == 1 else 'them'} out, and no next inspection date is "
            "shown for them."
        )
    if len(no_outcome):
        out.append(
            f"No source gives the outcome of {and_list(list(no_outcome['area']))}'s inspection: outcome counts "
            f"leave {'it' if len(no_outcome) == 1 else 'them'} out."
        )
    return " ".join(out) or "Every 2023-framework inspection has its dates and outcome in the sources."


def coverage_left_out(scope) -> str:
    """Why report 01's coverage section is missing from a render with an ``as_at``."""
    return (
        f"This section is for the data's latest date only; this page counts {md(scope.describe())}, so it is left out."
    )


def profile_links(codes, here: str = "") -> list[str | None]:
    """The link to each area's profile page from a page in the site's folder ``here`` ('' for the top, 'areas'
    for another profile), or None for a code that has no profile (a former council; a code not on the list)."""
    known = set(area_index()["code"])
    prefix = "" if here == "areas" else "areas/"
    return [f"{prefix}{c}.html" if isinstance(c, str) and c in known else None for c in codes]
