"""The session and the pages' policy in a real browser (headless chromium), against a real
`haat serve --demo` over plain http on 127.0.0.1: after signing in, no token is in
localStorage or sessionStorage (the refresh token is an HttpOnly cookie scoped to the
auth routes, the access token in the page's memory), a reload stays signed in, ?next= never
leads off the site, and the main pages run under their Content-Security-Policy without
one violation in the browser's log.

Usage: session_flow.py SITE_URL DRIVER_URL SLUG
Prints one line per check and ends with "browser: N passed, N failed".
"""
import re
import sys
import time
import traceback
from urllib.parse import quote, urlsplit

from webdriver import Browser, Checks

site, driver, slug = sys.argv[1:4]
checks = Checks()
check = checks.check
JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")


def storage(browser):
    """Every key and value of localStorage and sessionStorage, as one list of pairs."""
    return browser.script("""
        var pairs = [];
        [localStorage, sessionStorage].forEach(function (store) {
          for (var i = 0; i < store.length; i++) pairs.push([store.key(i), store.getItem(store.key(i))]);
        });
        return pairs;""") or []


def refresh_cookie(browser):
    found = [c for c in browser.cookies() if c.get("name") == "haat_refresh"]
    return found[0] if found else None


def sign_in_form(browser, kind, email, password="a browser password"):
    if kind == "register":
        browser.type('[data-form="register"] input[name="name"]', "Session Customer")
    browser.type('[data-form="%s"] input[name="email"]' % kind, email)
    browser.type('[data-form="%s"] input[name="password"]' % kind, password)
    browser.click('[data-form="%s"] button' % kind)


def path_of(browser):
    parts = urlsplit(browser.url())
    return "%s://%s" % (parts.scheme, parts.netloc), parts.path


def policy_problems(entries):
    return [e.get("message", "") for e in entries
            if "Content Security Policy" in e.get("message", "") or "Permissions-Policy" in e.get("message", "")]


