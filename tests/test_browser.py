"""The web explorer end to end in headless Chromium (Selenium + chromedriver).

A store is coded from the bundled examples/ plus one planted article whose
text carries a <script>, an onerror= attribute and a javascript: link; a
real uvicorn server serves it on a free 127.0.0.1 port.  The tests load the
overview, open a dyad, open an event, check the evidence is highlighted and
that the planted markup shows as text and never runs.  Screenshots go to
tests/artifacts/ (gitignored).

Skips only when chromium or chromedriver cannot be found (CI installs the
Debian packages `chromium` and `chromium-driver`).
"""
from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"


def _find(*names: str) -> str | None:
    for n in names:
        p = shutil.which(n) or (n if Path(n).is_file() else None)
        if p:
            return p
    return None


CHROMIUM = _find("chromium", "/usr/bin/chromium", "chromium-browser", "google-chrome")
DRIVER = _find("chromedriver", "/usr/bin/chromedriver")
if not CHROMIUM or not DRIVER:
    pytest.skip("headless Chromium tests need chromium and chromedriver "
                "(apt-get install chromium chromium-driver); not found on PATH",
                allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver")
uvicorn = pytest.importorskip("uvicorn")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

PWN = "window.__pwned=1"
PLANTED = (
    'Kenya and Uganda talks <img src=x onerror="window.__pwned=1">\n\n'
    "NAIROBI, March 3, 2025 - Kenyan President William Ruto met Ugandan President Yoweri "
    "Museveni in Nairobi on Monday to discuss trade and security. "
    "<script>window.__pwned=1</script> "
    "Officials said <a href=\"javascript:window.__pwned=1\">x</a> the two leaders signed an "
    "agreement on a new railway line. <img src=x onerror=\"window.__pwned=1\">\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    import dotterel
    from dotterel.server import create_app
    from dotterel.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="dotterel_browser_"))
    (tmp / "planted").mkdir()
    (tmp / "planted" / "planted_xss.txt").write_text(PLANTED, encoding="utf-8")
    db = tmp / "demo.duckdb"
    with Store(db) as st:
        for article, events in dotterel.code_files([ROOT / "examples", tmp / "planted"]):
            st.add(article, events)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                        log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.time() + 30
    while not srv.started:
        assert time.time() < deadline and th.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(10)
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="dotterel_chromium_")
    opts = Options()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1400,1100",
                 f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(DRIVER), options=opts)
    drv.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _wait_for(drv, css: str, timeout: float = 20):
    return WebDriverWait(drv, timeout).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, css) or False)[0]


def _ready(drv, hash_prefix: str, timeout: float = 20) -> None:
    WebDriverWait(drv, timeout).until(
        lambda d: (d.execute_script("return document.body.dataset.ready || ''")
                   .startswith(hash_prefix)))


def _errors(drv) -> list[str]:
    """Console errors other than the favicon the explorer does not ship."""
    return [e["message"] for e in drv.get_log("browser")
            if e["level"] == "SEVERE" and "favicon" not in e["message"]]


