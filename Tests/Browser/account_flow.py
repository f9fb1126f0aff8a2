"""The customer's account in a real browser (headless chromium) on a phone-sized window
(390x844), against a real `haat serve --demo`: what was typed before signing up goes with
the reveal made after it; the creator page says what a reveal will cost before the click;
numbers read "+91 50000 12345"; /account/ lists every contact with working call links; a
review written there waits for an admin, who approves it in the console, and after a
rebuild it is on the creator's page; a report sent from the account page reaches the
admin console and is resolved there. Then the header on a listing page, signed in.

Last, a price edit written the way a form rewrites YAML (other quoting, one new price)
shows in the admin's diff as one changed field, and is rejected (the queue stays clean for
the flows after this one).

Usage: account_flow.py SITE_URL DRIVER_URL SLUG_A SLUG_B ADMIN_EMAIL ADMIN_PASSWORD CONTENT_DIR PRICE_SLUG
Prints one line per check and ends with "browser: N passed, N failed".
"""
import os
import re
import sys
import time
import traceback

from webdriver import Browser, Checks

site, driver, first, second, admin_email, admin_password, content, price_slug = sys.argv[1:9]
checks = Checks()
check = checks.check
READABLE_INDIAN = re.compile(r"^Call \+91 \d{5} \d{5}$")


def contact_items(browser):
    """The account page's contacts as [creator slug, call link text, tel: href]."""
    return browser.script("""
        return Array.prototype.map.call(document.querySelectorAll("[data-contact-list] [data-contact-id]"), function (item) {
          var call = item.querySelector("a[data-call]");
          return [item.getAttribute("data-creator"), call ? call.textContent : "", call ? call.getAttribute("href") : ""];
        });""") or []


