"""An automated accessibility check (axe-core) of the index, every core report, the areas page and two area
profiles in a real headless Chromium (Debian's chromium + chromedriver; `make test` installs them): no
violation; and the areas page's filter, as a reader uses it."""

import os
import shutil

import pandas as pd
import pytest
from conftest import CORE

PAGES = ["index.html", *[f"{n}.html" for n in CORE], "areas.html", "areas/E09000021.html", "areas/E06000063.html"]
BROWSER, DRIVER = (
    shutil.which("chromium") or "/usr/bin/chromium",
    shutil.which("chromedriver") or "/usr/bin/chromedriver",
)


@pytest.fixture(scope="module")
def driver():
    if not (os.path.exists(BROWSER) and os.path.exists(DRIVER)):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver are missing: `make test` installs them (apt-get)")
        pytest.skip("no chromium/chromedriver on this machine (make test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = BROWSER
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1024",
    ):
        opts.add_argument(flag)
    drv = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)  # no Selenium Manager download
    yield drv
    drv.quit()


@pytest.mark.parametrize("page", PAGES)
def test_no_violations(driver, rendered, page):
    import axe_core_python  # ships axe.min.js (axe-core 4.x): no download at test time

    script = os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js")
    driver.get((rendered / page).as_uri())
    driver.execute_script(open(script, encoding="utf-8").read())
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function(r){done(r.violations);});"
    )
    bad = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["html"][:120]) for v in result]
    print(page, [(v["id"], v["impact"], len(v["nodes"])) for v in result])
    assert not bad, bad


def test_the_check_finds_a_violation_when_there_is_one(driver, tmp_path):
    """The harness itself: a page with an image without alt text and no language must fail."""
    import axe_core_python

    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><head><title>x</title></head><body><img src='x.png'></body></html>")
    driver.get(page.as_uri())
    driver.execute_script(open(os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js")).read())
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function(r){done(r.violations);});"
    )
    assert {"image-alt", "html-has-lang"} <= {v["id"] for v in result}


def test_from_the_index_to_kingston_in_two_clicks(driver, rendered):
    """The reader's path: the index links the areas page; typing "Kingston" in its filter leaves exactly the
    two Kingstons; the Thames one's link opens its profile with its 2018 inspection, WSoA and 4 weaknesses."""
    from selenium.webdriver.common.by import By

    driver.get((rendered / "index.html").as_uri())
    driver.find_element(By.LINK_TEXT, "Find your area").click()
    box = driver.find_element(By.ID, "area-filter")
    rows = driver.find_elements(By.CSS_SELECTOR, "#area-table tbody tr")
    assert len(rows) == 156  # 153 current areas and 3 former councils
    box.send_keys("Kingston")
    shown = [r.find_element(By.TAG_NAME, "th").text for r in rows if r.is_displayed()]
    assert shown == ["Kingston upon Hull", "Kingston upon Thames"]
    assert driver.find_element(By.ID, "area-count").text == "2 areas shown"
    box.clear()
    box.send_keys("hull")  # another name it goes by
    assert [r.find_element(By.TAG_NAME, "th").text for r in rows if r.is_displayed()] == ["Kingston upon Hull"]
    box.clear()
    box.send_keys("Kingston upon T")
    driver.find_element(By.LINK_TEXT, "Kingston upon Thames").click()
    assert driver.current_url.endswith("/areas/E09000021.html")
    text = driver.find_element(By.TAG_NAME, "main").text
    assert "17 September 2018" in text and "Written Statement of Action required; 4 significant weaknesses" in text
    assert "not revisited" in text


def test_sorting_a_column_orders_the_rows(driver, rendered):
    from selenium.webdriver.common.by import By

    driver.get((rendered / "areas.html").as_uri())
    driver.find_element(By.XPATH, "//th/button[text()='weaknesses']").click()
    col = [
        r.find_elements(By.TAG_NAME, "td")[3].text
        for r in driver.find_elements(By.CSS_SELECTOR, "#area-table tbody tr")
    ]
    numbers = [int(v) for v in col if v]
    assert numbers == sorted(numbers) and col[: len(numbers)] == [str(n) for n in numbers]  # blanks last
    head = driver.find_element(By.XPATH, "//th[button[text()='weaknesses']]")
    assert head.get_attribute("aria-sort") == "ascending"


