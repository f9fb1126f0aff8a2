"""Accessibility of every page type in a real browser (headless chromium), against a real
`haat serve --demo`: axe-core (a packaged copy, injected through WebDriver) runs on each page
at a phone's size (390x844) and a desktop's (1280x900), signed out, as a customer, as a
creator (the dashboard and its profile editor) and as an admin (every console section), once
the page's scripts have drawn it; any violation of impact "critical" or "serious" fails that
page's check, naming the rule and the first elements it found; so does a form field with no
label (axe takes a placeholder for one). Then what axe does not see: the favicon and touch
icon, a focus ring on each control tabbed to, and search's "Show more" only when there is
more. A screenshot of every page checked, at both sizes, goes to SCREENSHOTS for a reviewer.

Usage: axe_flow.py SITE_URL DRIVER_URL AXE_JS SCREENSHOTS SLUG CREATOR_SLUG CREATOR_EMAIL ADMIN_EMAIL ADMIN_PASSWORD
  AXE_JS       axe.min.js (browser-tests.sh installs it)
  SCREENSHOTS  a folder for the PNGs
  SLUG         a creator whose page is checked
  CREATOR_SLUG, CREATOR_EMAIL  a profile and the account it names, which this flow signs
               up as a creator and has the admin confirm as its owner (no other flow uses it)
Prints one line per check and ends with "browser: N passed, N failed".
"""
import base64
import os
import re
import sys
import time
import traceback

from webdriver import Browser, Checks, WebDriverError

site, driver, axe_js, screenshots, slug, creator_slug, creator_email, admin_email, admin_password = sys.argv[1:10]
checks = Checks()
check = checks.check
SIZES = ((390, 844), (1280, 900))
PASSWORD = "a browser password"
# What fails a page; "moderate" and "minor" findings are left out.
FAILING = ("critical", "serious")

# axe.run on the whole document; only violations come back, each with its impact and the
# CSS selectors of the first few elements (enough to find the culprit, not a novel).
RUN_AXE = """
var done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ["violations"] }).then(function (results) {
  done(results.violations.map(function (v) {
    return { id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
             nodes: v.nodes.slice(0, 4).map(function (n) {
               return [n.target.join(" "), (n.failureSummary || "").split("\\n").slice(1, 2).join("").trim()];
             }) };
  }));
}, function (error) { done({ error: String(error) }); });
"""


# Form fields that no label names: axe accepts a placeholder as a field's name, but a
# placeholder goes as soon as one types, so here a field needs a <label>, aria-label or
# aria-labelledby.
UNLABELLED = """
return Array.prototype.filter.call(document.querySelectorAll("input, select, textarea"), function (f) {
  if (f.type === "hidden" || f.type === "submit" || f.type === "button" || !f.getClientRects().length) return false;
  return !(f.labels && f.labels.length) && !(f.getAttribute("aria-label") || "").trim() && !f.getAttribute("aria-labelledby");
}).map(function (f) {
  return f.tagName.toLowerCase() + (f.name ? '[name="' + f.name + '"]' : "") + (f.placeholder ? ' (placeholder "' + f.placeholder + '")' : "");
});
"""


def run_axe(browser):
    """The page's violations (a list of dicts), axe injected first when the page has none."""
    if not browser.script("return !!window.axe;"):
        browser.script(AXE_SOURCE + "\nreturn true;")
    found = browser._session("POST", "/execute/async", {"script": RUN_AXE, "args": []})
    if isinstance(found, dict) and "error" in found:
        raise WebDriverError("axe.run failed: " + found["error"])
    return found


def describe(violations):
    """Each violation: its rule, impact and help, then its first elements, each with what axe
    found wrong there (e.g. the contrast and both colours)."""
    return "".join("\n    %s (%s): %s; %d element%s" % (v["id"], v["impact"], v["help"], v["count"], "" if v["count"] == 1 else "s")
                   + "".join("\n      %s: %s" % (target, why) for target, why in v["nodes"]) for v in violations)


