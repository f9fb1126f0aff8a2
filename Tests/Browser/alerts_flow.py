"""The dashboard as an installable app with lead alerts, in headless chromium against a
real `haat serve --demo` (which generates a VAPID key, so push is on):

- the dashboard shows "Alerts" with a switch and registers its service worker;
- chromium finds the app installable (DevTools' Page.getInstallabilityErrors is empty);
- a lead pushed through DevTools (ServiceWorker.deliverPushMessage, with notification
  permission granted by Browser.grantPermissions) becomes a notification whose title
  names the service and whose body names the customer (getNotifications() in the page);
- the switch asks for permission only when pressed, and says why when it cannot be on;
- a device subscribed through the API is listed (never its endpoint) and removed;
- the text alert's choice says when a verified number is missing, with a link to verify it;
- demo mode's "Test alerts" shows a profile's owner the lead a customer's reveal pushed.

Usage: alerts_flow.py SITE_URL DRIVER_URL SCREENSHOTS SLUG OWNER_EMAIL ADMIN_EMAIL ADMIN_PASSWORD
Prints one line per check and ends with "browser: N passed, N failed".
"""
import base64
import json
import sys
import time
import traceback

from webdriver import Browser, Checks, api_call

site, driver, screenshots, owned_slug, owner_email, admin_email, admin_password = sys.argv[1:8]
checks = Checks()
check = checks.check


def register_creator(browser, email):
    browser.go(site + "/account/")
    browser.type('[data-form="register"] input[name="name"]', "Alert Creator")
    browser.type('[data-form="register"] input[name="email"]', email)
    browser.type('[data-form="register"] input[name="password"]', "a browser password")
    browser.click('[data-form="register"] input[name="creator"]')
    browser.click('[data-form="register"] button')
    browser.find("[data-top-name]")


def screenshot(browser, name):
    with open("%s/%s" % (screenshots, name), "wb") as out:
        out.write(base64.b64decode(browser.cdp("Page.captureScreenshot", {"captureBeyondViewport": True})["data"]))


# A subscription as a browser makes it: a P-256 key of the page's own crypto, a random
# auth secret, and an endpoint on a public address (never called in this flow).
SUBSCRIBE = """
var done = arguments[arguments.length - 1];
function b64(bytes) { return btoa(String.fromCharCode.apply(null, new Uint8Array(bytes))).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, ""); }
crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]).then(function (pair) {
  return crypto.subtle.exportKey("raw", pair.publicKey);
}).then(function (raw) {
  var body = { endpoint: "https://1.1.1.1/push/flow-device", keys: { p256dh: b64(raw), auth: b64(crypto.getRandomValues(new Uint8Array(16))) } };
  return Haat.api("/creator/push/subscriptions", { method: "POST", body: body }).then(Haat.read);
}).then(function (reply) { done({ status: reply.status, json: reply.json }); }, function (error) { done({ error: String(error) }); });
"""

NOTIFICATIONS = """
var done = arguments[arguments.length - 1];
navigator.serviceWorker.ready.then(function (registration) { return registration.getNotifications(); })
  .then(function (list) { done(list.map(function (n) { return { title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url }; })); },
        function (error) { done({ error: String(error) }); });
"""

