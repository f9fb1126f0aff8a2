"""The creator's profile editor in a real browser (headless chromium), against a real
`haat serve`: a new creator starts a profile, uploads two pictures, sees a mistake marked
beside its field, saves; an admin approves and rebuilds; the public page then shows the
profile with responsive images.

Usage: profile_flow.py SITE_URL DRIVER_URL ADMIN_EMAIL ADMIN_PASSWORD IMAGE IMAGE
Prints one line per check and ends with "browser: N passed, N failed".
"""
import json
import sys
import time
import traceback
import urllib.request

from webdriver import Browser, Checks

site, driver, admin_email, admin_password, image_one, image_two = sys.argv[1:7]
checks = Checks()
check = checks.check


def call(method, path, body=None, token=None):
    """The API over plain HTTP, for the admin's side of the flow."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(site + "/api/v1/" + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wait_for(browser, source, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = browser.script(source)
        if value:
            return value
        time.sleep(0.1)
    return browser.script(source)


browser = None
try:
    stamp = str(int(time.time() * 1000))
    slug = "browser-bakes-" + stamp[-6:]
    browser = Browser(driver)
    browser.go(site + "/account/")
    browser.type('[data-form="register"] input[name="name"]', "Browser Baker")
    browser.type('[data-form="register"] input[name="email"]', "baker-%s@example.com" % stamp)
    browser.type('[data-form="register"] input[name="password"]', "a browser password")
    browser.click('[data-form="register"] input[name="creator"]')
    browser.click('[data-form="register"] button')
    browser.find("[data-quota]")

    browser.go(site + "/dashboard/#profile")
    browser.type('[data-profile-create] input[name="name"]', "Browser Bakes")
    browser.script('var s = document.querySelector("[data-profile-create] input[name=slug]"); s.value = %r; s.dispatchEvent(new Event("input"));' % slug)
    browser.click('[data-profile-create] button[type="submit"]')
    browser.find("[data-profile-form]", timeout=10)
    check("a new creator starts a profile from the dashboard", browser.attribute("[data-profile-status]", "data-profile-status").startswith("pending"))

    browser.type("[data-upload]", image_one + "\n" + image_two)
    shown = wait_for(browser, 'var items = document.querySelectorAll("[data-portfolio] img"); return items.length === 2 && Array.prototype.every.call(items, function (i) { return i.src.indexOf("data:image/jpeg") === 0; });', 20)
    check("two uploaded pictures show in the portfolio with their thumbnails", bool(shown))

    browser.script('var p = document.querySelector("[data-profile-form] input[name=phone]"); p.value = "12"; p.dispatchEvent(new Event("input", {bubbles: true}));')
    browser.click("[data-profile-save]")
    problem = browser.text_containing('[data-error-for="phone"]', "phone", timeout=10)
    check("a wrong number is marked beside the phone field", "phone" in problem.lower(), problem)
    browser.script('var p = document.querySelector("[data-profile-form] input[name=phone]"); p.value = "+91 98220 12345"; p.dispatchEvent(new Event("input", {bubbles: true}));')
    browser.script('var t = document.querySelector("[data-profile-form] textarea[name=story]"); t.value = "Eggless cakes from a browser test."; t.dispatchEvent(new Event("input", {bubbles: true}));')
    browser.click("[data-profile-save]")
    saved = browser.text_containing("[data-profile-saved]", "Saved", timeout=10)
    check("saving sends the profile for approval", "Saved" in saved, saved)
    previewed = wait_for(browser, 'var f = document.querySelector("[data-profile-preview]"); return f.srcdoc.indexOf("Eggless cakes from a browser test.") >= 0 && f.srcdoc.indexOf("data:image/jpeg") >= 0;')
    check("the preview shows the story and the pictures", bool(previewed))

    status, login = call("POST", "auth/login", {"email": admin_email, "password": admin_password})
    admin = login.get("access_token")
    status, approved = call("POST", "admin/creators/%s/approve" % slug, token=admin)
    check("the admin approves it", status == 200, str(approved))
    status, build = call("POST", "admin/rebuild", token=admin)
    result = {}
    for _ in range(600):
        status, result = call("GET", "admin/builds/%s" % build.get("build_id"), token=admin)
        if result.get("status") in ("succeeded", "failed"):
            break
        time.sleep(0.1)
    check("the rebuild succeeds", result.get("status") == "succeeded", str(result))

    browser.go(site + "/creators/%s/" % slug)
    check("the public page shows the profile", "Eggless cakes from a browser test." in browser.text("main"))
    images = browser.script('''return Array.prototype.map.call(document.querySelectorAll(".gallery picture"), function (p) {
        var img = p.querySelector("img"), webp = p.querySelector("source[type='image/webp']");
        return {srcset: img.getAttribute("srcset"), webp: webp && webp.getAttribute("srcset"), width: img.getAttribute("width"), height: img.getAttribute("height")};
    });''')
    check("both pictures are responsive: JPEG and WebP variants with width and height",
          len(images) == 2 and all("480w" in i["srcset"] and "480w" in (i["webp"] or "") and i["width"] and i["height"] for i in images), str(images))
    loaded = wait_for(browser, 'var imgs = document.querySelectorAll(".gallery img"); return imgs.length === 2 && Array.prototype.every.call(imgs, function (i) { i.loading = "eager"; return i.complete && i.naturalWidth > 0; });')
    check("the variants load", bool(loaded))
except Exception:
    checks.stopped("profile flow", traceback.format_exc().strip().splitlines()[-1])
finally:
    if browser:
        browser.quit()
sys.exit(checks.finish())