def viewport(browser, width, height):
    """The page's viewport at width x height: the window is sized, then grown by what the
    browser's own frame takes of it (headless chromium keeps some 140 px of height)."""
    browser.resize(width, height)
    inner = browser.script("return [window.innerWidth, window.innerHeight];")
    if inner != [width, height]:
        browser.resize(2 * width - inner[0], 2 * height - inner[1])


pages_shot = []


def screenshot(browser, name, width, height):
    """The viewport as a PNG, named in the order the pages were checked."""
    if name not in pages_shot:
        pages_shot.append(name)
    png = base64.b64decode(browser._session("GET", "/screenshot"))
    path = os.path.join(screenshots, "%02d-%s-%dx%d.png" % (pages_shot.index(name) + 1, name, width, height))
    with open(path, "wb") as out:
        out.write(png)


class Quiet:
    """A `ready` condition: the element `css` exists and its markup stopped changing (for
    panels that draw several answers, whatever they turn out to hold)."""

    def __init__(self, css):
        self.css = css


def settled(browser, ready):
    """Waits for the page's load, then for `ready`: what the page's scripts draw last, as a CSS
    selector, a (selector, text it must come to contain) pair, a Quiet, or a list of those.
    Then a moment for what the same answer draws beside it."""
    deadline = time.time() + 10
    while browser.script("return document.readyState;") != "complete" and time.time() < deadline:
        time.sleep(0.05)
    for wanted in ready if isinstance(ready, list) else [ready]:
        if isinstance(wanted, Quiet):
            browser.find(wanted.css, timeout=10)
            markup, same, deadline = None, 0, time.time() + 10
            while same < 3 and time.time() < deadline:
                time.sleep(0.2)
                now = browser._session("POST", "/execute/sync", {"args": [wanted.css],
                                       "script": "var e = document.querySelector(arguments[0]); return e ? e.innerHTML : '';"})
                same = same + 1 if now == markup else 0
                markup = now
        elif isinstance(wanted, tuple):
            text = browser.text_containing(wanted[0], wanted[1], timeout=10)
            if wanted[1] not in text:
                raise WebDriverError("%s never said %r on %s (it says %r)" % (wanted[0], wanted[1], browser.url(), text))
        else:
            browser.find(wanted, timeout=10)
    time.sleep(0.3)


def audit(browser, name, path, ready, before=None):
    """Checks one page at both sizes: loaded fresh at each size (layouts differ), `before`
    (e.g. a click that opens a panel) run on it, settled, then axe and a screenshot."""
    for width, height in SIZES:
        label = "%s at %dx%d: no critical or serious axe violation, every field labelled" % (name, width, height)
        try:
            viewport(browser, width, height)
            browser.go(site + path)
            if before:
                before(browser)
            settled(browser, ready)
            violations = [v for v in run_axe(browser) if v["impact"] in FAILING]
            unlabelled = browser.script(UNLABELLED)
            if unlabelled:
                violations.append({"id": "field-label", "impact": "serious", "help": "Form fields must have a label, not only a placeholder",
                                   "count": len(unlabelled), "nodes": [(field, "no <label>, aria-label or aria-labelledby") for field in unlabelled[:4]]})
            screenshot(browser, re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"), width, height)
            check(label, not violations, describe(violations))
        except Exception:
            checks.stopped("check of %s at %dx%d" % (name, width, height), traceback.format_exc().strip().splitlines()[-1])


def sign_up(browser, name, email, creator=False):
    browser.go(site + "/account/")
    browser.type('[data-form="register"] input[name="name"]', name)
    browser.type('[data-form="register"] input[name="email"]', email)
    browser.type('[data-form="register"] input[name="password"]', PASSWORD)
    if creator:
        browser.click('[data-form="register"] input[name="creator"]')
    browser.click('[data-form="register"] button')
    browser.find("[data-quota]", timeout=10)


def sign_in(browser, email, password):
    browser.sign_in(site + "/account/", email, password)
    browser.find("[data-quota]", timeout=10)


def press_tab(browser):
    tab = "\ue004"
    browser._session("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard",
                                                       "actions": [{"type": "keyDown", "value": tab}, {"type": "keyUp", "value": tab}]}]})


