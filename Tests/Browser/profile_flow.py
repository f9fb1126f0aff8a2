"""The creator's profile editor in a real browser (headless chromium), against a real
`haat serve`: a new creator starts a profile, uploads two pictures, sees a mistake marked
beside its field, saves; an admin approves and rebuilds; the public page then shows the
profile with responsive images. On a phone's screen (360x800) the editor fits without
sideways scrolling, the sticky save bar never covers a field brought into view, every
field has a visible label, the picture input offers camera or gallery, and each upload
shows its progress to the end.

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


# Every visible field of the editor (in the form, the pictures and the save bar's row),
# brought into view the ways a person does: scrolled to from above and from below (the
# browser aligns it with the nearest edge) and focused; in each case no part of it may lie
# under the sticky save bar.
COVERED_FIELDS = """
var bar = document.querySelector(".editor-actions");
var fields = Array.prototype.filter.call(document.querySelectorAll('[data-app="profile"] :is(input, select, textarea)'), function (f) {
  return f.getClientRects().length > 0 && !bar.contains(f);
});
var covered = [];
fields.forEach(function (f, i) {
  [["top", 0], ["bottom", document.documentElement.scrollHeight]].forEach(function (from) {
    ["scroll", "focus"].forEach(function (how) {
      window.scrollTo(0, from[1]);
      if (how === "focus") f.focus(); else f.scrollIntoView({ block: "nearest" });
      var r = f.getBoundingClientRect(), b = bar.getBoundingClientRect();
      if (r.bottom > b.top + 0.5 && r.top < b.bottom - 0.5) covered.push((f.name || f.getAttribute("data-service") || f.type || i) + " (" + how + " from the " + from[0] + ": field " + Math.round(r.top) + "-" + Math.round(r.bottom) + ", bar from " + Math.round(b.top) + ")");
      if (how === "focus") f.blur();
    });
  });
});
window.scrollTo(0, 0);
return { fields: fields.length, covered: covered };
"""

# Every visible field has a label with visible text of its own.
UNLABELLED_FIELDS = """
var fields = Array.prototype.filter.call(document.querySelectorAll('[data-app="profile"] :is(input, select, textarea)'), function (f) {
  return f.getClientRects().length > 0;
});
var unlabelled = fields.filter(function (f) {
  return !Array.prototype.some.call(f.labels || [], function (l) { return l.getClientRects().length > 0 && l.innerText.trim().length > 0; });
}).map(function (f) { return f.name || f.getAttribute("aria-label") || f.outerHTML.slice(0, 80); });
return { fields: fields.length, unlabelled: unlabelled };
"""

# Records what the upload rows show while they change: each row's states, and its
# <progress> (value of max) as long as it is there.
WATCH_UPLOADS = """
window.haatUploads = { rows: [] };
var list = document.querySelector('[data-app="profile"]');
function note(row) {
  var seen = window.haatUploads.rows.filter(function (r) { return r.node === row; })[0];
  if (!seen) { seen = { node: row, states: [], bars: [] }; window.haatUploads.rows.push(seen); }
  var state = row.getAttribute("data-upload-state"), bar = row.querySelector("progress");
  if (seen.states[seen.states.length - 1] !== state) seen.states.push(state);
  if (bar) seen.bars.push(bar.value + "/" + bar.max);
}
new MutationObserver(function (changes) {
  changes.forEach(function (c) { var row = c.target.closest ? c.target.closest("[data-upload-state]") : null; if (row) note(row); });
  Array.prototype.forEach.call(list.querySelectorAll("[data-upload-state]"), note);
}).observe(list, { childList: true, subtree: true, attributes: true, characterData: true });
"""

# The upload rows that ended "done", a full <progress> and the word "uploaded" still
# shown; those seen going from "uploading" to "done" with a <progress>; what was seen.
UPLOADS_STATE = """
var rows = document.querySelectorAll('[data-app="profile"] [data-upload-state]');
var done = Array.prototype.filter.call(rows, function (row) {
  var bar = row.querySelector("progress");
  return row.getAttribute("data-upload-state") === "done" && bar && bar.value === bar.max && /uploaded/.test(row.textContent) && row.getClientRects().length > 0;
});
var seen = (window.haatUploads || { rows: [] }).rows.map(function (r) { return { states: r.states, bars: r.bars.slice(-3) }; });
var progressed = seen.filter(function (r) { return r.states[0] === "uploading" && r.states[r.states.length - 1] === "done" && r.bars.length > 0; });
return { done: done.length, progressed: progressed.length, seen: seen };
"""

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

    # On a phone (360x800): the editor fits the screen, its fields are in the page's own
    # flow with the save bar never over one brought into view, and pictures come from the
    # camera or the gallery with their upload's progress shown.
    browser.resize(360, 800)
    browser.wait_for("return window.innerWidth <= 360;")
    width = browser.script("return [document.documentElement.scrollWidth, window.innerWidth];")
    check("at 360 px the editor fits the screen (no sideways scrolling)", width[0] <= width[1], "scrollWidth %d, window %d" % tuple(width))
    covered = browser.script(COVERED_FIELDS)
    check("at 360x800 no field brought into view (scrolled to, or focused) is under the save bar", covered["fields"] > 10 and not covered["covered"], str(covered))
    picker = browser.script('var i = document.querySelector("[data-upload]"); return {accept: i.accept, capture: i.hasAttribute("capture"), multiple: i.multiple};')
    check("the picture input takes any image, camera or gallery (image/*, no capture)", picker == {"accept": "image/*", "capture": False, "multiple": True}, str(picker))

    browser.script(WATCH_UPLOADS)
    browser.type("[data-upload]", image_one + "\n" + image_two)
    shown = browser.wait_for('var items = document.querySelectorAll("[data-portfolio] img"); return items.length === 2 && Array.prototype.every.call(items, function (i) { return i.src.indexOf("data:image/jpeg") === 0; });', 20)
    check("two uploaded pictures show in the portfolio with their thumbnails", bool(shown))
    uploads = browser.wait_for("var u = (function () {%s})(); return u.done === 2 && u.progressed === 2 && u;" % UPLOADS_STATE, 20) or browser.script(UPLOADS_STATE)
    check("each upload shows its progress, ending full and saying it is done", uploads["done"] == 2 and uploads["progressed"] == 2, str(uploads))
    unlabelled = browser.script(UNLABELLED_FIELDS)
    check("every field of the editor has a visible label", unlabelled["fields"] > 10 and not unlabelled["unlabelled"], str(unlabelled))
    width = browser.script("return [document.documentElement.scrollWidth, window.innerWidth];")
    check("with its pictures the editor still fits 360 px", width[0] <= width[1], "scrollWidth %d, window %d" % tuple(width))
    covered = browser.script(COVERED_FIELDS)
    check("with its pictures no field brought into view is under the save bar", not covered["covered"], str(covered))
    browser.resize(412, 1200)  # the window's size as the session started
    browser.wait_for("return window.innerWidth > 360;")

    browser.script('var p = document.querySelector("[data-profile-form] input[name=phone]"); p.value = "12"; p.dispatchEvent(new Event("input", {bubbles: true}));')
    browser.click("[data-profile-save]")
    problem = browser.text_containing('[data-error-for="phone"]', "phone", timeout=10)
    check("a wrong number is marked beside the phone field", "phone" in problem.lower(), problem)
    browser.script('var p = document.querySelector("[data-profile-form] input[name=phone]"); p.value = "+91 98220 12345"; p.dispatchEvent(new Event("input", {bubbles: true}));')
    browser.script('var t = document.querySelector("[data-profile-form] textarea[name=story]"); t.value = "Eggless cakes from a browser test."; t.dispatchEvent(new Event("input", {bubbles: true}));')
    browser.click("[data-profile-save]")
    saved = browser.text_containing("[data-profile-saved]", "Saved", timeout=10)
    check("saving sends the profile for approval", "Saved" in saved, saved)
    previewed = browser.wait_for('var f = document.querySelector("[data-profile-preview]"); return f.srcdoc.indexOf("Eggless cakes from a browser test.") >= 0 && f.srcdoc.indexOf("data:image/jpeg") >= 0;')
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
    loaded = browser.wait_for('var imgs = document.querySelectorAll(".gallery img"); return imgs.length === 2 && Array.prototype.every.call(imgs, function (i) { i.loading = "eager"; return i.complete && i.naturalWidth > 0; });')
    check("the variants load", bool(loaded))
except Exception:
    checks.stopped("profile flow", traceback.format_exc().strip().splitlines()[-1])
finally:
    if browser:
        browser.quit()
sys.exit(checks.finish())
