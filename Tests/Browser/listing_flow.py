"""Listings as a visitor narrows and orders them, in a real browser (headless chromium)
against the built sample site: filters and sort on a city's listing and on search results
(filters.js), the choice in the URL and the back button restoring the one before, "Near
me" with a position faked through the DevTools protocol (and refused), area pages built
exactly where two or more creators are, and the listing complete without JavaScript.
Every expectation comes from the creators' own front matter in CONTENT_DIR.

Usage: listing_flow.py SITE_URL DRIVER_URL CONTENT_DIR SCREENSHOTS
Prints one line per check and ends with "browser: N passed, N failed".
"""
import base64
import json
import math
import os
import re
import sys
import traceback
import urllib.error
import urllib.parse
import urllib.request

from webdriver import Browser, Checks, WebDriverError

site, driver, content, screenshots = sys.argv[1:5]
checks = Checks()
check = checks.check


def segment(name):
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))


def read_creators():
    """slug → {city, area, categories, price (lowest), languages (lowercased)}."""
    creators = {}
    folder = os.path.join(content, "creators")
    for slug in os.listdir(folder):
        text = open(os.path.join(folder, slug, "index.md"), encoding="utf-8").read()
        front = text.split("\n---", 1)[0]
        field = lambda key: (re.search(r"^%s:\s*(.+)$" % key, front, re.M) or [None, ""])[1].strip().strip('"')
        listed = lambda key: [item.strip().strip('"') for item in field(key).strip("[]").split(",") if item.strip()]
        prices = [int(p) for p in re.findall(r"^\s+price_from:\s*(\d+)", front, re.M)]
        creators[slug] = {"city": field("city"), "area": field("area"), "categories": listed("categories") or [field("category")],
                          "price": min(prices) if prices else 0, "languages": [l.lower() for l in listed("languages")]}
    return creators


def read_places():
    """(city, locality name) → (lat, lon), from cities.yml's {name, lat, lon} entries."""
    places, city = {}, None
    for line in open(os.path.join(content, "cities.yml"), encoding="utf-8"):
        top = re.match(r"^([a-z0-9-]+):\s*$", line)
        if top:
            city = top.group(1)
        place = re.search(r"\{name:\s*([^,]+),\s*lat:\s*([-\d.]+),\s*lon:\s*([-\d.]+)\}", line)
        if place and city:
            places[(city, place.group(1).strip())] = (float(place.group(2)), float(place.group(3)))
    return places


creators = read_creators()
places = read_places()
pune = {slug: c for slug, c in creators.items() if c["city"] == "pune"}


