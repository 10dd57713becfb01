"""One area's profile (the area_profile report): its timeline across both frameworks (its former council's
2016 inspection included), its factors against every area, its statistical neighbours, its trends and the
summary that answers first."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import stats
from ..data import geography, registry
from ..data.names import display_name
from ..data.store import data_date
from ..outcomes import load_areas
from ..vocabulary import CATEGORY_LABELS as WORDS  # the words for each category, one home
from ..vocabulary import OUTCOME_LEVELS as OUTCOMES
from ..wording import and_list, by_unit, long_date, md, md_link, ordinal, outcome_label, plural
from .areas import REVISIT_MEANING, area_index, coded, former_council, known, table_stamps
from .coverage import corrected


# --- one area's story ----------------------------------------------------------------------------------------
def timeline(code: str) -> pd.DataFrame:
    """Every event of the area's inspections across both frameworks, in date order: each 2016-framework
    inspection, its letter, WSoA and revisit (or that none has been published), each 2023-framework
    inspection or re-inspection and its report, and the next full inspection's due date. A council created
    after 2016 carries its former council's 2016-framework events, named in the ``council`` column."""
    known(code)
    idx = area_index()
    names = dict(zip(idx["code"], idx["area"]))
    old = coded("2016")
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
    new = coded("2023")
    new = new[new["code"] == code].sort_values("published")
    for _, r in new.iterrows():
        which = "re-inspection" if r["inspection_number"] > 1 else "inspection"
        who = names.get(code, r["area"])
        fixed = corrected(r["source_note"])
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
        a = _factor_frame(framework, *table_stamps(f"areas_{framework}"))
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
    from ..data.store import load_table

    lk = load_table("la_lookup")
    lk["code"] = geography.harmonise(lk["la_code"])
    old = coded("2016").set_index("code")
    new = coded("2023").sort_values("published").drop_duplicates("code", keep="last").set_index("code")
    return lk, lk.set_index("la_code_3"), old, new


def statistical_neighbours(code: str) -> pd.DataFrame:
    """The area's 10 statistical neighbours (DfE children's services neighbours, D2I lookup), each with its
    2016-framework WSoA and revisit outcome (a council created since 2016: its former council's) and its latest
    2023-framework outcome."""
    known(code)
    lk, by3, old, new = _neighbour_frames(*table_stamps("la_lookup", "inspections_2016", "inspections_2023"))
    me = lk[lk["code"] == code]
    if me.empty or pd.isna(me["stat_neighbours_3"].iat[0]):
        return pd.DataFrame(columns=["rank", "area", "code", "WSoA (2016)", "revisit", "2023 outcome"])
    rows = []
    for i, c3 in enumerate(str(me["stat_neighbours_3"].iat[0]).split(","), start=1):
        c3 = c3.strip()
        n = by3.loc[c3] if c3 in by3.index else None
        ncode = n["code"] if n is not None else None
        # a new council: its former council's 2016 inspection
        ocode = ncode if ncode in old.index or ncode is None else former_council(ncode)
        o = old.loc[ocode] if ocode in old.index else None
        w = new.loc[ncode] if ncode in new.index else None
        rows.append(
            {
                "rank": i,
                "area": display_name(n["name"]) if n is not None else f"DfE code {c3} (not in lookup)",
                "code": ncode,
                "WSoA (2016)": (WORDS["wsoa"] if o["wsoa"] else WORDS["no_wsoa"])
                if o is not None
                else WORDS["not_inspected"],
                "revisit": (o["revisit_outcome"] if pd.notna(o["revisit_outcome"]) else o["revisit_status"])
                if o is not None
                else "",
                "2023 outcome": (w["outcome"] if pd.notna(w["outcome"]) else WORDS["no_outcome"])
                if w is not None
                else WORDS["not_inspected_yet"],
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
    new = coded("2023")
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
    old = coded("2016")
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
        done = nb[~nb["2023 outcome"].isin([WORDS["not_inspected_yet"]])]
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
    years = _area_years(*table_stamps("area_years", "inspections_2016", "inspections_2023"))
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
    from ..data.store import load_table

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
