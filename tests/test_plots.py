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

    from sendstats import plots

    df = pd.DataFrame({"area": ["O'Brien & <Sons>", "Bury", "Slough"], "n": [1, 2, 3]})
    urls = ["areas/E09000021.html", "javascript:alert(1)", "https://files.ofsted.gov.uk/v1/file/1"]
    assert plots.safe_href(pd.NA) is None and plots.safe_href(float("nan")) is None  # a council with no page
    t = plots.table(df, "cap", percent=(), links={"area": urls})
    html = t.styler.to_html()
    assert '<a href="areas/E09000021.html">O&#x27;Brien &amp; &lt;Sons&gt;</a>' in html or (
        '<a href="areas/E09000021.html">O&#39;Brien &amp; &lt;Sons&gt;</a>' in html
    )
    assert "javascript" not in html and ">Bury<" in html
    assert '<a href="https://files.ofsted.gov.uk/v1/file/1">Slough</a>' in html
    rows = t.csv.splitlines()
    assert rows[0] == "area,n,area (link)" and rows[2] == "Bury,2," and rows[1].endswith(",areas/E09000021.html")
