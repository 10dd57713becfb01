"""An automated accessibility check (axe-core) of the index, every core report and one area profile in a
real headless Chromium (Debian's chromium + chromedriver; `make test` installs them): no serious or
critical violation."""

import os
import shutil

import pytest
from conftest import CORE

PAGES = ["index.html", *[f"{n}.html" for n in CORE], "areas/E09000021.html"]
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
def test_no_serious_or_critical_violations(driver, rendered, page):
    import axe_core_python  # ships axe.min.js (axe-core 4.x): no download at test time

    script = os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js")
    driver.get((rendered / page).as_uri())
    driver.execute_script(open(script, encoding="utf-8").read())
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function(r){done(r.violations);});"
    )
    bad = [
        (v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["html"][:120])
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
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
