"""An automated accessibility check (axe-core) of the index, every core report, the areas page and two area
profiles in a real headless Chromium (Debian's chromium + chromedriver; `make test` installs them): no
violation; and the areas page's filter, as a reader uses it."""

import os
import shutil

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