def test_overview_dyad_event(server, browser):
    drv = browser
    drv.get(server + "/")
    _ready(drv, "#/")
    _wait_for(drv, "#dyads-table tbody tr")
    _wait_for(drv, "#recent-events tbody tr")
    chart = drv.execute_script(
        "const c = Chart.getChart(document.getElementById('overview-chart'));"
        "return c && {type: c.config.type, sets: c.data.datasets.map(d => d.label),"
        " labels: c.data.labels.length, x: c.options.scales.x.title.text,"
        " y: c.options.scales.y.title.text, legend: c.options.plugins.legend.display !== false,"
        " h: c.height}")
    assert chart and chart["type"] == "bar" and chart["labels"] > 0 and chart["h"] > 100
    assert chart["sets"] == ["Verbal cooperation", "Material cooperation", "Verbal conflict",
                             "Material conflict"]
    assert chart["x"] == "Month" and chart["y"] == "Events" and chart["legend"]
    assert "[object " not in drv.find_element(By.TAG_NAME, "main").text
    drv.save_screenshot(str(ARTIFACTS / "overview.png"))

    # open a dyad from the table of top dyads
    links = {a.text: a for a in drv.find_elements(By.CSS_SELECTOR, "#dyads-table a.dyad-link")}
    name = "AZE–USA" if "AZE–USA" in links else next(iter(links))
    links[name].click()
    _ready(drv, "#/dyad/")
    rows = _wait_for(drv, "#dyad-events tbody tr") and drv.find_elements(
        By.CSS_SELECTOR, "#dyad-events tbody tr")
    assert rows
    a, b = name.split("–")
    assert drv.find_element(By.TAG_NAME, "h1").text == f"Dyad {a}–{b}"
    sets = drv.execute_script(
        "const c = Chart.getChart(document.getElementById('dyad-chart'));"
        "return c.data.datasets.map(d => [d.type, d.label, d.data.length])")
    assert sets[0][0] == "line" and "score" in sets[0][1] and sets[0][2] >= 1
    assert "Events" in drv.find_element(By.ID, "dyad-summary").text
    assert "[object " not in drv.find_element(By.TAG_NAME, "main").text
    drv.save_screenshot(str(ARTIFACTS / "dyad.png"))

    # open the first event of the dyad
    link = drv.find_element(By.CSS_SELECTOR, "#dyad-events a.event-link")
    evidence = link.text
    link.click()
    _ready(drv, "#/event/")
    mark = _wait_for(drv, "#article-text mark.evidence.current")
    assert " ".join(mark.text.split()) == " ".join(evidence.split())
    bg = drv.execute_script("return getComputedStyle(arguments[0]).backgroundColor", mark)
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    assert mark.find_elements(By.CSS_SELECTOR, "mark.span-actor"), "actor not highlighted"
    assert drv.find_elements(By.CSS_SELECTOR, "#mentions-table tbody tr")
    facts = drv.find_element(By.ID, "event-facts").text
    assert a in facts or b in facts
    assert "[object " not in drv.find_element(By.TAG_NAME, "main").text
    drv.save_screenshot(str(ARTIFACTS / "event.png"))
    assert _errors(drv) == []


def test_planted_markup_is_inert(server, browser):
    import json
    import urllib.request
    drv = browser
    with urllib.request.urlopen(server + "/api/events?q=Museveni") as r:
        events = json.load(r)["events"]
    assert events, "the planted article was not coded into any event"
    drv.get(server + "/#/event/" + events[0]["id"])
    _ready(drv, "#/event/")
    box = _wait_for(drv, "#article-text")
    text = box.text
    assert "<script>window.__pwned=1</script>" in text
    assert '<img src=x onerror="window.__pwned=1">' in text
    assert '<a href="javascript:window.__pwned=1">x</a>' in text
    assert drv.execute_script("return typeof window.__pwned") == "undefined"
    # no element came out of the data: only the two scripts we ship, no img, no link
    assert drv.execute_script("return document.scripts.length") == 2
    assert drv.find_elements(By.CSS_SELECTOR, "main img") == []
    assert drv.find_elements(By.CSS_SELECTOR, "a[href^='javascript']") == []
    # the headline (markup in it too) is shown as text in the facts
    assert '<img src=x' in drv.find_element(By.ID, "event-facts").text
    drv.save_screenshot(str(ARTIFACTS / "planted_event.png"))

    # search for the markup itself: results render as text too
    drv.get(server + "/#/search?q=" + "%3Cscript%3E")
    _ready(drv, "#/search")
    _wait_for(drv, "#search-events tbody tr")
    assert drv.execute_script("return typeof window.__pwned") == "undefined"
    assert drv.find_elements(By.CSS_SELECTOR, "main img") == []
    drv.save_screenshot(str(ARTIFACTS / "search.png"))
    assert _errors(drv) == []


def test_bad_route_and_api_error_show_as_text(server, browser):
    drv = browser
    drv.get(server + "/#/event/" + "%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E")
    _ready(drv, "#/event/")
    err = _wait_for(drv, "p.error")
    assert "422" in err.text or "404" in err.text
    assert drv.execute_script("return typeof window.__pwned") == "undefined"
    drv.get(server + "/#/?since=2025-13")
    _ready(drv, "#/")
    assert "since" in _wait_for(drv, "p.error").text
