"""Finding a local area by what a person types (a code, a name, another name it goes by, a town or former
district, a close spelling), and the facts every page names it by. The profiles (:mod:`.profiles`) and the
areas page (:mod:`.coverage`) start here."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

import pandas as pd

from ..data import geography
from ..data.boundaries import REPLACED_ON, SUCCESSORS
from ..data.names import display_name, normalise, normalise_one
from ..errors import ParameterError
from ..outcomes import load_inspections
from ..wording import md

# what the 2016 framework's revisit outcome means (Ofsted: sufficient progress in addressing the weaknesses)
REVISIT_MEANING = {
    "Yes": "sufficient progress in every weakness",
    "Some": "sufficient progress in some weaknesses",
    "No": "sufficient progress in none",
}


def table_stamps(*names) -> tuple:
    """The built tables' file stamps (modified time, size): a cheap key for the lookups below, which are read
    for every profile a render plans (a rebuild replaces the files, so the stamps change). Before a first build:
    the tables' keys (and :func:`store.load_table` builds them)."""
    from ..data.store import processed_dir, table_key

    try:
        return tuple(
            (s.st_mtime_ns, s.st_size) for s in (processed_dir().joinpath(f"{n}.parquet").stat() for n in names)
        )
    except OSError:
        return tuple(table_key(n) for n in names)


def coded(framework: str) -> pd.DataFrame:
    """``load_inspections(framework)`` with each row's harmonised 9-digit ``code`` (the key every function here
    matches areas by), made once per version of the table; read-only."""
    return _coded_for(framework, *table_stamps(f"inspections_{framework}"))


@lru_cache(maxsize=4)
def _coded_for(framework: str, _stamp) -> pd.DataFrame:
    return load_inspections(framework).assign(
        code=lambda d: geography.harmonise(d["la_code"]), area=lambda d: d["area"].map(display_name)
    )


# --- finding an area ---------------------------------------------------------------------------------------
def area_index() -> pd.DataFrame:
    """Every area inspected under either framework: code (harmonised 9-digit), name, region."""
    return _area_index(*table_stamps("inspections_2016", "inspections_2023")).copy()


@lru_cache(maxsize=2)
def _area_index(key16, key23) -> pd.DataFrame:
    both = pd.concat([coded("2016"), coded("2023")], ignore_index=True)
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
    from ..data.store import load_table

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
    for name, code in _aliases(*table_stamps("inspections_2016", "inspections_2023", "la_lookup")).items():
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
    names = _name_keys(*table_stamps("inspections_2016", "inspections_2023"))
    if key in names:
        return names[key]
    aliases = _aliases(*table_stamps("inspections_2016", "inspections_2023", "la_lookup"))
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
            ordered = sorted(hits, key=lambda c: label[c])
            raise ParameterError(
                f"area {area!r} matches {len(ordered)} areas: {listed(ordered)}; give the full name or code"
            )
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
    places = _places(*table_stamps("place_names"))
    for hits in (
        places[(places["key"] == key) & (places["place_kind"] == "district")],
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
    from ..data.store import load_table

    p = load_table("place_names")
    return p.assign(key=normalise(p["place"]))


def place_words() -> dict[str, list[str]]:
    """Code -> the districts and towns (the first word of each ward's name, such as Kendal) a person may type
    for the area, for the areas page's filter."""
    p = _places(*table_stamps("place_names"))
    first = p["key"].str.split().str[0]
    generic = {"north", "south", "east", "west", "central", "upper", "lower", "st", "great", "little", "new", "old"}
    keep = (p["place_kind"] == "district") | ~first.isin(generic)
    words = p["key"].where(p["place_kind"] == "district", first)[keep]
    out: dict[str, list[str]] = {}
    for code, w in zip(p["area_code"][keep], words):
        out.setdefault(code, [])
        if w not in out[code]:
            out[code].append(w)
    return out


def codes_of(names) -> list[str | None]:
    """The area code of each name (an area's name or another name it goes by, as :func:`resolve_area` reads
    it), or None where it names no single area; made for many names at once (one normalising pass)."""
    by_name = _name_keys(*table_stamps("inspections_2016", "inspections_2023"))
    by_alias = _aliases(*table_stamps("inspections_2016", "inspections_2023", "la_lookup"))
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
    if (
        isinstance(code, str)
        and code in _area_index(*table_stamps("inspections_2016", "inspections_2023"))["code"].values
    ):
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


def profile_links(codes, here: str = "") -> list[str | None]:
    """The link to each area's profile page from a page in the site's folder ``here`` ('' for the top, 'areas'
    for another profile), or None for a code that has no profile (a former council; a code not on the list)."""
    known = set(area_index()["code"])
    prefix = "" if here == "areas" else "areas/"
    return [f"{prefix}{c}.html" if isinstance(c, str) and c in known else None for c in codes]
