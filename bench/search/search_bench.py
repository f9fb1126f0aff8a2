"""Haat's search against Pagefind's on the same built site, in headless chromium (run by
scripts/bench-search.sh, which builds both indexes and serves the site).

For each tool:
- hit rate at 5 on the labelled queries (QUERIES: expectations as Tests/Search/README.md
  says, judged on CONTENT's front matter);
- for the first 20 queries, each on a freshly loaded page with the browser's cache off and
  the CPU slowed 4× (DevTools' Emulation.setCPUThrottlingRate): the time from the query
  (the input event for Haat's page, the search() call for Pagefind's) to its first results
  on screen or in hand, and the bytes fetched for them: every file of the index the server
  was asked for meanwhile plus what was fetched with the page for searching (Haat's
  script and index manifest, Pagefind's script), each counted at its gzip -6 size, as a
  CDN sends it.

Usage: search_bench.py SITE_URL DRIVER_URL SITE_DIR CONTENT_DIR QUERIES SERVER_LOG
SERVER_LOG is the static server's request log: the files fetched are read from it, so
that a tool fetching from a worker (out of the page's resource timing) is counted too.
Prints "BENCH" lines.
"""
import gzip
import json
import os
import re
import statistics
import sys
import urllib.parse

for folder in ("Browser", "Search"):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", folder))
from labelled import Judge  # noqa: E402
from webdriver import Browser  # noqa: E402

site, driver, site_dir, content, queries_path, server_log = sys.argv[1:7]
queries = json.load(open(queries_path, encoding="utf-8"))
TIMED = 20


judge = Judge(content)


def gzipped(url_path):
    path = os.path.join(site_dir, urllib.parse.unquote(url_path).lstrip("/"))
    with open(path, "rb") as file:
        return len(gzip.compress(file.read(), 6))