def test_on_a_phone_the_areas_table_fits_and_targets_are_24px(driver, rendered):
    """At 400 px each area's row is a card: nothing wider than the screen, the outcome in view; the links a
    reader moves by are at least 24 px tall (WCAG 2.2, 2.5.8)."""
    from selenium.webdriver.common.by import By

    driver.set_window_size(400, 900)
    try:
        driver.get((rendered / "areas.html").as_uri())
        width = driver.execute_script("return window.innerWidth")
        assert (
            driver.execute_script("return document.getElementById('area-table').getBoundingClientRect().width") <= width
        )
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width
        card = driver.find_elements(By.CSS_SELECTOR, "#area-table tbody tr")[0]
        outcome = card.find_element(By.CSS_SELECTOR, "td[data-label='2023-framework outcomes']")
        assert outcome.rect["x"] + outcome.rect["width"] <= width and outcome.is_displayed()
        for page in ("areas.html", "01_inspection_outcomes.html", "index.html"):
            driver.get((rendered / page).as_uri())
            links = driver.find_elements(By.CSS_SELECTOR, ".sendstats-nav a, nav[aria-label] a")
            assert links and all(a.rect["height"] >= 24 for a in links if a.is_displayed()), page
    finally:
        driver.set_window_size(1280, 1024)


def test_outcomes_sort_by_severity_then_date(driver, rendered):
    """Sorting by the 2023 outcome puts widespread or systemic failings first (latest first within each), then
    inconsistent, then typically positive: not the alphabet's order."""
    from selenium.webdriver.common.by import By

    from sendstats.questions import coverage

    driver.get((rendered / "areas.html").as_uri())
    driver.find_element(By.XPATH, "//th/button[text()='2023-framework outcomes']").click()
    cells = [
        r.find_element(By.CSS_SELECTOR, "td[data-label='2023-framework outcomes']").text
        for r in driver.find_elements(By.CSS_SELECTOR, "#area-table tbody tr")
    ]
    latest = [c.split("; ")[-1] for c in cells if c and c != "not inspected yet"]
    order = ["widespread or systemic failings", "inconsistent", "typically positive"]
    ranks = [next((i for i, o in enumerate(order) if c.startswith(o)), 3) for c in latest]
    assert ranks == sorted(ranks) and ranks[0] == 0
    worst = [pd.Timestamp(c.rsplit("(", 1)[1].rstrip(")")) for c, k in zip(latest, ranks) if k == 0]
    assert worst == sorted(worst, reverse=True)
    assert coverage.outcome_order("systemic_failings", pd.Timestamp("2024-01-01")) < coverage.outcome_order(
        "positive", pd.Timestamp("2026-01-01")
    )


def test_a_town_or_former_district_finds_its_area_and_a_misspelling_is_helped(driver, rendered):
    """Typing a town (Kendal, a ward's name) or a former district (Kettering, Harrogate) leaves the area it lies
    in; nothing found ("Kingstn") offers the closest names, and choosing one filters to it."""
    from selenium.webdriver.common.by import By

    driver.get((rendered / "areas.html").as_uri())
    box = driver.find_element(By.ID, "area-filter")
    rows = driver.find_elements(By.CSS_SELECTOR, "#area-table tbody tr")
    for typed, area in [
        ("Kendal", "Westmorland and Furness"),
        ("Kettering", "North Northamptonshire"),
        ("Harrogate", "North Yorkshire"),
        ("Canterbury", "Kent"),
        ("Carlisle", "Cumberland"),
    ]:
        box.clear()
        box.send_keys(typed)
        shown = [r.find_element(By.TAG_NAME, "th").text for r in rows if r.is_displayed()]
        assert area in shown, (typed, shown)
    box.clear()
    box.send_keys("Kingstn")
    assert not [r for r in rows if r.is_displayed()]
    offers = driver.find_elements(By.CSS_SELECTOR, "#area-suggest button")
    assert "Kingston upon Thames" in [b.text for b in offers]
    next(b for b in offers if b.text == "Kingston upon Thames").click()
    assert [r.find_element(By.TAG_NAME, "th").text for r in rows if r.is_displayed()] == ["Kingston upon Thames"]
