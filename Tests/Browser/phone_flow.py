"""Phone numbers and one-time codes in a real browser (headless chromium, 390x844), against
a real `haat serve --demo` with phone verification required (the default): the demo
texts each code to the server's console, where this flow reads it, as a phone would.

- A new customer signs in by code from a creator page, in place, and the number is shown.
- A second account, made by email, is asked for its number at its first reveal, in place;
  it verifies the same number, and finds the free contacts the first account used.
- That account, signed out, resets its password by a code, then signs in with it.
- A creator account named by a third profile claims it from the dashboard by a code
  texted to the profile's own phone, and its editor opens.

Usage: phone_flow.py SITE_URL DRIVER_URL PHONE_SITE_URL SERVE_LOG SLUG_A SLUG_B SLUG_C
Prints one line per check and ends with "browser: N passed, N failed".
"""
import os
import random
import re
import sys
import time
import traceback

from webdriver import Browser, Checks

_, driver, site, serve_log, first, second, third = sys.argv[1:8]
checks = Checks()
check = checks.check
# A number of this run's own, a mobile one (ten digits from 6), as a person types it.
digits = "9" + "".join(random.choice("0123456789") for _ in range(9))
typed, e164 = digits[:5] + " " + digits[5:], "+91" + digits


def texted_code(after_count, to=None):
    """The newest code the console shows for `to` (this run's number), once there are more than `after_count`."""
    pattern = re.compile(r"Test SMS to %s: (\d{6}) is your Haat code" % re.escape(to or e164))
    deadline = time.time() + 10
    while time.time() < deadline:
        with open(serve_log) as log:
            codes = pattern.findall(log.read())
        if len(codes) > after_count:
            return codes[-1], len(codes)
        time.sleep(0.1)
    raise AssertionError("no text to %s in the server's console" % (to or e164))


def enter_number_and_code(browser, scope, sent, name=None, password=None):
    """Fills the number, asks for the code, reads it off the console and confirms it."""
    browser.type(scope + ' [data-phone-form] input[name="phone"]', typed)
    browser.click(scope + " [data-phone-form] button")
    browser.find(scope + " [data-code-form]")
    code, sent = texted_code(sent)
    browser.type(scope + ' [data-code-form] input[name="code"]', code)
    if name:
        browser.type(scope + ' [data-code-form] input[name="name"]', name)
    if password:
        browser.type(scope + ' [data-code-form] input[name="new_password"]', password)
    browser.click(scope + " [data-code-form] button[type=submit]")
    return sent