def requested_since(offset):
    """The paths the static server was asked for since `offset` in its log, and the new offset."""
    with open(server_log, encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        text = log.read()
        end = log.tell()
    return re.findall(r'"GET ([^ ?"]+)', text), end


def slug_of(url):
    match = re.search(r"/creators/([^/]+)/", url)
    return match.group(1) if match else url


# ---- Haat: /search/, typed into its field ----

# `wanted`: cards on screen before it counts as answered: 1 for the first results' time,
# 5 (or all there are) for judging the top five.
HAAT_QUERY = """
var done = arguments[arguments.length - 1], query = %s, wanted = %d;
var input = document.querySelector("[data-search-form] input[name=q]"), list = document.querySelector("[data-search-results]");
var status = document.querySelector("[data-search-status]"), root = document.querySelector("[data-search-root]");
var started = performance.now();
new MutationObserver(function (changes, observer) {
  var found = parseInt(status.textContent, 10) || 0, cards = list.querySelectorAll(".card").length;
  if (!/No creators/.test(status.textContent) && !(found && cards >= Math.min(wanted, found))) return;
  observer.disconnect();
  done({ ms: performance.now() - started, slugs: Array.from(list.querySelectorAll(".card-link")).slice(0, 5).map(function (a) { return a.getAttribute("href"); }) });
}).observe(root, { childList: true, subtree: true, characterData: true });
input.value = query;
input.dispatchEvent(new Event("input"));
"""


def haat_page(browser):
    browser.go(site + "/search/")
    browser.wait_for("return document.readyState === 'complete' && !!document.querySelector('[data-search-root]') && "
                     "performance.getEntriesByType('resource').some(function (e) { return /manifest/.test(e.name) && e.responseEnd > 0; })")


def haat_script_bytes():
    """The page's scripts for search (cards.js, filters.js, search.js) and the manifest,
    all fetched with the page, before any query."""
    page = open(os.path.join(site_dir, "search", "index.html"), encoding="utf-8").read()
    scripts = re.findall(r'src="(/assets/(?:cards|filters|search)\.[0-9a-f]+\.js)"', page)
    assert len(scripts) == 3, scripts
    return sum(gzipped(script) for script in scripts) + \
        gzipped(re.search(r'data-manifest="(/search/manifest\.[0-9a-f]+\.json)"', page).group(1))


def haat_run(browser, query, wanted=5):
    """(milliseconds to `wanted` cards, the top five's slugs)."""
    result = browser.script_async(HAAT_QUERY % (json.dumps(query), wanted))
    return result["ms"], [slug_of(url) for url in result["slugs"]]


# ---- Pagefind: its own page, its search() ----

PAGEFIND_QUERY = """
var done = arguments[arguments.length - 1], query = %s;
var started = performance.now();
window.pagefindFirstResults(query).then(function (urls) {
  done({ ms: performance.now() - started, urls: urls });
}, function (error) { done({ error: String(error) }); });
"""


def pagefind_page(browser):
    browser.go(site + "/pagefind-bench/")
    browser.wait_for("return window.pagefindReady === true")


def pagefind_script_bytes():
    return gzipped("/pagefind/pagefind.js")


def pagefind_run(browser, query, wanted=5):
    """As haat_run; Pagefind's first results are the data of its first five, however many are wanted."""
    result = browser.script_async(PAGEFIND_QUERY % json.dumps(query))
    if "error" in result:
        raise RuntimeError(result["error"])
    return result["ms"], [slug_of(url) for url in result["urls"]]


# Typing, as a person does: one character every KEY_GAP ms, each an input event (search.js
# searches on every one); timed from the last keystroke to the first card of its results.
KEY_GAP = 200
HAAT_TYPED = """
var done = arguments[arguments.length - 1], query = %s, gap = %d;
var input = document.querySelector("[data-search-form] input[name=q]"), list = document.querySelector("[data-search-results]");
var status = document.querySelector("[data-search-status]"), root = document.querySelector("[data-search-root]");
var typed = 0, started = 0;
function key() {
  typed++;
  input.value = query.slice(0, typed);
  if (typed === query.length) {
    started = performance.now();
    new MutationObserver(function (changes, observer) {
      if (!list.querySelector(".card") && !/No creators/.test(status.textContent)) return;
      observer.disconnect();
      done({ ms: performance.now() - started });
    }).observe(root, { childList: true, subtree: true, characterData: true });
  }
  input.dispatchEvent(new Event("input"));
  if (typed < query.length) setTimeout(key, gap);
}
key();
"""

# Pagefind's API for the same: preload() each prefix as it is typed (what its own UI does
# while one types), then search() the whole query at the last keystroke.
PAGEFIND_TYPED = """
var done = arguments[arguments.length - 1], query = %s, gap = %d, typed = 0;
function key() {
  typed++;
  if (typed < query.length) { window.pagefindPreload(query.slice(0, typed)); setTimeout(key, gap); return; }
  var started = performance.now();
  window.pagefindFirstResults(query).then(function () { done({ ms: performance.now() - started }); },
                                          function (error) { done({ error: String(error) }); });
}
key();
"""


def typed_ms(browser, source, query):
    result = browser.script_async(source % (json.dumps(query), KEY_GAP), timeout=60)
    if "error" in result:
        raise RuntimeError(result["error"])
    return result["ms"]


def measure(name, browser, page, run, script_bytes, prefix, typed):
    browser.cdp("Network.enable")
    browser.cdp("Network.setCacheDisabled", {"cacheDisabled": False})
    browser.cdp("Emulation.setCPUThrottlingRate", {"rate": 1})
    page(browser)
    hits = 0
    for item in queries:
        _, top = run(browser, item["query"])
        good = judge.hit(item["expect"], top)
        hits += good
        if not good:
            print("MISS %s %r (%s): %s" % (name, item["query"], item["kind"], top))
        page(browser)  # a fresh page each query: no state carried from one to the next
    times, sizes, typed_times, typed_sizes = [], [], [], []
    for item in queries[:TIMED]:
        browser.cdp("Network.setCacheDisabled", {"cacheDisabled": True})
        for typing in (False, True):
            browser.cdp("Emulation.setCPUThrottlingRate", {"rate": 1})
            page(browser)
            browser.cdp("Emulation.setCPUThrottlingRate", {"rate": 4})
            _, offset = requested_since(0)
            ms = typed_ms(browser, typed, item["query"]) if typing else run(browser, item["query"], 1)[0]
            files, _ = requested_since(offset)
            (typed_times if typing else times).append(ms)
            (typed_sizes if typing else sizes).append(script_bytes + sum(gzipped(path) for path in set(files) if path.startswith(prefix)))
    browser.cdp("Emulation.setCPUThrottlingRate", {"rate": 1})
    print("BENCH %s hit rate at 5: %.1f%% (%d of %d)" % (name, 100 * hits / len(queries), hits, len(queries)))
    print("BENCH %s first results, bytes (gzip, script included): median %.1f KB, max %.1f KB" % (
        name, statistics.median(sizes) / 1024, max(sizes) / 1024))
    print("BENCH %s first results, time (4x CPU throttling, cold cache): median %.0f ms, max %.0f ms" % (
        name, statistics.median(times), max(times)))
    print("BENCH %s typed a key every %d ms, bytes over the typing: median %.1f KB, max %.1f KB" % (
        name, KEY_GAP, statistics.median(typed_sizes) / 1024, max(typed_sizes) / 1024))
    print("BENCH %s typed, time from the last key to the first results: median %.0f ms, max %.0f ms" % (
        name, statistics.median(typed_times), max(typed_times)))


browser = Browser(driver)
try:
    browser.resize(1280, 900)
    measure("haat", browser, haat_page, haat_run, haat_script_bytes(), "/search/", HAAT_TYPED)
    measure("pagefind", browser, pagefind_page, pagefind_run, pagefind_script_bytes(), "/pagefind/", PAGEFIND_TYPED)
finally:
    browser.quit()