def status_of(path):
    try:
        with urllib.request.urlopen(site + path, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def card_slugs(html):
    return re.findall(r'class="card-link" href="/creators/([^/]+)/"', html)


def shown(browser):
    """The cards on screen (the built grid or the filtered list), each (slug, meta, note)."""
    return browser.script("""return Array.from(document.querySelectorAll(".grid .card-link")).filter(function (a) {
            return a.offsetParent !== null; }).map(function (a) {
            var note = a.querySelector(".card-note");
            return [decodeURIComponent(a.getAttribute("href").split("/")[2]), a.querySelector(".card-meta").textContent,
                    note ? note.textContent : ""]; });""")


def show_all(browser):
    """Presses "Show more" until every matching card is drawn."""
    for _ in range(20):
        browser.wait_for("return !document.querySelector('.grid[aria-busy]')")
        before = browser.script("""var b = Array.from(document.querySelectorAll("button")).filter(function (b) {
                return b.textContent == "Show more" && b.offsetParent !== null; })[0];
            if (!b) return -1;
            b.click(); return document.querySelectorAll(".grid .card").length;""")
        if before < 0:
            return
        browser.wait_for("return document.querySelectorAll('.grid .card').length > %d && !document.querySelector('.grid[aria-busy]')" % before)


def choose(browser, label, value):
    """Sets the filter field labelled `label` (a select) to `value`, as a visitor would."""
    browser.script("""var label = %s, value = %s;
        var field = Array.from(document.querySelectorAll(".filter-field")).filter(function (f) {
            return f.querySelector(".filter-label").textContent == label; })[0];
        var select = field.querySelector("select"); select.value = value;
        select.dispatchEvent(new Event("change"));""" % (json.dumps(label), json.dumps(value)))


def chosen(browser):
    """Each filter field's label → its select's value."""
    return dict(browser.script("""return Array.from(document.querySelectorAll(".filter-field")).map(function (f) {
        return [f.querySelector(".filter-label").textContent, f.querySelector("select").value]; });"""))


def settled(browser, count):
    """Waits until `count` cards of the filtered list are drawn (or the built grid shows)."""
    browser.wait_for("""var l = document.querySelector("[data-filter-results]");
        return l && (l.hidden || (l.querySelectorAll(".card").length >= %d && !l.hasAttribute("aria-busy")));""" % count)


def screenshot(browser, name):
    shot = browser._session("GET", "/screenshot")
    with open(os.path.join(screenshots, name), "wb") as out:
        out.write(base64.b64decode(shot))


def kilometres(a, b):
    radians = math.pi / 180
    d_lat, d_lon = (b[0] - a[0]) * radians, (b[1] - a[1]) * radians
    h = math.sin(d_lat / 2) ** 2 + math.cos(a[0] * radians) * math.cos(b[0] * radians) * math.sin(d_lon / 2) ** 2
    return 2 * 6371 * math.asin(min(1, math.sqrt(h)))


def without_script():
    # Every Pune creator is on the built pages, and the areas' pages are linked from them.
    pages, path, seen = 0, "/in/pune/", []
    while path and pages < 10:
        code, html = status_of(path)
        seen += card_slugs(html)
        pages += 1
        following = re.search(r'rel="next" href="([^"]+)"', html)
        path = following.group(1) if following else None
    check("without script the city's listing pages hold every one of its %d creators" % len(pune),
          sorted(seen) == sorted(pune), "%d of %d over %d pages" % (len(set(seen)), len(pune), pages))
    _, first = status_of("/in/pune/")
    linked = set(re.findall(r'href="/in/pune/([a-z0-9-]+)/"', first)) - {"page"}
    counts = {}
    for c in pune.values():
        if c["area"]:
            counts[segment(c["area"])] = counts.get(segment(c["area"]), 0) + 1
    check("the listing links every area with two or more creators, and only those",
          linked == {area for area, n in counts.items() if n >= 2}, "%s vs %s" % (sorted(linked), counts))
    # Area pages exist exactly at two creators, alone and with a category.
    wrong = []
    for city in sorted({c["city"] for c in creators.values()}):
        areas = {}
        local = {}
        for c in creators.values():
            if c["city"] != city or not c["area"]:
                continue
            areas[segment(c["area"])] = areas.get(segment(c["area"]), 0) + 1
            for category in c["categories"]:
                local[(category, segment(c["area"]))] = local.get((category, segment(c["area"])), 0) + 1
        for area, n in areas.items():
            if (status_of("/in/%s/%s/" % (city, area))[0] == 200) != (n >= 2):
                wrong.append("/in/%s/%s/ (%d)" % (city, area, n))
        for (category, area), n in local.items():
            if (status_of("/c/%s/in/%s/%s/" % (category, city, area))[0] == 200) != (n >= 2):
                wrong.append("/c/%s/in/%s/%s/ (%d)" % (category, city, area, n))
    check("area pages are built where two or more creators are, and nowhere else", not wrong, ", ".join(wrong[:5]))


def filters_and_sort(browser):
    browser.resize(1280, 900)
    browser.go(site + "/in/pune/")
    browser.wait_for("return !document.querySelector('[data-listing-filters]').hidden")
    check("the listing offers sort and filters once its script has run",
          browser.script("return document.querySelectorAll('.filter-bar select').length >= 3"))
    built = [slug for slug, _, _ in shown(browser)]

    choose(browser, "Sort", "price")
    settled(browser, 24)
    show_all(browser)
    cards = shown(browser)
    prices = [pune[slug]["price"] for slug, _, _ in cards]
    check("sorted by price: every Pune creator, cheapest first", sorted(s for s, _, _ in cards) == sorted(pune)
          and prices == sorted(prices), "%d cards, prices %s" % (len(cards), prices[:8]))
    check("the sort is in the URL", urllib.parse.urlparse(browser.url()).query == "sort=price", browser.url())

    baner = sorted(slug for slug, c in pune.items() if c["area"] == "Baner")
    choose(browser, "Area", "baner.pune")
    settled(browser, len(baner))
    cards = shown(browser)
    check("an area keeps exactly its creators", sorted(s for s, _, _ in cards) == baner, "%s vs %s" % (cards, baner))
    check("the area joins the sort in the URL", "area=baner.pune" in browser.url() and "sort=price" in browser.url(), browser.url())
    check("the page says how many match",
          browser.text(".filter-status") == "%d of %d match your filters" % (len(baner), len(pune)), browser.text(".filter-status"))

    browser._session("POST", "/back")
    browser.wait_for("return document.querySelector('.filter-bar select').value == 'price'"
                     " && !/area=/.test(location.search)")
    settled(browser, 24)
    show_all(browser)
    cards = shown(browser)
    check("back: the sort alone again, every creator and no area chosen",
          len(cards) == len(pune) and chosen(browser).get("Area") == ""
          and [pune[s]["price"] for s, _, _ in cards] == sorted(pune[s]["price"] for s, _, _ in cards), browser.url())
    browser._session("POST", "/back")
    browser.wait_for("return location.search == '' && !document.querySelector('[data-listing-grid]').hidden")
    check("back again: the page as built, its pager back", [s for s, _, _ in shown(browser)] == built
          and browser.script("var p = document.querySelector('[data-listing-pager]'); return !p || !p.hidden"))

    # A shared link: filters applied on arrival, in the controls too.
    browser.go(site + "/in/pune/?price=under-1000&lang=hindi")
    wanted = sorted(s for s, c in pune.items() if 0 < c["price"] < 1000 and "hindi" in c["languages"])
    settled(browser, len(wanted))
    cards = shown(browser)
    check("a shared link's filters apply on arrival (price band and language)",
          sorted(s for s, _, _ in cards) == wanted and chosen(browser).get("Price from") == "under-1000"
          and chosen(browser).get("Speaks") == "hindi", "%s vs %s" % ([s for s, _, _ in cards], wanted))
    for width, height in ((390, 844), (1280, 900)):
        browser.resize(width, height)
        browser.go(site + "/in/pune/?price=under-1000&sort=price")
        settled(browser, 1)
        screenshot(browser, "listing-filters-%dx%d.png" % (width, height))
    check("no script errors or policy violations on the listing",
          not [entry for entry in browser.console() if entry.get("level") == "SEVERE"], browser.console())


def city_then_area(browser):
    # A category across cities: a city first, then that city's areas are offered.
    browser.resize(1280, 900)
    cakes = {s: c for s, c in creators.items() if "cakes" in c["categories"]}
    browser.go(site + "/c/cakes/")
    browser.wait_for("return !document.querySelector('[data-listing-filters]').hidden")
    check("across cities the areas wait for a city", browser.script(
        """var f = Array.from(document.querySelectorAll(".filter-field")).filter(function (f) {
               return f.querySelector(".filter-label").textContent == "Area"; })[0]; return f.hidden;"""))
    choose(browser, "City", "pune")
    wanted = sorted(s for s, c in cakes.items() if c["city"] == "pune")
    settled(browser, len(wanted))
    check("a city keeps its creators of the listing", sorted(s for s, _, _ in shown(browser)) == wanted and "city=pune" in browser.url(),
          "%s vs %s" % (shown(browser), wanted))
    offered = browser.script("""var f = Array.from(document.querySelectorAll(".filter-field")).filter(function (f) {
            return f.querySelector(".filter-label").textContent == "Area"; })[0];
        return f.hidden ? null : Array.from(f.querySelectorAll("option")).map(function (o) { return o.textContent; }).slice(1);""")
    check("then the areas offered are that city's, where its creators are",
          offered == sorted({cakes[s]["area"] for s in wanted if cakes[s]["area"]}), offered)


def near_me(browser):
    browser.resize(1280, 900)
    origin = site
    here = places[("pune", "Baner")]
    browser.cdp("Browser.grantPermissions", {"origin": origin, "permissions": ["geolocation"]})
    browser.cdp("Emulation.setGeolocationOverride", {"latitude": here[0], "longitude": here[1], "accuracy": 30})
    browser.go(site + "/in/pune/")
    browser.wait_for("return !document.querySelector('[data-listing-filters]').hidden")
    browser.script("Array.from(document.querySelectorAll('.filter-bar button')).filter(function (b) { return b.textContent == 'Near me'; })[0].click()")
    browser.wait_for("return /sort=near/.test(location.search) && Array.from(document.querySelectorAll('[data-filter-results] .card-note'))"
                     ".some(function (n) { return /km away/.test(n.textContent); })")
    show_all(browser)
    cards = shown(browser)
    distances = []
    for slug, _, _ in cards:
        place = places.get(("pune", pune[slug]["area"]))
        distances.append(kilometres(here, place) if place else float("inf"))
    check("Near me: every creator, nearest first from the browser's position",
          len(cards) == len(pune) and distances == sorted(distances), "%s" % [round(d, 1) for d in distances[:10]])
    check("the nearest say so on their cards", cards and pune[cards[0][0]]["area"] == "Baner" and cards[0][2] == "Under 1 km away",
          cards[:2])
    check("the button shows it is on", browser.script(
        "return document.querySelector('.filter-bar button[aria-pressed]').getAttribute('aria-pressed')") == "true")
    screenshot(browser, "listing-near-me-1280x900.png")

    # Refused: the page says so and keeps the ranked order.
    browser.cdp("Browser.setPermission", {"origin": origin, "permission": {"name": "geolocation"}, "setting": "denied"})
    browser.go(site + "/in/pune/?sort=near")
    browser.wait_for("return /not available/.test((document.querySelector('.filter-status') || {}).textContent || '')")
    check("a refused location is said, and the sort goes back to recommended",
          "sort=" not in browser.url() and browser.script("return document.querySelector('.filter-bar select').value") == "", browser.url())
    browser.cdp("Emulation.clearGeolocationOverride")


def search_filters(browser):
    browser.resize(1280, 900)
    cake = [s for s, c in creators.items() if "cakes" in c["categories"]]
    browser.go(site + "/search/?q=cake")
    browser.wait_for("return /found/.test(document.querySelector('[data-search-status]').textContent)"
                     " && !document.querySelector('[data-search-filters]').hidden")
    before = len(shown(browser))
    choose(browser, "Speaks", "hindi")
    browser.wait_for("return /lang=hindi/.test(location.search) && /match your filters/.test(document.querySelector('.filter-status').textContent)")
    show_all(browser)
    cards = shown(browser)
    check("search results narrow by language, the query kept in the URL",
          cards and all("hindi" in creators[s]["languages"] for s, _, _ in cards) and "q=cake" in browser.url()
          and len(cards) < before + 1, "%s" % [s for s, _, _ in cards])
    choose(browser, "Sort", "price")
    browser.wait_for("return /sort=price/.test(location.search)")
    show_all(browser)
    cards = shown(browser)
    prices = [creators[s]["price"] for s, _, _ in cards]
    check("and sort by price", prices == sorted(prices) and any(s in cake for s, _, _ in cards), prices)


def main():
    without_script()
    browser = Browser(driver)
    try:
        for flow in (filters_and_sort, city_then_area, near_me, search_filters):
            try:
                flow(browser)
            except (WebDriverError, AssertionError, KeyError, ValueError, TypeError, IndexError):
                checks.stopped(flow.__name__.replace("_", " "), traceback.format_exc().strip().split("\n")[-1])
    finally:
        browser.quit()
    checks.finish()


main()