browser = None
try:
    browser = Browser(driver)
    email = "session-%s@example.com" % int(time.time() * 1000)

    # Signing up from a link whose next= is another host stays on the site.
    browser.go(site + "/account/?next=" + quote("//2130706433/", safe=""))
    sign_in_form(browser, "register", email)
    signed = browser.text_containing('[data-app="account"]', "Signed in as")
    origin, path = path_of(browser)
    check("sign-up with next=//2130706433/ stays on the site", origin == site and path == "/account/" and "Signed in as" in signed,
          browser.url())
    browser.find("[data-quota]")

    pairs = storage(browser)
    cookie = refresh_cookie(browser)
    check("the refresh token is a cookie: HttpOnly, Secure, SameSite=Strict, only for /api/v1/auth/",
          cookie is not None and cookie.get("httpOnly") and cookie.get("secure") and cookie.get("sameSite") == "Strict"
          and cookie.get("path") == "/api/v1/auth/", str(cookie))
    token = (cookie or {}).get("value", "")
    check("no token in localStorage or sessionStorage",
          token and not any(token in (v or "") or JWT.search(v or "") or "token" in (k or "").lower() for k, v in pairs), str(pairs))

    browser.go(site + "/account/")
    check("page scripts cannot read the refresh cookie", "haat_refresh" not in (browser.script("return document.cookie;") or ""))
    quota = browser.text_containing("[data-quota]", "Free contacts left")
    check("a reload stays signed in", "Free contacts left" in quota, quota)
    rotated = refresh_cookie(browser)
    check("the reload's refresh rotated the cookie", rotated is not None and rotated.get("value") != token, str(rotated))
    # What a script injected into a page could do: ask for a session itself.
    keys = browser.script('return fetch("/api/v1/auth/refresh", {method: "POST"}).then(function (r) { return r.json(); })'
                          '.then(function (j) { return Object.keys(j).sort(); });')
    check("a page script asking /auth/refresh gets an access token but never the refresh token",
          keys == ["access_token", "expires_in", "user"], str(keys))

    # Sign out: the server clears the cookie; then sign in with an absolute next=.
    browser.go(site + "/account/")
    browser.click("[data-sign-out]")
    browser.find('[data-form="login"]')
    check("signing out clears the refresh cookie", refresh_cookie(browser) is None)
    check("signed out, the header says Sign in", browser.text("[data-top-account]").strip() == "Sign in",
          browser.text("[data-top-account]"))
    for next_value in ("https://evil.example/", "/\\evil.example/", "/\t/evil.example/"):
        browser.go(site + "/account/?next=" + quote(next_value, safe=""))
        if "Signed in as" in browser.text('[data-app="account"]'):
            browser.click("[data-sign-out]")
            browser.find('[data-form="login"]')
        sign_in_form(browser, "login", email)
        browser.text_containing('[data-app="account"]', "Signed in as")
        origin, path = path_of(browser)
        check("sign-in with next=%r stays on the site" % next_value, origin == site and path == "/account/", browser.url())

    # A next= on the site is followed: back to the creator, whose number is revealed.
    browser.click("[data-sign-out]")
    browser.find('[data-form="login"]')
    browser.go(site + "/account/?next=" + quote("/creators/%s/" % slug, safe=""))
    sign_in_form(browser, "login", email)
    call = browser.attribute('[data-contact-result] a[href^="tel:"]', "href")
    check("sign-in with next=/creators/%s/ returns there and reveals the number" % slug, call and call.startswith("tel:"), str(call))

    # The header of every page knows who is signed in, on a desktop and on a phone.
    browser.go(site + "/")
    listing = browser.script('var a = document.querySelector(\'a[href^="/c/"]\'); return a && a.getAttribute("href");') or "/c/"
    for width, height in ((1280, 900), (390, 844)):
        browser.resize(width, height)
        browser.go(site + listing)
        name = browser.text_containing("[data-top-name]", "Session")
        shown = browser.script('var e = document.querySelector("[data-top-name]"), r = e && e.getBoundingClientRect();'
                               'return !!r && r.width > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth;')
        browser.click("[data-top-name]")
        links = browser.script('return Array.from(document.querySelectorAll(".top-menu-list a")).map(function (a) {'
                               ' return a.getAttribute("href"); });')
        check("the header of a listing at %dx%d names the signed-in customer, with Account and Sign out" % (width, height),
              name.startswith("Session") and shown and links == ["/account/"] and browser.find("[data-top-sign-out]"),
              "%r %r %r" % (name, shown, links))
    browser.resize(412, 1200)

    # The main pages under their policies, Checkout (the demo's stand-in) opened on one.
    browser.console()  # what came before is not this check's
    for page in ("/", listing, "/creators/%s/" % slug, "/search/?q=cake", "/account/", "/dashboard/", "/admin/", "/no-such-page/"):
        browser.go(site + page)
        browser.find("main")
        time.sleep(0.3)
    browser.go(site + "/account/")
    browser.click('[data-plans] [data-buy-plan="month"]')
    browser.find("[data-fake-checkout]")
    browser.click("[data-fake-checkout] [data-fake-close]")
    browser.text_containing("[data-payment-status]", "cancelled")
    problems = policy_problems(browser.console())
    check("no Content-Security-Policy or Permissions-Policy message on the main pages and Checkout", not problems, str(problems[:3]))
    # The same log does report a violation: an inline style, as an injected script would add.
    browser.script('var s = document.createElement("style"); s.textContent = "main { color: red; }"; document.head.appendChild(s);')
    time.sleep(0.3)
    check("an inline style is refused, and the log says so", policy_problems(browser.console()))
except Exception:
    checks.stopped("session flow", traceback.format_exc().strip().splitlines()[-1])
finally:
    if browser:
        browser.quit()

sys.exit(checks.finish())
