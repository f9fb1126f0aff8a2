"""The customer's contact flow in a real browser (headless chromium), against a real
`haat serve --demo` on a temporary SQLite file: reveal two numbers, be offered the plans,
pay through Checkout (the demo's test stand-in), and see the third number at once.

Usage: contact_flow.py SITE_URL DRIVER_URL SLUG_A SLUG_B SLUG_C
Prints one line per check and ends with "browser: N passed, N failed".
"""
import sys
import time
import traceback

from webdriver import Browser, Checks

site, driver, first, second, third = sys.argv[1:6]
checks = Checks()
check = checks.check


browser = None
try:
    browser = Browser(driver)
    browser.go(site + "/creators/%s/" % first)
    browser.click("[data-contact]")  # not signed in: sign in by a code here, or by email on /account/
    browser.click("[data-contact-result] [data-email-sign-in]")
    check("signed-out contact leads to /account/", "/account/?next=/creators/%s/" % first in browser.url(), browser.url())

    stamp = str(int(time.time() * 1000))
    browser.type('[data-form="register"] input[name="name"]', "Browser Customer")
    browser.type('[data-form="register"] input[name="email"]', "browser-%s@example.com" % stamp)
    browser.type('[data-form="register"] input[name="password"]', "a browser password")
    browser.click('[data-form="register"] button')
    call = browser.attribute('[data-contact-result] a[href^="tel:"]', "href")
    check("sign-up returns to the creator and reveals the number", call and call.startswith("tel:+91"), str(call))
    note = browser.text_containing("[data-contact-note]", "left")
    check("the reveal says how many free contacts are left", "1 of 2" in note, note)

    browser.go(site + "/creators/%s/" % second)
    browser.type('[data-contact-details] input[name="service"]', "A birthday order")
    browser.click("[data-contact]")
    call = browser.attribute('[data-contact-result] a[href^="tel:"]', "href")
    check("a second creator's number is revealed in place", call and call.startswith("tel:+91"), str(call))

    browser.go(site + "/creators/%s/" % third)
    browser.click("[data-contact]")
    offer = browser.text_containing("[data-contact-result]", "Choose a plan")
    check("the third creator offers the plans", "Choose a plan" in offer and "One month" in offer, offer)

    # Out of free contacts: buy a plan from the prompt, through Checkout.
    browser.click('[data-contact-result] [data-buy-plan="month"]')
    check("Checkout opens, labelled as test payments", "no money moves" in browser.text("[data-fake-checkout]"))
    browser.click('[data-fake-checkout] [data-fake-pay="failed"]')
    failed = browser.text_containing("[data-payment-status]", "failed")
    check("a failed payment says so and leaves Checkout open to retry", "failed" in failed, failed)
    browser.click('[data-fake-checkout] [data-fake-pay="captured"]')
    call = browser.attribute('[data-contact-result] a[href^="tel:"]', "href")
    check("once paid, the third creator's number is revealed", call and call.startswith("tel:+91"), str(call))
    note = browser.text_containing("[data-contact-note]", "plan")
    check("the reveal is charged to the plan", "Included in your plan" in note, note)

    browser.go(site + "/creators/%s/" % first)
    browser.click("[data-contact]")
    note = browser.text_containing("[data-contact-note]", "before")
    check("contacting the first creator again is a free repeat", "contacted them before" in note, note)

    browser.go(site + "/")
    row = browser.text_containing("[data-for-you]", "For you", timeout=5)
    links = browser.script('return Array.prototype.map.call(document.querySelectorAll("[data-for-you-list] a"), function (a) { return a.getAttribute("href"); });') or []
    check("the home page's For you row suggests creators from this browser's history", "For you" in row and len(links) > 0, str(links))
    check("and never the creators already seen", not any("/creators/%s/" % s in links for s in (first, second, third)), str(links))

    browser.go(site + "/account/")
    quota = browser.text_containing("[data-quota]", "active")
    check("the account page shows the active plan", "Your plan is active until" in quota, quota)
    browser.click('[data-plans] [data-buy-plan="year"]')
    browser.click('[data-fake-checkout] [data-fake-close]')
    cancelled = browser.text_containing("[data-payment-status]", "cancelled")
    check("closing Checkout charges nothing and says so", "nothing was charged" in cancelled, cancelled)
except Exception:
    checks.stopped("flow", traceback.format_exc().strip().splitlines()[-1])
finally:
    if browser:
        browser.quit()

sys.exit(checks.finish())
