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