browser = None
try:
    browser = Browser(driver)
    browser.resize(390, 844)
    # Signed out: the service and message are typed first, then the sign-up.
    browser.go(site + "/creators/%s/" % first)
    check("signed out, there is no report form to fill", not browser.script('return !!document.querySelector("[data-report-form]")'))
    browser.type('[data-contact-details] input[name="service"]', "Eggless birthday cake")
    browser.type('[data-contact-details] textarea[name="message"]', "For 12 people on Sunday")
    browser.click("[data-contact]")
    browser.click("[data-contact-result] [data-email-sign-in]")
    check("signed out, the number asks for a sign-in", "/account/?next=" in browser.url(), browser.url())
    stamp = str(int(time.time() * 1000))
    browser.type('[data-form="register"] input[name="name"]', "Meera Phone")
    browser.type('[data-form="register"] input[name="email"]', "meera-%s@example.com" % stamp)
    browser.type('[data-form="register"] input[name="password"]', "a browser password")
    browser.click('[data-form="register"] button')
    call = browser.text('[data-contact-result] a[data-call]')
    check("back from sign-up the number is revealed, written for reading", READABLE_INDIAN.match(call) is not None, call)
    note = browser.text_containing("[data-contact-note]", "left")
    check("and the note says what is left, no longer asking to sign in", "1 of 2" in note and "Sign in" not in note, note)

    # Signed in: before the click, the page says what showing the number costs.
    browser.go(site + "/creators/%s/" % second)
    note = browser.text_containing("[data-contact-note]", "free contact")
    check("signed in, the page says a reveal uses one of the free contacts left", "1 of your 1 free contact left" in note, note)
    summary = browser.text("#contact [data-report-form] summary")
    check("signed in, the creator page offers to report the profile", summary == "Report this profile", summary)
    browser.click("[data-contact]")
    browser.find("[data-contact-result] a[data-call]")
    browser.go(site + "/creators/%s/" % first)
    note = browser.text_containing("[data-contact-note]", "contacted them")
    check("a creator contacted before says the number again costs nothing", "uses nothing" in note, note)
    check("and its button says so", browser.text("[data-contact]") == "Show the number again", browser.text("[data-contact]"))

    # The account page: both contacts, newest first, with working call links.
    browser.go(site + "/account/")
    items = browser.wait_for('return document.querySelectorAll("[data-contact-list] [data-contact-id]").length >= 2 && true') and contact_items(browser)
    check("/account/ lists both contacts, newest first", [i[0] for i in items or []] == [second, first], str(items))
    check("each with a tel: link and the number written for reading",
          all(i[2].startswith("tel:+91") and READABLE_INDIAN.match(i[1]) for i in items or []), str(items))
    asked = browser.text('[data-creator="%s"]' % first)
    check("the contact keeps what was asked for before signing up", "Eggless birthday cake" in asked, asked)
    width = browser.script("return document.documentElement.scrollWidth")
    check("the account page fits a phone's width", width <= 390, str(width))

    # A review of the first creator: 4 stars and a sentence, then it waits for approval.
    review_text = "Beautiful cake, on time %s." % stamp
    item = '[data-creator="%s"] ' % first
    browser.click(item + "[data-review] summary")
    browser.click(item + '[data-review-form] input[name="rating"][value="4"]')
    browser.type(item + '[data-review-form] textarea[name="text"]', review_text)
    browser.click(item + "[data-review-form] button")
    state = browser.text_containing(item + "[data-review-status]", "approval")
    check("the review is sent and shown as waiting for approval", "waiting for approval" in state, state)
    browser.go(site + "/account/")
    state = browser.text_containing(item + "[data-review-status]", "approval")
    check("after a reload it is still there, not offered again", "waiting for approval" in state
          and not browser.script('return !!document.querySelector(%r)' % (item + "[data-review-form]")), state)

    # A report of the second contact, from the account page.
    report_details = "Did not answer for three days %s." % stamp
    item = '[data-creator="%s"] ' % second
    browser.click(item + "[data-report-form] summary")
    browser.script('var s = document.querySelector(%r); s.value = "no_show"; return true;' % (item + '[data-report-form] select[name="reason"]'))
    browser.type(item + '[data-report-form] textarea[name="details"]', report_details)
    browser.click(item + "[data-report-form] button")
    thanks = browser.text_containing(item + "[data-reported]", "report")
    check("the report is sent and thanked for", "reached our team" in thanks, thanks)

    # The header knows who is signed in on a listing page, on a phone.
    browser.go(site + "/categories/cakes/")
    name = browser.text("[data-top-name]")
    check("a listing page's header shows the first name on a phone", name == "Meera", name)

    # The admin, on a desktop window: the review is approved, the report resolved.
    browser.click("[data-top-name]")
    browser.click("[data-top-sign-out]")
    time.sleep(0.5)
    browser.resize(1280, 900)
    browser.sign_in(site + "/account/", admin_email, admin_password)
    browser.find("[data-sign-out]")
    browser.go(site + "/admin/#reviews")
    card = browser.text_containing("[data-review-id]", review_text, timeout=10)
    check("the review waits in the admin console", review_text in card, card)
    browser.click('[data-review-id] [data-action="approve-review"]')
    browser.text_containing("[data-reviews]", "No review waits")
    # The price edit, made now: the rebuild below imports it.
    index = os.path.join(content, "creators", price_slug, "index.md")
    with open(index) as source:
        text = source.read()
    old_price = re.search(r"price_from: (\d+)", text).group(1)
    text = text.replace("price_from: " + old_price, "price_from: %d" % (int(old_price) + 500), 1)
    text = re.sub(r"^(city|area|account): (.+)$", r'\1: "\2"', text, flags=re.M)
    with open(index, "w") as source:
        source.write(text)
    browser.click('[data-tab="build"]')
    browser.click('[data-action="rebuild"]')
    built = browser.text_containing("[data-build-status]", "succeeded", timeout=60)
    check("a rebuild succeeds", "succeeded" in built, built)
    browser.go(site + "/creators/%s/" % first)
    reviews = browser.text_containing("body", review_text, timeout=5)
    check("after the rebuild the review is on the creator's page", review_text in reviews)

    browser.go(site + "/admin/#queue")
    card = '[data-creator="%s"]' % price_slug
    browser.click(card + ' [data-action="diff"]')
    browser.find(card + " [data-diff-fields] dt")
    fields = browser.script('return Array.prototype.map.call(document.querySelectorAll(%r), function (n) { return n.textContent; });'
                            % (card + " [data-diff-fields] dt"))
    check("a reformatted price edit is one changed field in the admin's diff", fields == ["Services and prices"], str(fields))
    changed = browser.script('return Array.prototype.map.call(document.querySelectorAll(%r), function (n) { return n.textContent; });'
                             % (card + " [data-diff-fields] .diff-add, " + card + " [data-diff-fields] .diff-del"))
    check("and within it, only the service whose price changed", len(changed) == 2 and str(int(old_price) + 500) in changed[1].replace(",", ""), str(changed))
    browser.type(card + ' input[name="reason"]', "Checked in a test")
    browser.click(card + ' [data-action="reject"]')
    browser.text_containing("[data-queue]", "Nothing waits", timeout=10)

    browser.click('[data-tab="reports"]')
    report = browser.text_containing("[data-report]", report_details, timeout=10)
    check("the report from the account page reaches the admin console", report_details in report, report)
    check("naming the creator and who reported", "a contact with " + second in report and "the customer of the contact" in report, report)
    report_id = browser.script('var c = Array.prototype.filter.call(document.querySelectorAll("[data-report]"), function (n) {'
                               ' return n.textContent.indexOf(%r) >= 0; })[0]; return c && c.getAttribute("data-report");' % report_details)
    browser.click('[data-report="%s"] [data-resolve="dismiss"]' % report_id)
    deadline = time.time() + 10
    while time.time() < deadline and browser.script('return !!document.querySelector(\'[data-report="%s"]\')' % report_id):
        time.sleep(0.2)
    browser.script('var s = document.querySelector("select[name=status]"); s.value = "resolved"; s.dispatchEvent(new Event("change")); return true;')
    resolved = browser.text_containing('[data-report="%s"]' % report_id, "Resolved", timeout=10)
    check("the admin resolves it there, and it reads as resolved in words", "dismissed, nothing wrong" in resolved, resolved)
except Exception:
    checks.stopped("flow", traceback.format_exc().strip().splitlines()[-1])
finally:
    if browser:
        browser.quit()

sys.exit(checks.finish())
