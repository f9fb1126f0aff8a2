"""The admin console in a real browser (headless chromium), against a real `haat serve`
whose content has a pending edit of a live creator: sign in as admin, read the diff,
approve the edit, rebuild, and see the change on the public page.

Then reports: a customer reports a no-show of a creator it contacted, and that creator's
profile as fake (made through the API, with a creator of this flow's own that has an
account, so that suspending it touches no other flow's creator). The console shows each in
words, linking to the creator's page and to the contacts behind it, offers every
resolution the API has for it, worded as what it does; resolving moves it to Resolved with
its resolution in words, and the API confirms the words were true.

Usage: admin_flow.py SITE_URL DRIVER_URL SLUG ADMIN_EMAIL ADMIN_PASSWORD NEW_SENTENCE
Prints one line per check and ends with "browser: N passed, N failed".
"""
import json
import re
import sys
import time
import traceback
import urllib.request

from webdriver import Browser, Checks, api_call

site, driver, slug, email, password, sentence = sys.argv[1:7]
checks = Checks()
check = checks.check


def call(method, path, body=None, token=None, elsewhere=False):
    """The API as the other people of this flow use it; `elsewhere`: a customer signing up
    from another address (api_call's `source`)."""
    return api_call(site, method, path, body, token, source="127.0.0.2" if elsewhere else None)


def press(browser, css):
    """Clicks `css` once it is in the middle of the window (not under the sticky header)."""
    browser.find(css)
    browser.script("document.querySelector(%r).scrollIntoView({block: 'center'});" % css)
    browser.click(css)


# Scripts for reports_checks, each with a CSS selector put in for %r.
# {action: the words of its button} of the buttons the selector finds.
REPORT_BUTTONS = """
var out = {};
document.querySelectorAll(%r).forEach(function (b) { out[b.getAttribute("data-resolve")] = b.textContent; });
return out;
"""
LINKS = """
return Array.prototype.map.call(document.querySelectorAll(%r), function (a) { return a.getAttribute("href") + " " + a.textContent; });
"""
CONTACTS_SHOWN = """
var f = document.querySelector("[data-contacts-filter]");
return { customer: f && f.elements.customer.value,
         rows: Array.prototype.map.call(document.querySelectorAll("[data-attempts] tbody tr"), function (r) { return r.textContent; }) };
"""


