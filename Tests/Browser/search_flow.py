"""Search as people type it, in a real browser (headless chromium) against the built sample
site: every query of the labelled set (Tests/Search/queries.json: English, Hinglish
spellings, Devanagari, typos, places, names, partial words) is typed into /search/ through
the page's own search.js, and its top five results are held to the query's expectation.
Prints the hit rate by kind and fails below 90%. Also: the page's terms are the build's
(Tests/Search/stems.json, which SearchTermsTests holds Swift to), a place named in the
query is said ("… in Kothrud, Pune first"), a query that finds nothing offers "did you
mean" and a category or city page, and results show price, locality and city.

Usage: search_flow.py SITE_URL DRIVER_URL CONTENT_DIR SCREENSHOTS [QUERIES]
With QUERIES (another labelled set, e.g. Tests/Search/synthetic-queries.json over the
synthetic 10,000 creators in CONTENT_DIR) only that set's hit rate is checked.
Prints one line per check and ends with "browser: N passed, N failed".
"""
import base64
import json
import os
import re
import sys
import traceback
import urllib.parse

from webdriver import Browser, Checks, WebDriverError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Search"))
from labelled import Judge  # noqa: E402

site, driver, content, screenshots = sys.argv[1:5]
here = os.path.dirname(os.path.abspath(__file__))
queries_path = sys.argv[5] if len(sys.argv) > 5 else os.path.join(here, "..", "Search", "queries.json")
only_queries = len(sys.argv) > 5
queries = json.load(open(queries_path, encoding="utf-8"))
stems = json.load(open(os.path.join(here, "..", "Search", "stems.json"), encoding="utf-8"))
checks = Checks()
check = checks.check
TARGET = 0.9


judge = Judge(content)
creators = judge.creators


def results(browser, query):
    """The page after the query: (status text, result slugs in order, suggestion text)."""
    browser.go(site + "/search/?q=" + urllib.parse.quote(query))
    # Found: the first five cards (or all, when fewer) drawn; they arrive a screenful first.
    browser.wait_for("""var s = document.querySelector("[data-search-status]").textContent;
        var found = /^(\\d+) creators? found/.exec(s);
        return /No creators/.test(s) || (found && document.querySelectorAll("[data-search-results] .card").length >= Math.min(5, +found[1]));""")
    return browser.script("""return [document.querySelector("[data-search-status]").textContent,
        Array.from(document.querySelectorAll("[data-search-results] .card-link")).map(function (a) {
            return decodeURIComponent(a.getAttribute("href").split("/")[2]); }),
        document.querySelector("[data-search-suggestion]").hidden ? "" : document.querySelector("[data-search-suggestion]").textContent];""")


def flow(browser):
    browser.resize(1280, 900)
    browser.go(site + "/search/")
    if only_queries:
        hit_rate(browser)
        return
    made = browser.script("var t = document.querySelector('[data-search-root]').haatTerms;"
                          "return %s.map(function (w) { return t(w).join(' '); });" % json.dumps(list(stems)))
    wrong = ["%s → %r, not %r" % (word, got, stems[word]) for word, got in zip(stems, made) if got != stems[word]]
    check("the page makes the build's terms of %d words" % len(stems), not wrong, "; ".join(wrong[:5]))
    hit_rate(browser)
    sample_checks(browser)


def hit_rate(browser):
    by_kind, misses = {}, []
    for item in queries:
        status, slugs, _ = results(browser, item["query"])
        good = judge.hit(item["expect"], slugs)
        tally = by_kind.setdefault(item["kind"], [0, 0])
        tally[0 if good else 1] += 1
        if not good:
            misses.append("%r (%s): top %s" % (item["query"], item["kind"], slugs[:5]))
    hits = sum(passed for passed, _ in by_kind.values())
    rate = hits / len(queries)
    print("search hit rate at 5 (%s): %.1f%% (%d of %d); by kind: %s" % (
        os.path.basename(queries_path), 100 * rate, hits, len(queries), ", ".join("%s %d/%d" % (kind, t[0], t[0] + t[1]) for kind, t in sorted(by_kind.items()))))
    for miss in misses:
        print("  missed: " + miss)
    check("the %d labelled queries of %s find what they should in the top 5, at least %d%%" % (
          len(queries), os.path.basename(queries_path), 100 * TARGET), rate >= TARGET, "%.1f%%" % (100 * rate))


def sample_checks(browser):
    """What the sample content's own places and words show."""
    status, slugs, _ = results(browser, "cake baner")
    check("a place in the query is said, and what was asked for there comes first",
          status.endswith(" · Cakes & Bakes in Baner, Pune first") and slugs and creators[slugs[0]].get("area") == "Baner"
          and "cakes" in creators[slugs[0]]["categories"], "%r, first %s" % (status, slugs[:1]))
    status, slugs, _ = results(browser, "cake kothrud")
    check("none there: the page says so, and shows the nearest in the same city first",
          status.endswith(" · no cakes & bakes in Kothrud, Pune yet") and slugs and creators[slugs[0]].get("city") == "pune"
          and "cakes" in creators[slugs[0]]["categories"], "%r, first %s" % (status, slugs[:1]))
    status, slugs, suggestion = results(browser, "photografer kotrud")
    check("a misspelt place is still found", "in Kothrud, Pune" in status, status)
    status, slugs, suggestion = results(browser, "mehandy zzqx")
    check("nothing found: the page says so and suggests a word and a page",
          "No creators" in status and "Did you mean" in suggestion and "Browse" in suggestion, "%r / %r" % (status, suggestion))
    check("the suggestion links to a real search and a category page", browser.script(
        """var links = document.querySelectorAll("[data-search-suggestion] a");
           return links.length == 2 && /\\/search\\/\\?q=/.test(links[0].getAttribute("href")) && /^\\/c\\//.test(links[1].getAttribute("href"));"""))
    results(browser, "pune")
    card = browser.script("""var c = document.querySelector("[data-search-results] .card");
        return [c.querySelector(".card-meta").textContent, !!c.querySelector(".card-price")];""")
    check("a result card names its locality and city and its lowest price", ", Pune" in card[0] and card[1], card)
    for width, height in ((390, 844), (1280, 900)):
        browser.resize(width, height)
        results(browser, "mehndi pune")
        shot = browser._session("GET", "/screenshot")
        with open(os.path.join(screenshots, "search-place-%dx%d.png" % (width, height)), "wb") as out:
            out.write(base64.b64decode(shot))


def main():
    browser = Browser(driver)
    try:
        flow(browser)
    except (WebDriverError, AssertionError, KeyError, ValueError, TypeError) as error:
        checks.stopped("search", traceback.format_exc().strip().split("\n")[-1])
    finally:
        browser.quit()
    checks.finish()


main()
