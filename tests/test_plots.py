def test_forest_names_terms_as_a_reader_does():
    import pandas as pd

    from sendstats import plots

    d = pd.DataFrame(
        {"term": ["ehcp_20wk_pct", "appeal_rate"], "odds_ratio": [1.2, 0.9], "ci_low": [1, 0.5], "ci_high": [2, 1.5]}
    )
    ax = plots.forest(d)
    shown = ax.figure.sendstats_alt + " ".join(t.get_text() for t in ax.get_yticklabels())
    assert "ehcp_20wk_pct" not in shown and "appeal_rate" not in shown
    assert "% new EHC plans within 20 weeks (year before)" in shown


def test_a_table_links_only_safe_targets_and_escapes_each_value_once():
    """Issue 30 items 2 and 3: table cells link their evidence or profile; a value from a data file is escaped
    once, and a link that is not http(s) or a page of the site is dropped, never written."""
    import pandas as pd

    from sendstats.render import page
    from sendstats.wording import safe_href

    df = pd.DataFrame({"area": ["O'Brien & <Sons>", "Bury", "Slough"], "n": [1, 2, 3]})
    urls = ["areas/E09000021.html", "javascript:alert(1)", "https://files.ofsted.gov.uk/v1/file/1"]
    assert safe_href(pd.NA) is None and safe_href(float("nan")) is None  # a council with no page
    t = page.table(df, "cap", percent=(), links={"area": urls})
    html = t.styler.to_html()
    assert '<a href="areas/E09000021.html">O&#x27;Brien &amp; &lt;Sons&gt;</a>' in html or (
        '<a href="areas/E09000021.html">O&#39;Brien &amp; &lt;Sons&gt;</a>' in html
    )
    assert "javascript" not in html and ">Bury<" in html
    assert '<a href="https://files.ofsted.gov.uk/v1/file/1">Slough</a>' in html
    rows = t.csv.splitlines()
    assert rows[0] == "area,n,area (link)" and rows[2] == "Bury,2," and rows[1].endswith(",areas/E09000021.html")


# --- the figure functions, one unit test each: what they draw and say, from small frames counted by hand ---


def _ticks(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


def test_share_with_ci_draws_one_row_per_group_with_its_denominator():
    import pandas as pd

    from sendstats import plots

    d = pd.DataFrame(
        {
            "region": ["London", "North West"],
            "share": [0.25, 0.5],
            "ci_low": [0.1, 0.3],
            "ci_high": [0.5, 0.7],
            "n": [32, 24],
        }
    )
    ax = plots.share_with_ci(d, "region", title="WSoA by region")
    assert _ticks(ax) == ["London (n=32)", "North West (n=24)"] and ax.get_xlim() == (0, 1)
    assert "London (n=32): 25% (95% CI 10% to 50%)" in ax.figure.sendstats_alt


def test_count_bars_draw_each_count_and_no_error_bar():
    import pandas as pd

    from sendstats import plots

    d = pd.DataFrame({"year": ["2016", "2017", "2018"], "count": [8, 25, 31]})
    ax = plots.count_bars(d, "year", title="Inspections by year")
    assert sorted(round(p.get_height()) for p in ax.patches) == [8, 25, 31]
    assert not ax.lines  # errorbar=None: a count has no interval, and no bootstrap draws at random
    assert ax.get_ylabel() == "number of areas"


def test_strip_spreads_points_the_same_way_every_time_and_leaves_global_state_alone():
    import numpy as np
    import pandas as pd

    from sendstats import plots

    d = pd.DataFrame({"n_weaknesses": [1, 3, 5, 7, 2], "revisit_outcome": ["Yes", "Yes", "Some", "No", "Some"]})
    state = np.random.get_state()[1].copy()
    a = plots.strip(d, "n_weaknesses", "revisit_outcome", ["Yes", "Some", "No"], "Weaknesses and revisit outcome")
    b = plots.strip(d, "n_weaknesses", "revisit_outcome", ["Yes", "Some", "No"], "Weaknesses and revisit outcome")
    pa = [c.get_offsets().tolist() for c in a.collections]
    assert pa == [c.get_offsets().tolist() for c in b.collections]  # same jitter on every render
    assert (np.random.get_state()[1] == state).all()  # numpy's global generator untouched
    assert [len(c.get_offsets()) for c in a.collections] == [2, 2, 1] and _ticks(a) == ["Yes", "Some", "No"]
    assert all(abs(y - row) <= 0.2 for row, c in enumerate(a.collections) for _, y in c.get_offsets())
    assert a.get_xlabel() == "significant weaknesses" and a.get_ylabel() == "progress at revisit"
    assert "Yes: 2 areas, median 2 (range 1 to 3)" in a.figure.sendstats_alt
    assert "No: 1 areas, median 7 (range 7 to 7)" in a.figure.sendstats_alt


def test_flow_draws_a_box_per_stage_and_says_what_was_left_out():
    import pandas as pd

    from sendstats import plots

    steps = pd.DataFrame(
        {"stage": ["inspected", "analysed"], "n": [151, 147], "left out": [0, 4], "why": ["", "missing a value"]}
    )
    ax = plots.flow(steps, title="Flow")
    texts = [t.get_text() for t in ax.texts]
    assert "inspected\nn = 151" in texts and "analysed\nn = 147" in texts
    assert "left out: 4\n(missing a value)" in texts
    assert "analysed: 147 (4 left out: missing a value)" in ax.figure.sendstats_alt


def test_running_total_steps_to_the_total():
    import pandas as pd

    from sendstats import plots

    d = pd.DataFrame({"month": pd.to_datetime(["2023-01-31", "2023-02-28", "2023-03-31"]), "areas": [2, 5, 9]})
    ax = plots.running_total(d, x="month", y="areas", total=153, title="Areas inspected")
    ys = [y for line in ax.lines for y in line.get_ydata()]
    assert 9 in ys and 153 in ys  # the running count and the line of every area
    assert "Areas inspected" in ax.figure.sendstats_alt


def test_causal_diagram_names_the_confounders_as_a_reader_does():
    from sendstats import plots
    from sendstats.questions import wsoa

    ax = plots.causal_diagram(wsoa.CONFOUNDERS)
    shown = " ".join(t.get_text() for t in ax.texts) + ax.figure.sendstats_alt
    assert "imd_share_most_deprived_decile" not in shown and "region" in shown


def test_map_categories_and_colours_have_one_home_keyed_by_code():
    """Issue 31 item 6: the maps' categories are codes (vocabulary), their words come from one table, and the
    colours are keyed by the codes, so rewording a label cannot break a colour."""
    import pandas as pd

    from sendstats import plots, vocabulary
    from sendstats.questions import maps

    assert set(plots.COLOURS) == set(vocabulary.CATEGORY_LABELS) == {*vocabulary.MAP_2016, *vocabulary.MAP_2023}
    m16, m23 = maps.map_frames()
    assert set(m16["category"]) <= set(vocabulary.MAP_2016) and set(m23["category"]) <= set(vocabulary.MAP_2023)
    cats = pd.DataFrame({"area_code": ["E08000002", "E08000001"], "category": ["systemic_failings", "no_outcome"]})
    ax = plots.england_map(cats, title="t", order=vocabulary.MAP_2023)
    assert [t.get_text() for t in ax.get_legend().get_texts()][:3] == [
        "typically positive (0)",
        "inconsistent (0)",
        "widespread or systemic failings (1)",
    ]
    assert "no outcome in sources: 1 area" in ax.figure.sendstats_alt