browser = owner = None
try:
    browser = Browser(driver)
    browser.resize(390, 844)
    stamp = str(int(time.time() * 1000))
    register_creator(browser, "alerts-%s@example.com" % stamp)
    browser.go(site + "/dashboard/")
    toggle = browser.find('[data-alerts-switch]', timeout=10)
    check("the dashboard offers alerts on this phone, off", browser.attribute('[data-alerts-switch]', "aria-checked") == "false")
    check("the dashboard links its manifest", browser.script(
        'return document.querySelector("link[rel=manifest]").getAttribute("href")') == "/dashboard/manifest.webmanifest")
    # The worker installs (keeping the shell) and, once active, claims the open dashboard.
    browser.script_async("var done = arguments[0]; navigator.serviceWorker.ready.then(function () { done(true); });", timeout=20)
    browser.wait_for("return !!navigator.serviceWorker.controller", timeout=15)
    check("the service worker controls the dashboard", True)
    screenshot(browser, "dashboard-alerts-390x844.png")
    browser.resize(1280, 900)
    screenshot(browser, "dashboard-alerts-1280x900.png")

    manifest = json.loads(browser.script('var x = new XMLHttpRequest(); x.open("GET", "/dashboard/manifest.webmanifest", false); x.send(); return x.responseText;'))
    check("the manifest starts the app at the dashboard, standalone",
          manifest.get("start_url") == "/dashboard/" and manifest.get("display") == "standalone" and manifest.get("theme_color"), manifest)
    errors = browser.cdp("Page.getInstallabilityErrors").get("installabilityErrors", [])
    check("chromium finds the dashboard installable", errors == [], errors)

    # Before permission: pressing the switch asks; refused, it says so and stays off.
    origin = site.rstrip("/")
    browser.cdp("Browser.setPermission", {"permission": {"name": "notifications"}, "setting": "denied", "origin": origin})
    browser.click('[data-alerts-switch]')
    said = browser.text_containing('[data-alerts-status]', "blocked", timeout=5)
    check("with notifications blocked, the switch says how to allow them and stays off",
          "blocked" in said and browser.attribute('[data-alerts-switch]', "aria-checked") == "false", said)

    # A pushed lead becomes a notification (permission granted, delivered by DevTools).
    browser.cdp("Browser.grantPermissions", {"permissions": ["notifications"], "origin": origin})
    lead = {"type": "lead", "seq": 7, "lead": {"contact_id": "c-flow-1", "creator_slug": "some-profile", "customer": {"name": "Kiran Rao"},
                                              "service": "Birthday cake", "message": "Saturday", "callback_phone": None,
                                              "status": "new", "created_at": "2026-12-07T10:00:00Z"}}
    # DevTools addresses a worker by its registration id, which only its events tell; a
    # fresh profile numbers them from 0 and a push to an id with no worker does nothing,
    # so the first few are each sent the lead (one notification per lead: its tag).
    browser.cdp("ServiceWorker.enable")
    for registration in range(0, 8):
        browser.cdp("ServiceWorker.deliverPushMessage", {"origin": origin, "registrationId": str(registration), "data": json.dumps(lead)})
    notifications = []
    deadline = time.time() + 5
    while time.time() < deadline and not notifications:
        notifications = browser.script_async(NOTIFICATIONS)
        time.sleep(0.1)
    first = notifications[0] if isinstance(notifications, list) and notifications else {}
    check("the notification's title names the service", first.get("title") == "New lead: Birthday cake", notifications)
    check("its body names the customer and the profile", first.get("body") == "From Kiran Rao, for some-profile", first)
    check("tapping it opens the dashboard at the lead", first.get("url") == "/dashboard/?lead=c-flow-1#leads", first)

    # A text when a lead waits: the choice is saved, or says what is missing (this new
    # creator has no verified number yet).
    browser.script('var s = document.querySelector("[data-alerts-text-after]"); s.value = "15"; s.dispatchEvent(new Event("change"));')
    said = browser.text_containing("[data-alerts-text-status]", "verif", timeout=10)
    check("a text alert needs a verified number, and the page links where to verify it",
          "verified mobile number" in said and browser.attribute("[data-alerts-text-status] a", "href") == "/account/?next=/dashboard/", said)
    check("and the choice goes back to what is saved", browser.script('return document.querySelector("[data-alerts-text-after]").value') == "")
    screenshot(browser, "dashboard-alerts-text-1280x900.png")

    # A device subscribed through the API is listed, without its endpoint, and removed.
    reply = browser.script_async(SUBSCRIBE)
    check("a subscription is accepted", reply.get("status") == 201, reply)
    browser.go(site + "/dashboard/")
    device = browser.text('[data-alerts-devices] [data-device]', timeout=10)
    check("the device is listed by what it is", "Chrome" in device and "1.1.1.1" not in device and "flow-device" not in device, device)
    browser.resize(390, 844)
    screenshot(browser, "dashboard-alerts-device-390x844.png")
    browser.click('[data-alerts-devices] [data-remove-device]')
    browser.wait_for('return !document.querySelector("[data-alerts-devices] [data-device]")', timeout=10)
    check("Remove stops alerts to that device", True)

    # Demo mode's "Test alerts": the owner of a live profile (confirmed by the admin) sees
    # the lead a customer's reveal pushed, as its notification reads.
    # Signed up from another address: every flow's browser signs up from this one, against
    # one registration limit.
    _, made = api_call(site, "POST", "auth/register", {"email": owner_email, "password": "an owner password", "name": "Alert Owner",
                                                       "role": "creator"}, source="127.0.0.3")
    check("the profile's owner signs up", "access_token" in made, made)
    owner = Browser(driver)
    owner.resize(390, 844)
    owner.sign_in(site + "/account/", owner_email, "an owner password")
    owner.find("[data-top-name]")
    _, admin = api_call(site, "POST", "auth/login", {"email": admin_email, "password": admin_password})
    status, _ = api_call(site, "POST", "admin/creators/%s/confirm-owner" % owned_slug, token=admin.get("access_token"))
    check("the admin confirms the profile's owner", status == 200, status)
    owner.go(site + "/dashboard/")
    empty = owner.text_containing("[data-alerts-log]", "Nothing yet", timeout=10)
    check("a demo server's dashboard shows Test alerts, empty at first",
          owner.text("#alerts-test-title") == "Test alerts" and "Nothing yet" in empty, empty)
    _, customer = api_call(site, "POST", "auth/register", {"email": "kiran-%s@example.com" % stamp, "password": "a customer password",
                                                           "name": "Kiran Rao"}, source="127.0.0.3")
    status, _ = api_call(site, "POST", "creators/%s/contact" % owned_slug, {"service": "Birthday cake"}, customer.get("access_token"))
    check("a customer asks for the owner's number", status == 200, status)
    pushed = owner.text_containing('[data-alerts-log] [data-alert="push"]', "Birthday cake", timeout=20)
    check("Test alerts shows the lead as its notification reads", "New lead: Birthday cake, from Kiran Rao" in pushed, pushed)
    owner.script('document.querySelector("[data-alerts-test]").scrollIntoView()')
    screenshot(owner, "dashboard-test-alerts-390x844.png")
    owner.resize(1280, 900)
    screenshot(owner, "dashboard-test-alerts-1280x900.png")
except Exception:
    checks.stopped("alerts flow", traceback.format_exc().strip().splitlines()[-1])
finally:
    for session in (browser, owner):
        if session:
            session.quit()

sys.exit(checks.finish())