def focus_rings(browser, path, count):
    """Tabs through the first `count` controls of `path`: each must show a focus ring (an
    outline of 2 px or more). Returns those that do not."""
    browser.go(site + path)
    settled(browser, "main")
    bare = []
    for _ in range(count):
        press_tab(browser)
        ring = browser.script("""var e = document.activeElement, s = getComputedStyle(e);
            return [e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : "") + " " + (e.textContent || e.name || "").trim().slice(0, 30),
                    s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2];""")
        if not ring[1]:
            bare.append(ring[0])
    return bare


def icons(browser):
    """The page's icon links, each fetched: [rel, href, status, content type, width, height]."""
    return browser._session("POST", "/execute/async", {"args": [], "script": """
        var done = arguments[arguments.length - 1];
        Promise.all(["icon", "apple-touch-icon"].map(function (rel) {
          var link = document.querySelector('link[rel="' + rel + '"]');
          if (!link) return [rel, null];
          return fetch(link.href).then(function (r) {
            var type = r.headers.get("content-type");
            return new Promise(function (resolve) {
              var img = new Image();
              img.onload = function () { resolve([rel, link.getAttribute("href"), r.status, type, img.naturalWidth, img.naturalHeight]); };
              img.onerror = function () { resolve([rel, link.getAttribute("href"), r.status, type, 0, 0]); };
              img.src = link.href;
            });
          });
        })).then(done, function (e) { done(String(e)); });"""})


def results(browser):
    """The search page now: [creators found, cards shown, whether "Show more" is displayed]."""
    return browser.script("""var status = document.querySelector("[data-search-status]").textContent,
            more = document.querySelector("[data-search-more]");
        return [parseInt(status, 10), document.querySelectorAll("[data-search-results] .card").length, more.getClientRects().length > 0];""")


def search(browser, query):
    browser.go(site + "/search/?q=" + query)
    settled(browser, [("[data-search-status]", "found"), "[data-search-results] .card"])
    # Cards come a screenful first, then the rest of the page: the list is aria-busy till then.
    browser.wait_for("return !document.querySelector('[data-search-results][aria-busy]')")
    return results(browser)


def show_owners(browser):
    browser.find("[data-console] select[name=status]")
    browser.script('var s = document.querySelector("[data-console] select[name=status]"); s.value = "owners";'
                   ' s.dispatchEvent(new Event("change"));')


def open_menu(browser):
    browser.click("[data-top-name]")


def reveal(browser):
    browser.click("[data-contact]")


def section(key):
    """Opens the admin console's section `key` by its tab, as an admin would."""
    return lambda browser: browser.click('[data-tab="%s"]' % key)


