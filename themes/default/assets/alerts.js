// "Alerts" on the creator dashboard (API.md "Lead alerts with the dashboard closed"): each
// new lead as a notification on this phone while the dashboard is closed (Web Push), the
// creator's devices that get them, and a text when a lead waits unopened. Notification
// permission is asked only when the switch is pressed. The service worker (/dashboard/sw.js) is registered on every visit: it also
// keeps the dashboard openable offline. Needs app.js (window.Haat).
(function () {
  "use strict";
  var H = window.Haat;
  var root = document.querySelector('[data-app="alerts"]');
  if (!H || !root) return;
  var el = H.el;
  var s = H.session();
  if (!s || s.user.role !== "creator") return;
  var worker = "serviceWorker" in navigator ? navigator.serviceWorker.register("/dashboard/sw.js", { scope: "/dashboard/" }) : null;
  if (worker) worker.catch(function () { /* no offline shell: the dashboard still works online */ });
  var supported = !!worker && "PushManager" in window && "Notification" in window;
  // Which of the creator's subscriptions is this browser's, by endpoint.
  var MINE = "haat.alerts.subscription";

  function mine() {
    try { return JSON.parse(localStorage.getItem(MINE)) || null; } catch (e) { return null; }
  }
  function remember(value) {
    try { if (value) localStorage.setItem(MINE, JSON.stringify(value)); else localStorage.removeItem(MINE); } catch (e) { /* private mode */ }
  }

  // The VAPID key as PushManager.subscribe takes it.
  function keyBytes(base64url) {
    var text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  root.textContent = "";
  root.appendChild(el("h2", { id: "alerts-title" }, "Alerts"));
  var pushPart = root.appendChild(el("div", { "data-alerts-push": "" }));
  var textPart = root.appendChild(el("div", { "data-alerts-text": "" }));
  var testPart = root.appendChild(el("div", { "data-alerts-test": "", hidden: "" }));
  H.api("/creator/push/key").then(H.read).then(function (reply) {
    if (reply.status !== 200) return;  // push is off on this server: no switch
    root.hidden = false;
    drawPush(reply.json.vapid_public_key);
  });
  H.api("/creator/alerts").then(H.read).then(function (reply) {
    if (reply.status !== 200) return;
    root.hidden = false;
    drawText(reply.json.sms_after_minutes);
  });
  showTestLog();

  // Demo mode: "Test alerts", what this server pushed and texted the creator
  // (GET /creator/alerts/log; a server that is not a demo has no such route). Looked at
  // again when a lead arrives, and every 15 s while the page is in view (texts wait).
  function showTestLog() {
    var list;
    function load() {
      return H.api("/creator/alerts/log").then(H.read).then(function (reply) {
        if (reply.status !== 200) return false;
        if (!list) list = drawTestLog();
        fillTestLog(list, reply.json.items);
        return true;
      });
    }
    load().then(function (demo) {
      if (!demo) return;
      document.addEventListener("haat:lead", function () { setTimeout(load, 300); });
      setInterval(function () { if (!document.hidden) load(); }, 15000);
    });
  }
  function drawTestLog() {
    root.hidden = testPart.hidden = false;
    testPart.appendChild(el("h3", { id: "alerts-test-title" }, "Test alerts"));
    testPart.appendChild(el("p", { class: "small muted" }, "This is a demo server: its texts go to its console, not to phones. "
      + "Here is what it sent you, newest first: each new lead as a notification to every device with alerts on, "
      + "and a text when a lead waits unopened."));
    return testPart.appendChild(el("ul", { class: "devices", "aria-labelledby": "alerts-test-title", "data-alerts-log": "" }));
  }
  function fillTestLog(list, items) {
    list.textContent = "";
    if (!items.length) {
      list.appendChild(el("li", { class: "small" }, "Nothing yet: when a customer asks for your number, the alert shows here."));
      return;
    }
    items.forEach(function (item) {
      var entry = list.appendChild(el("li", { class: "alert-entry", "data-alert": item.kind }));
      if (item.kind === "push") {
        var lead = item.push.lead;
        entry.appendChild(el("strong", {}, "Notification · " + H.when(item.at)));
        entry.appendChild(el("span", {}, (lead.service ? "New lead: " + lead.service : "New lead") + ", from " + lead.customer.name));
      } else {
        entry.appendChild(el("strong", {}, "Text to " + H.phoneText(item.to) + " · " + H.when(item.at)));
        entry.appendChild(el("span", {}, item.text));
      }
    });
  }

  // "Text me when a lead waits": never, or after a few minutes to two hours.
  var WAITS = [[null, "Never"], [5, "After 5 minutes"], [15, "After 15 minutes"], [30, "After 30 minutes"], [60, "After 1 hour"], [120, "After 2 hours"]];
  function drawText(minutes) {
    var choice = el("select", { "data-alerts-text-after": "" });
    var waits = WAITS.slice();
    if (minutes !== null && !waits.some(function (w) { return w[0] === minutes; })) waits.push([minutes, "After " + minutes + " minutes"]);
    waits.forEach(function (w) {
      var option = el("option", { value: w[0] === null ? "" : String(w[0]) }, w[1]);
      if (w[0] === minutes) option.selected = true;
      choice.appendChild(option);
    });
    var said = el("p", { class: "small", role: "status", "data-alerts-text-status": "" });
    textPart.appendChild(el("div", { class: "stack" })).appendChild(el("label", {}, "Text me when a lead waits unopened")).appendChild(choice);
    textPart.appendChild(el("p", { class: "small muted" }, "One text per lead, to your verified number; none between 9 pm and 8 am (those wait until morning)."));
    textPart.appendChild(said);
    choice.addEventListener("change", function () {
      var value = choice.value ? Number(choice.value) : null;
      said.textContent = "Saving…";
      H.api("/creator/alerts", { method: "PUT", body: { sms_after_minutes: value } }).then(H.read).then(function (reply) {
        if (reply.status === 200) {
          minutes = reply.json.sms_after_minutes;
          said.textContent = minutes === null ? "No texts." : "Saved: a text when a lead waits " + (minutes < 60 ? minutes + " minutes." : minutes / 60 + (minutes === 60 ? " hour." : " hours."));
          return;
        }
        choice.value = minutes === null ? "" : String(minutes);
        said.textContent = "";
        if (reply.json && reply.json.error && reply.json.error.code === "phone_unverified") {
          said.appendChild(document.createTextNode("Texts go to your verified mobile number: "));
          said.appendChild(el("a", { href: "/account/?next=/dashboard/" }, "verify it on your account page"));
          said.appendChild(document.createTextNode(" first."));
        } else {
          said.textContent = H.message(reply);
        }
      });
    });
  }

  function drawPush(key) {
    var root = pushPart;
    root.appendChild(el("p", {}, "A notification on this phone for each new lead, even with the dashboard closed."));
    var toggle = el("button", { type: "button", class: "switch", role: "switch", "aria-checked": "false", "data-alerts-switch": "" }, "Alerts on this phone");
    var status = el("p", { class: "small", role: "status", "data-alerts-status": "" });
    root.appendChild(toggle);
    root.appendChild(status);
    var devicesTitle = el("h3", { id: "alerts-devices-title" }, "Devices that get alerts");
    var devices = el("ul", { class: "devices", "aria-labelledby": "alerts-devices-title", "data-alerts-devices": "" });
    root.appendChild(devicesTitle);
    root.appendChild(devices);

    function set(on, text) {
      toggle.setAttribute("aria-checked", String(on));
      status.textContent = text || "";
    }

    function listDevices() {
      H.api("/creator/push/subscriptions?limit=100").then(H.read).then(function (reply) {
        devices.textContent = "";
        var items = reply.status === 200 ? reply.json.items : [];
        devicesTitle.hidden = devices.hidden = !items.length;
        var here = mine();
        items.forEach(function (device) {
          var item = el("li", { "data-device": device.subscription_id });
          var thisOne = here && here.id === device.subscription_id;
          item.appendChild(el("span", {}, device.device + (thisOne ? " (this phone)" : "") + " · since " + H.day(device.created_at)));
          var remove = el("button", { type: "button", class: "btn small", "data-remove-device": "" }, "Remove");
          remove.setAttribute("aria-label", "Remove " + device.device);
          remove.addEventListener("click", function () { forget(device.subscription_id).then(listDevices); });
          item.appendChild(remove);
          devices.appendChild(item);
        });
        if (here && !items.some(function (device) { return device.subscription_id === here.id; })) {
          remember(null);  // removed elsewhere (or by its push service)
          set(false);
        }
      });
    }

    // Stops alerts to one device; this one's subscription is ended in the browser too.
    function forget(id) {
      var here = mine();
      var local = here && here.id === id && supported
        ? worker.then(function (registration) { return registration.pushManager.getSubscription(); })
            .then(function (subscription) { return subscription && subscription.unsubscribe(); }).catch(function () {})
        : Promise.resolve();
      return local.then(function () {
        if (here && here.id === id) { remember(null); set(false, "Alerts are off on this phone."); }
        return H.api("/creator/push/subscriptions/" + encodeURIComponent(id), { method: "DELETE" });
      });
    }

    function turnOn() {
      if (!supported) { set(false, "This browser cannot show alerts. On an iPhone, add Haat to the home screen first (Share → Add to Home Screen)."); return; }
      if (Notification.permission === "denied") { set(false, "Notifications are blocked for this site: allow them in the browser's site settings, then press again."); return; }
      toggle.disabled = true;
      set(false, "Asking…");
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") throw new Error("Alerts need your permission to show notifications.");
        return worker;
      }).then(function (registration) {
        return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
      }).then(function (subscription) {
        return H.api("/creator/push/subscriptions", { method: "POST", body: subscription.toJSON() }).then(H.read).then(function (reply) {
          if (reply.status !== 201) throw new Error(H.message(reply));
          remember({ id: reply.json.subscription_id, endpoint: subscription.endpoint });
          set(true, "Alerts are on: new leads will show up on this phone.");
          listDevices();
        });
      }).catch(function (error) {
        set(false, error && error.message ? "Alerts could not be turned on: " + error.message : "Alerts could not be turned on.");
      }).then(function () { toggle.disabled = false; });
    }

    toggle.addEventListener("click", function () {
      var here = mine();
      if (toggle.getAttribute("aria-checked") === "true" && here) forget(here.id).then(listDevices);
      else turnOn();
    });

    // On when this browser's subscription is still the one the server knows.
    var here = mine();
    if (supported && here && Notification.permission === "granted") {
      worker.then(function (registration) { return registration.pushManager.getSubscription(); }).then(function (subscription) {
        if (subscription && subscription.endpoint === here.endpoint) set(true, "Alerts are on for this phone.");
        else remember(null);
      }).catch(function () {});
    }
    listDevices();
  }
})();
