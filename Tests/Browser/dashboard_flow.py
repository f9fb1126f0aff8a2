"""The creator's live dashboard in a real browser (headless chromium), against a real
`haat serve`: a creator's open dashboard shows a lead made by a customer in another
browser session within a second; after a reconnect, no duplicates and no gaps. The
creator signs up with the email its profile names, and gets its leads only once an admin
confirms it as the owner in the console.

Usage: dashboard_flow.py SITE_URL DRIVER_URL SLUG CREATOR_EMAIL ADMIN_EMAIL ADMIN_PASSWORD
Prints one line per check and ends with "browser: N passed, N failed".
"""
import os
import re
import sys
import time
import traceback

from webdriver import Browser, Checks

site, driver, slug, creator_email, admin_email, admin_password = sys.argv[1:7]
# The profile's name, as its file gives it: the lead cards must show it.
with open(os.path.join(os.path.dirname(__file__), "..", "..", "content", "creators", slug, "index.md")) as profile_file:
    profile_name = re.search(r"^name: *(.+)$", profile_file.read(), re.M).group(1).strip().strip('"')
checks = Checks()
check = checks.check


def register(browser, name, email, creator=False):
    browser.go(site + "/account/")
    browser.type('[data-form="register"] input[name="name"]', name)
    browser.type('[data-form="register"] input[name="email"]', email)
    browser.type('[data-form="register"] input[name="password"]', "a browser password")
    if creator:
        browser.click('[data-form="register"] input[name="creator"]')
    browser.click('[data-form="register"] button')
    browser.find("[data-quota]")  # signed in


def reveal(browser, service, callback=None):
    browser.go(site + "/creators/%s/" % slug)
    browser.type('[data-contact-details] input[name="service"]', service)
    if callback:
        browser.type('[data-contact-details] input[name="callback_phone"]', callback)
    browser.click("[data-contact]")
    browser.find('[data-contact-result] a[href^="tel:"]')


def confirm_owner(browser):
    """The admin finds the profile under "Owner to confirm" and confirms its account."""
    browser.sign_in(site + "/account/?next=/admin/", admin_email, admin_password)
    browser.find("[data-queue]", timeout=10)
    browser.script('var s = document.querySelector("[data-console] select[name=status]"); s.value = "owners";'
                   ' s.dispatchEvent(new Event("change"));')
    card = '[data-creator="%s"]' % slug
    owner = browser.text(card + " [data-owner]", timeout=10)
    check("the console shows the unconfirmed owner's email", creator_email in owner and "not confirmed" in owner, owner)
    browser.click(card + ' [data-action="confirm-owner"]')
    browser.text_containing("[data-queue]", "No owner waits", timeout=10)


def lead_ids(browser):
    return browser.script('return Array.prototype.map.call(document.querySelectorAll("[data-lead]"), function (n) { return n.getAttribute("data-lead"); });')


creator = customer = None
try:
    creator = Browser(driver)
    customer = Browser(driver)
    stamp = str(int(time.time() * 1000))
    register(creator, "Browser Creator", creator_email, creator=True)
    admin = Browser(driver)
    try:
        confirm_owner(admin)
    finally:
        admin.quit()
    creator.go(site + "/dashboard/")
    creator.find('[data-live-status="live"]')
    check("the dashboard goes live", True)

    register(customer, "Browser Customer", "dash-%s@example.com" % stamp)
    reveal(customer, "A birthday cake", callback="9822012345")
    started = time.time()
    creator.find("[data-lead]", timeout=1.0)
    check("the open dashboard shows the lead within 1 s", time.time() - started <= 1.0, "%.2f s" % (time.time() - started))
    check("the lead shows the service asked for", "A birthday cake" in creator.text("[data-lead] .lead-service"))
    profile = creator.text_containing("[data-lead] [data-lead-profile]", profile_name)
    check("the lead names the profile by its name, not its slug", profile_name in profile and slug not in profile, profile)
    call_back = creator.attribute("[data-lead] a[data-call-back]", "href")
    check("the customer's callback number is one tap to call", call_back == "tel:+919822012345", str(call_back))
    check("and its button reads the number as people write it", creator.text("[data-lead] a[data-call-back]") == "Call +91 98220 12345")
    whatsapp = creator.attribute("[data-lead] a[data-whatsapp-back]", "href") or ""
    check("or to answer on WhatsApp, the message started", whatsapp.startswith("https://wa.me/919822012345?text=") and "birthday%20cake" in whatsapp, whatsapp)

    creator.go(site + "/dashboard/")  # a reconnect: the acknowledged lead is not replayed twice
    creator.find('[data-live-status="live"]')
    second = Browser(driver)
    try:
        register(second, "Second Customer", "dash2-%s@example.com" % stamp)
        reveal(second, "A photo frame")
    finally:
        second.quit()
    deadline = time.time() + 2
    ids = lead_ids(creator)
    while len(ids) < 2 and time.time() < deadline:
        time.sleep(0.05)
        ids = lead_ids(creator)
    check("after a reconnect: both leads, once each", len(ids) == 2 and len(set(ids)) == 2, str(ids))
    creator.click('[data-lead] [data-set-status="responded"]')
    creator.find('[data-lead][data-status="responded"]')
    check("a status button changes the lead", True)
    # Analytics refresh 150 ms after a lead arrives (several leads: one request), so wait for it.
    total = creator.text_containing("[data-analytics-total]", "2")
    check("analytics count the leads", total == "2", total)
except Exception:
    checks.stopped("dashboard flow", traceback.format_exc().strip().splitlines()[-1])
finally:
    for browser in (creator, customer):
        if browser:
            browser.quit()

sys.exit(checks.finish())