stamp = str(int(time.time() * 1000))
visitor = customer = creator = admin = None
try:
    with open(axe_js, encoding="utf-8") as source:  # browser-tests.sh says why when it could not install it
        AXE_SOURCE = source.read()
    os.makedirs(screenshots, exist_ok=True)
    # Signed out: every public page, and the signed-in pages' invitations to sign in.
    visitor = Browser(driver)
    visitor.go(site + "/")
    category = visitor.script('var a = document.querySelector(\'.cats a[href^="/c/"]\'); return a && a.getAttribute("href");')
    city = visitor.script('var a = document.querySelector(\'.cities a[href^="/in/"]\'); return a && a.getAttribute("href");')
    audit(visitor, "home", "/", "[data-top-account] a")
    audit(visitor, "category listing %s" % category, category, ".grid .card")
    audit(visitor, "city listing %s" % city, city, ".grid .card")
    audit(visitor, "creator page", "/creators/%s/" % slug, "[data-contact]")
    # search.js draws the results from the index: wait for its count and the first card.
    audit(visitor, "search for cake", "/search/?q=cake", [("[data-search-status]", "found"), "[data-search-results] .card"])
    audit(visitor, "account, signed out", "/account/", '[data-form="register"]')
    audit(visitor, "dashboard, signed out", "/dashboard/", '[data-app="dashboard"] a.btn')
    audit(visitor, "admin, signed out", "/admin/", '[data-app="admin"] a.btn')
    audit(visitor, "page not found", "/no-such-page/", "#nf-q")

    # What axe does not see: the icons, a focus ring on each control, "Show more" only when
    # there is more.
    visitor.go(site + "/")
    found = icons(visitor)
    check("a favicon (SVG) and a 180x180 touch icon, both served", isinstance(found, list) and len(found) == 2
          and found[0][2:4] == [200, "image/svg+xml"] and found[0][4] > 0
          and found[1][2:6] == [200, "image/png", 180, 180], str(found))
    for path in ("/", "/account/"):
        viewport(visitor, 1280, 900)
        bare = focus_rings(visitor, path, 8)
        check("the first 8 controls of %s show a focus ring when tabbed to" % path, not bare, "no ring: %s" % bare)
    few = search(visitor, "cake")
    check("search for cake (one page of results): no Show more", few[0] == few[1] and not few[2], "found, shown, Show more: %s" % few)
    first = after = search(visitor, "pune")  # 28 sample creators in Pune, 24 to a page
    if first[2]:
        visitor.click("[data-search-more]")
        deadline = time.time() + 5
        while after[1] < after[0] and time.time() < deadline:
            time.sleep(0.1)
            after = results(visitor)
    check("search for pune (more than a page): Show more, which shows the rest and then goes",
          first[0] > first[1] and first[2] and after[0] == after[1] and not after[2],
          "found, shown, Show more: %s, then %s" % (first, after))

    # An admin: every section of the console, with the creator below waiting in the queue as
    # its profile's owner; then the admin confirms it.
    creator = Browser(driver)
    sign_up(creator, "Axe Creator", creator_email, creator=True)
    admin = Browser(driver)
    sign_in(admin, admin_email, admin_password)
    audit(admin, "admin console, queue", "/admin/", "[data-queue]")
    audit(admin, "admin console, an owner to confirm", "/admin/", '[data-creator="%s"] [data-action="confirm-owner"]' % creator_slug,
          before=show_owners)
    admin.click('[data-creator="%s"] [data-action="confirm-owner"]' % creator_slug)
    admin.text_containing("[data-queue]", "No owner waits", timeout=10)
    # Each section draws what its requests answer: checked once its panel stops changing.
    for key in ("build", "contacts", "stats", "subscriptions", "users", "reports", "reviews", "audit"):
        audit(admin, "admin console, %s" % key, "/admin/", ['[data-tab="%s"][aria-pressed="true"]' % key, Quiet("[data-console]")],
              before=section(key))

    # A customer: the header's menu, the account with its quota and plans, and the number of
    # the creator above revealed (a lead on its dashboard).
    customer = Browser(driver)
    sign_up(customer, "Axe Customer", "axe-%s@example.com" % stamp)
    audit(customer, "home, signed in", "/", "[data-top-name]")
    audit(customer, "category listing, signed in, account menu open", category, ".top-menu-list a", before=open_menu)
    audit(customer, "account, signed in", "/account/", [("[data-quota]", "Free contacts left"), "[data-plans] [data-buy-plan]"])
    audit(customer, "search, signed in", "/search/?q=cake", [("[data-search-status]", "found"), "[data-search-results] .card"])
    audit(customer, "creator page, number revealed", "/creators/%s/" % creator_slug, '[data-contact-result] a[href^="tel:"]',
          before=reveal)

    # The creator, its profile's confirmed owner: the live lead inbox and the profile editor.
    audit(creator, "dashboard, leads", "/dashboard/", ['[data-live-status="live"]', "[data-lead]", "[data-analytics-total]"])
    audit(creator, "dashboard, my profile", "/dashboard/#profile", "[data-profile-form]")
except Exception:
    checks.stopped("axe flow", traceback.format_exc().strip().splitlines()[-1])
finally:
    for browser in (visitor, customer, creator, admin):
        if browser:
            browser.quit()

sys.exit(checks.finish())