browser = other = None
try:
    browser = Browser(driver)
    browser.resize(390, 844)
    browser.go(site + "/creators/%s/" % first)
    browser.type('[data-contact-details] input[name="service"]', "A birthday cake")
    browser.click("[data-contact]")
    form = browser.find('[data-contact-result] [data-phone-code="sign_in"]')
    check("signed out, the number asks for a mobile number in place", bool(form) and "/creators/" in browser.url(), browser.url())
    code_input = '[data-contact-result] [data-code-form] input[name="code"]'
    browser.type('[data-contact-result] [data-phone-form] input[name="phone"]', typed)
    browser.click("[data-contact-result] [data-phone-form] button")
    check("the page says texts are test texts in the demo", "Test SMS" in browser.text("[data-contact-result] [data-test-sms]"))
    check("the code field lets a phone fill it from the SMS", browser.attribute(code_input, "autocomplete") == "one-time-code"
          and browser.attribute(code_input, "inputmode") == "numeric")
    code, sent = texted_code(0)
    browser.type(code_input, "000000" if code != "000000" else "111111")
    browser.type('[data-contact-result] [data-code-form] input[name="name"]', "Meera Phone")
    browser.click("[data-contact-result] [data-code-form] button[type=submit]")
    wrong = browser.text_containing("[data-contact-result] [data-code-form] .form-status", "code")
    check("a wrong code says so and keeps the form", "code" in wrong and "not right" in wrong, wrong)
    browser.script('document.querySelector(%r).value = ""; return true;' % code_input)
    browser.type(code_input, code)
    browser.click("[data-contact-result] [data-code-form] button[type=submit]")
    call = browser.text("[data-contact-result] a[data-call]", timeout=10)
    check("the right code signs in (a new account) and shows the number", call.startswith("Call +91 "), call)
    note = browser.text_containing("[data-contact-note]", "left")
    check("using one of the number's three free contacts", "2 of 3" in note, note)
    check("the header names the new account", browser.text("[data-top-name]") == "Meera", browser.text("[data-top-name]"))
    # Verified: a box offers the number for a call back, instead of typing it.
    browser.go(site + "/creators/%s/" % second)
    browser.click('[data-callback-verified] input[name="callback_verified"]')
    hidden = browser.script('return document.querySelector("[data-callback-typed]").hidden;')
    check("a verified customer ticks 'call me back' instead of typing a number", hidden is True, str(hidden))
    browser.click("[data-contact]")
    call = browser.text("[data-contact-result] a[data-call]", timeout=10)
    check("and the reveal goes through with it", call.startswith("Call +91 "), call)

    # A second account, by email, on the same phone.
    other = Browser(driver)
    other.resize(390, 844)
    stamp = str(int(time.time() * 1000))
    email = "family-%s@example.com" % stamp
    other.go(site + "/account/?next=/creators/%s/" % second)
    other.type('[data-form="register"] input[name="name"]', "Anil Family")
    other.type('[data-form="register"] input[name="email"]', email)
    other.type('[data-form="register"] input[name="password"]', "a browser password")
    other.click('[data-form="register"] button')
    asked = other.text_containing("[data-contact-result]", "Verify", timeout=10)
    check("an account without a verified number is asked for one at its first reveal, in place", "Verify your mobile number" in asked, asked)
    time.sleep(0.2)
    sent = enter_number_and_code(other, '[data-contact-result] [data-phone-code="verify"]', sent)
    call = other.text("[data-contact-result] a[data-call]", timeout=10)
    check("once verified, the reveal goes on", call.startswith("Call +91 "), call)
    note = other.text_containing("[data-contact-note]", "left")
    check("and the free contacts are the number's: the other account's use counts", "0 of 3" in note, note)

    # Forgot password, by a code to the verified number.
    other.click("[data-top-name]")
    other.click("[data-top-sign-out]")
    time.sleep(0.5)
    other.go(site + "/account/")
    other.click("[data-forgot-password] summary")
    sent = enter_number_and_code(other, "[data-forgot-password]", sent, password="a new browser password")
    done = other.text_containing("[data-forgot-password] [data-reset-done]", "changed", timeout=10)
    check("forgot password: a code to the verified number sets a new one", "password is changed" in done, done)
    other.type('[data-form="login"] input[name="email"]', email)
    other.type('[data-form="login"] input[name="password"]', "a new browser password")
    other.click('[data-form="login"] button')
    signed = other.text_containing('[data-app="account"]', "Signed in as", timeout=10)
    check("and signing in with it works", "Signed in as Anil Family" in signed, signed[:80])
    phone_line = other.text_containing("[data-my-phone]", "verified")
    check("the account page shows the verified number", phone_line.endswith("(verified).") and "+91 " in phone_line, phone_line)

    # The third profile's owner claims it by a code to the profile's own phone.
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "content", "creators", third, "index.md")) as profile_file:
        profile = profile_file.read()
    owner_email = re.search(r"^account: *(\S+)", profile, re.M).group(1)
    profile_phone = "+" + re.sub(r"\D", "", re.search(r'^  phone: *"([^"]+)"', profile, re.M).group(1))
    creator = Browser(driver)
    try:
        creator.resize(390, 844)
        creator.go(site + "/account/?next=/dashboard/")
        creator.type('[data-form="register"] input[name="name"]', "Real Owner")
        creator.type('[data-form="register"] input[name="email"]', owner_email)
        creator.type('[data-form="register"] input[name="password"]', "a browser password")
        creator.script('document.querySelector(\'[data-form="register"] input[name="creator"]\').click(); return true;')
        creator.click('[data-form="register"] button')
        creator.wait_for('return location.pathname === "/dashboard/";')  # signed up and sent on
        creator.go(site + "/dashboard/#profile")
        creator.click('[data-claim="%s"] summary' % third)
        creator.click('[data-claim="%s"] [data-phone-code="claim"] button' % third)
        creator.find('[data-claim="%s"] [data-code-form]' % third)
        code, _ = texted_code(0, to=profile_phone)
        creator.type('[data-claim="%s"] [data-code-form] input[name="code"]' % third, code)
        creator.click('[data-claim="%s"] [data-code-form] button[type=submit]' % third)
        opened = creator.wait_for('return !document.querySelector("[data-owner-waiting]") && !!document.querySelector("[data-profile-editor], [data-profile-form], .editor-main")', 10)
        check("a creator claims its profile by a code to the profile's own phone, and its editor opens", bool(opened))
    finally:
        creator.quit()
except Exception:
    checks.stopped("flow", traceback.format_exc().strip().splitlines()[-1])
finally:
    for b in (browser, other):
        if b:
            b.quit()

sys.exit(checks.finish())