def reports_checks(browser, admin):
    """The reports section, signed in as the admin (`admin`: the admin's access token)."""
    stamp = str(int(time.time() * 1000))
    dashboard = urllib.request.urlopen(site + "/dashboard/", timeout=30).read().decode()
    category = re.search(r'<select data-catalog-categories><option value="([^"]+)"', dashboard).group(1)
    city = re.search(r'<select data-catalog-cities><option value="([^"]+)"', dashboard).group(1)
    # A creator of its own (started through the API, so its account owns it, and approved),
    # and a customer who takes its number, then reports a no-show of that contact and,
    # apart, the profile as fake.
    baker_email, baker_password, report_slug = "reported-%s@example.com" % stamp, "a creator password", "reported-bakes-" + stamp[-6:]
    customer_email = "reporter-%s@example.com" % stamp
    _, baker = call("POST", "auth/register", {"email": baker_email, "password": baker_password, "name": "Reported Baker", "role": "creator"},
                    elsewhere=True)
    _, made = call("POST", "creator/profiles", {"slug": report_slug, "name": "Reported Bakes", "category": category, "city": city}, baker.get("access_token"))
    _, approved = call("POST", "admin/creators/%s/approve" % report_slug, token=admin)
    _, customer = call("POST", "auth/register", {"email": customer_email, "password": "a customer password", "name": "Reporting Customer"}, elsewhere=True)
    customer_token = customer.get("access_token")
    _, contact = call("POST", "creators/%s/contact" % report_slug, {"service": "A cake"}, customer_token)
    status, no_show = call("POST", "reports", {"contact_id": contact.get("contact_id"), "reason": "no_show",
                                               "details": "Nobody came to the tasting on Sunday."}, customer_token)
    status_fake, fake = call("POST", "reports", {"creator_slug": report_slug, "reason": "fake_profile", "details": "These photos are from a magazine."}, customer_token)
    check("a customer reports a no-show of a contact, and a profile as fake (API)", status == 201 and status_fake == 201,
          "%s %s %s %s %s" % (made, approved, contact, no_show, fake))

    card, fake_card = '[data-report="%s"]' % no_show.get("report_id"), '[data-report="%s"]' % fake.get("report_id")
    press(browser, '[data-tab="reports"]')
    text = browser.text_containing(card, "Didn't show up", timeout=10)
    check("the contact report says its reason in words, with its details and who reported it",
          "Didn't show up" in text and "Nobody came to the tasting" in text and customer_email + " (the customer of the contact)" in text, text)
    links = browser.script(LINKS % (card + " a"))
    check("the contact report links to its creator's page", "/creators/%s/ Creator's page" % report_slug in links, str(links))
    buttons = browser.script(REPORT_BUTTONS % (card + " [data-resolve]"))
    check("the contact report offers its three resolutions in words, naming whose account a suspension reaches",
          buttons == {"dismiss": "Dismiss: nothing wrong", "suspend_creator": "Suspend the creator (page off Haat)",
                      "suspend_user": "Suspend the creator's account"}, str(buttons))

    press(browser, card + ' [data-contacts-link="customer"]')
    browser.text_containing("[data-attempts]", report_slug, timeout=10)
    shown = browser.wait_for("var s = (function () {%s})(); return s.rows.length === 1 && s;" % CONTACTS_SHOWN) or browser.script(CONTACTS_SHOWN)
    check("it links to the Contacts section filtered to the customer's contacts",
          shown["customer"] == customer["user"]["id"] and len(shown["rows"]) == 1 and customer_email in shown["rows"][0] and report_slug in shown["rows"][0],
          str(shown))

    press(browser, '[data-tab="reports"]')
    text = browser.text_containing(fake_card, "Fake profile", timeout=10)
    links = browser.script(LINKS % (fake_card + " a"))
    buttons = browser.script(REPORT_BUTTONS % (fake_card + " [data-resolve]"))
    check("a profile report says \"Fake profile\", links to the profile and its contacts, and offers no account suspension",
          "Fake profile" in text and "/creators/%s/ Creator's page" % report_slug in links and "#contacts Contacts with %s" % report_slug in links
          and buttons == {"dismiss": "Dismiss: nothing wrong", "suspend_creator": "Suspend the creator (page off Haat)"}, "%s %s %s" % (text, links, buttons))

    browser.type(card + ' input[name="note"]', "Confirmed with the customer by phone.")
    press(browser, card + ' [data-resolve="suspend_user"]')
    gone = browser.wait_for("return document.querySelector(%r) === null && !!document.querySelector(%r);" % (card, fake_card))
    check("resolving takes the report off the open list", bool(gone))
    press(browser, fake_card + ' [data-resolve="dismiss"]')
    browser.wait_for("return document.querySelector(%r) === null;" % fake_card)
    browser.script('var s = document.querySelector("[data-console] select[name=status]"); s.value = "resolved"; s.dispatchEvent(new Event("change"));')
    text = browser.text_containing(card, "suspended", timeout=10)
    check("under Resolved the report shows its resolution in words, with its date and the note",
          re.search(r"Resolved on \d+ \w+ \d{4}, .+?: suspended the creator's account\.", text) is not None
          and "Confirmed with the customer by phone." in text, text)
    text = browser.text_containing(fake_card, "dismissed", timeout=10)
    check("the profile report shows it was dismissed, nothing wrong", "dismissed, nothing wrong" in text, text)

    # The words were true: the creator's account is suspended, its page is not, and the
    # customer who reported is untouched.
    status_baker, refused = call("POST", "auth/login", {"email": baker_email, "password": baker_password})
    _, suspended = call("GET", "admin/creators?status=suspended&limit=100", token=admin)
    status_me, _ = call("GET", "me", token=customer_token)
    check("suspending \"the creator's account\" suspended that account only: not the creator's page, not the customer",
          status_baker == 403 and refused.get("error", {}).get("code") == "account_suspended"
          and report_slug not in [c["slug"] for c in suspended.get("items", [])] and status_me == 200,
          "%s %s %s" % (status_baker, refused, status_me))


browser = None
try:
    browser = Browser(driver)
    browser.go(site + "/creators/%s/" % slug)
    check("before approval the public page lacks the edit", sentence not in browser.text("main"))

    browser.sign_in(site + "/account/?next=/admin/", email, password)
    card = '[data-creator="%s"]' % slug
    check("the queue lists the pending edit", "Edit of a live profile" in browser.text(card, timeout=10))

    browser.click(card + ' [data-action="diff"]')
    added = browser.text_containing(card + " [data-diff-fields] dd", sentence)
    check("the diff shows what an approval would put live", sentence in added, added)
    fields = browser.script('return Array.prototype.map.call(document.querySelectorAll(%r), function (n) { return n.textContent; });'
                            % (card + " [data-diff-fields] dt"))
    check("by field: the edit is one changed field, the story", fields == ["Story"], str(fields))
    browser.click(card + " .diff-raw summary")
    raw = browser.text_containing(card + " .diff-raw pre", "+ " + sentence)
    check("the whole text, line by line, is one click away", sentence in raw, raw)

    browser.click(card + ' [data-action="approve"]')
    browser.text_containing('[data-queue]', "Nothing waits", timeout=10)
    check("approving empties the queue", browser.script('return document.querySelector(%r) === null;' % card))

    browser.click('[data-tab="build"]')
    browser.click('[data-action="rebuild"]')
    status = browser.text_containing("[data-build-status]", "succeeded", timeout=60)
    check("the rebuild reports success with its pages", "succeeded" in status and "pages written" in status, status)

    browser.go(site + "/creators/%s/" % slug)
    check("the public page shows the approved edit", sentence in browser.text("main"))

    browser.go(site + "/admin/#audit")
    log = browser.text_containing("[data-console] table", "approve")
    check("the audit log records the approval by this admin", "approve" in log and email in log, log[:200])

    status, login = call("POST", "auth/login", {"email": email, "password": password})
    reports_checks(browser, login.get("access_token"))
except Exception:
    checks.stopped("flow", traceback.format_exc().strip().splitlines()[-1])
finally:
    if browser:
        browser.quit()

sys.exit(checks.finish())
