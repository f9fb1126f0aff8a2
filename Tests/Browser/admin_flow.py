"""The admin console in a real browser (headless chromium), against a real `haat serve`
whose content has a pending edit of a live creator: sign in as admin, read the diff,
approve the edit, rebuild, and see the change on the public page.

Usage: admin_flow.py SITE_URL DRIVER_URL SLUG ADMIN_EMAIL ADMIN_PASSWORD NEW_SENTENCE
Prints one line per check and ends with "browser: N passed, N failed".
"""
import sys
import time
import traceback

from webdriver import Browser, Checks

site, driver, slug, email, password, sentence = sys.argv[1:7]
checks = Checks()
check = checks.check

browser = None
try:
    browser = Browser(driver)
    browser.go(site + "/creators/%s/" % slug)
    check("before approval the public page lacks the edit", sentence not in browser.text("main"))

    browser.go(site + "/account/?next=/admin/")
    browser.type('[data-form="login"] input[name="email"]', email)
    browser.type('[data-form="login"] input[name="password"]', password)
    browser.click('[data-form="login"] button')
    card = '[data-creator="%s"]' % slug
    check("the queue lists the pending edit", "Edit of a live profile" in browser.text(card, timeout=10))

    browser.click(card + ' [data-action="diff"]')
    added = browser.text_containing(card + " .diff-add", sentence)
    check("the diff shows what an approval would put live", sentence in added, added)

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
except Exception:
    checks.stopped("flow", traceback.format_exc().strip().splitlines()[-1])
finally:
    if browser:
        browser.quit()

sys.exit(checks.finish())
