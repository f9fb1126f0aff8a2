// Haat: progressive enhancement only. Every page can be browsed without this script;
// it adds the signed-in header, buying a plan, revealing a creator's number in place and
// reporting a profile. /account/ itself is account.js.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var meta = document.querySelector('meta[name="haat-api"]');
  var API = meta ? meta.content.replace(/\/$/, "") : "/api/v1";

  // ---- Session. The refresh token is an HttpOnly cookie that only the API's auth routes
  // receive: no script here can read it. The access token lives in this page's memory only,
  // so a page that needs it asks /auth/refresh (with the cookie) once. What is kept in
  // localStorage is the signed-in user (no secret): it says whether to ask at all, and
  // lets a page draw itself signed in before the answer comes.
  var USER = "haat.user";
  var current = null;  // {user, access_token} once this page has a session
  function hinted() {
    try { return JSON.parse(localStorage.getItem(USER)) || null; } catch (e) { return null; }
  }
  var startedSignedIn = !!hinted();
  // Before the cookie, the whole session (refresh token too) was kept here: forget it.
  try { localStorage.removeItem("haat.session"); } catch (e) { /* private mode */ }
  function session() {
    if (current) return current;
    var user = hinted();
    return user ? { user: user } : null;
  }
  function keep(s) {
    current = s ? { user: s.user, access_token: s.access_token } : null;
    try { if (s) localStorage.setItem(USER, JSON.stringify(s.user)); else localStorage.removeItem(USER); } catch (e) { /* private mode */ }
    drawHeader();
  }
  // Ends the sign-in: the cookie is the refresh token, so the server ends it and clears it.
  function signOut() {
    return fetch(API + "/auth/logout", { method: "POST", credentials: "same-origin" })
      .catch(function () { /* signed out here whatever the network says */ })
      .then(function () { keep(null); forgetOffline(); });
  }
  // The dashboard's service worker keeps the last leads for offline use: not after a sign-out.
  function forgetOffline() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.getRegistration("/dashboard/").then(function (registration) {
      if (registration && registration.active) registration.active.postMessage({ type: "signed-out" });
    }).catch(function () {});
  }

  // ---- The header on every page: who is signed in, decided in the browser (the pages
  // are the same for everyone, cached on a CDN). Without a session, or without script,
  // it stays the page's own "Sign in" link.
  function drawHeader() {
    var slot = document.querySelector("[data-top-account]");
    if (!slot) return;
    var s = session();
    // Redrawn only when who is signed in changed: a token refresh keeps an open menu open.
    var drawn = s ? s.user.id + " " + s.user.role + " " + s.user.name : "";
    if (slot.getAttribute("data-drawn") === drawn) return;
    slot.setAttribute("data-drawn", drawn);
    slot.textContent = "";
    if (!s) { slot.appendChild(el("a", { class: "top-link", href: "/account/" }, "Sign in")); return; }
    var menu = el("details", { class: "top-menu" });
    menu.appendChild(el("summary", { class: "top-link", "data-top-name": "" }, (s.user.name || "Account").split(" ")[0]));
    var list = el("ul", { class: "top-menu-list" });
    function item(node) { list.appendChild(el("li")).appendChild(node); }
    item(el("a", { href: "/account/" }, "Account"));
    if (s.user.role === "creator") item(el("a", { href: "/dashboard/" }, "Dashboard"));
    if (s.user.role === "admin") item(el("a", { href: "/admin/" }, "Admin"));
    var out = el("button", { type: "button", class: "linkish", "data-top-sign-out": "" }, "Sign out");
    out.addEventListener("click", function () { signOut().then(function () { location.reload(); }); });
    item(out);
    menu.appendChild(list);
    slot.appendChild(menu);
  }
  drawHeader();

  // One refresh at a time in this page, and in this browser: two tabs refreshing with the
  // same cookie at once would present a rotated token, which ends the sign-in everywhere.
  // keepalive: a refresh the server answered still sets its cookie if the page is left.
  var refreshing = null;
  function refresh() {
    if (!refreshing) {
      var ask = function () {
        return fetch(API + "/auth/refresh", { method: "POST", credentials: "same-origin", keepalive: true }).then(function (r) {
          if (r.ok) return r.json().then(function (j) { keep(j); return true; });
          if (r.status >= 500 || r.status === 429) return false;  // the sign-in may well be fine
          keep(null);
          // Drawn as signed in from the hint, but the sign-in ended: draw the page again.
          if (startedSignedIn) location.reload();
          return false;
        });
      };
      refreshing = (navigator.locks ? navigator.locks.request("haat.refresh", ask) : ask())
        .catch(function () { return false; })
        .then(function (ok) { refreshing = null; return ok; });
    }
    return refreshing;
  }
  function accessToken() {
    if (current) return Promise.resolve(current.access_token);
    if (!hinted()) return Promise.resolve(null);
    return refresh().then(function () { return current && current.access_token; });
  }

  // Calls the API; an expired access token is refreshed once, transparently.
  function api(path, options, retried) {
    options = options || {};
    return accessToken().then(function (token) {
      var headers = { "Content-Type": "application/json" };
      if (token) headers.Authorization = "Bearer " + token;
      return fetch(API + path, { method: options.method || "GET", headers: headers, body: options.body ? JSON.stringify(options.body) : undefined });
    }).then(function (response) {
      if (response.status === 401 && !retried && hinted()) {
        current = null;
        return refresh().then(function (ok) { return ok ? api(path, options, true) : response; });
      }
      return response;
    });
  }
  function read(response) {
    return response.text().then(function (text) {
      var json = {};
      try { json = text ? JSON.parse(text) : {}; } catch (e) { json = {}; }
      return { status: response.status, json: json, retryAfter: response.headers.get("Retry-After") };
    });
  }
  function message(reply) {
    if (reply.status === 429) return "Too many attempts. Please try again in " + (reply.retryAfter || "a few") + " seconds.";
    return (reply.json.error && reply.json.error.message) || "Something went wrong. Please try again.";
  }
  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }
  function rupees(paise) { return "₹" + (paise / 100).toLocaleString("en-IN"); }
  // Where ?next= says to go after signing in, if it is a path of this site; else "".
  // Every redirect goes through here. One leading "/" only: "//host" and "/\host" are
  // other hosts to a browser ("//2130706433/" is an IPv4 address written as a number); no
  // backslash or control character anywhere, since the URL parser reads a backslash as
  // "/" and drops tabs and newlines, which could make either.
  function nextPath() {
    var next = new URLSearchParams(location.search).get("next") || "";
    if (next.charAt(0) !== "/" || next.charAt(1) === "/" || /[\u0000-\u001f\u007f\\]/.test(next)) return "";
    var url = new URL(next, location.origin);
    return url.origin === location.origin ? url.pathname + url.search : "";
  }

  // /account/ (account.js), the creator dashboard (dashboard.js) and the admin console
  // (admin.js) reuse the session, the API client and these helpers.
  window.Haat = {
    API: API, api: api, accessToken: accessToken, read: read, message: message, el: el, session: session, keep: keep,
    signOut: signOut, nextPath: nextPath, rupees: rupees, active: active, day: day, when: when, planList: planList,
    phoneText: phoneText, whatsappLink: whatsappLink, reportForm: reportForm
  };

  function active(quota) { return quota.subscription && quota.subscription.status === "active"; }
  function day(time) { return new Date(time).toLocaleDateString("en-IN", { day: "numeric", month: "short", year: "numeric" }); }
  // A moment of the last days: "8 Dec, 10:05 am".
  function when(time) { return new Date(time).toLocaleString(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }); }

  // ---- Plans: Razorpay Checkout (Razorpay's script, or the test stand-in the API names). ----
  var scripts = {};
  function loadScript(src) {
    if (!scripts[src]) {
      scripts[src] = new Promise(function (resolve, reject) {
        var tag = el("script", { src: src });
        tag.onload = resolve;
        tag.onerror = function () { delete scripts[src]; reject(new Error("The payment window could not load. Check your connection and try again.")); };
        document.head.appendChild(tag);
      });
    }
    return scripts[src];
  }

  // Buys `plan`: an order from the API, Razorpay Checkout, then /payments/verify.
  // Resolves with the subscription, or rejects with a message for `status`.
  function buyPlan(plan, status) {
    status.textContent = "Opening the payment window…";
    return api("/payments/orders", { method: "POST", body: { plan_id: plan.id } }).then(read).then(function (reply) {
      if (reply.status !== 201) throw new Error(message(reply));
      var order = reply.json;
      return loadScript(order.checkout_script || "https://checkout.razorpay.com/v1/checkout.js").then(function () {
        return new Promise(function (resolve, reject) {
          var user = (session() || {}).user || {};
          var checkout = new window.Razorpay({
            key: order.key_id, amount: order.amount_paise, currency: order.currency, order_id: order.order_id,
            name: "Haat", description: plan.name + (order.test_mode ? " (test payment)" : ""),
            prefill: { name: user.name || "", email: user.email || "" }, theme: { color: "#7a2e1d" },
            modal: { ondismiss: function () { reject(new Error("Payment cancelled: nothing was charged.")); } },
            handler: function (paid) {
              status.textContent = "Confirming your payment…";
              api("/payments/verify", { method: "POST", body: paid }).then(read).then(function (verified) {
                if (verified.status === 200) resolve(verified.json.subscription); else reject(new Error(message(verified)));
              }, function () {
                reject(new Error("Your payment went through, but its confirmation did not reach us: your plan turns on within a few minutes."));
              });
            }
          });
          checkout.on("payment.failed", function (failed) {
            status.textContent = "The payment failed" + (failed.error && failed.error.description ? " (" + failed.error.description + ")" : "") + ". You can try again in the payment window.";
          });
          status.textContent = order.test_mode ? "Test payments: no money moves." : "";
          checkout.open();
        });
      });
    });
  }

  // The plans as a list with a Buy button each; `bought` runs once a plan is active.
  function planList(plans, status, bought) {
    var list = el("ul", { class: "plans" });
    plans.forEach(function (plan) {
      var item = el("li", {});
      item.appendChild(el("span", {}, plan.name + " — " + rupees(plan.amount_paise) + " for " + plan.period_days + " days "));
      var buy = el("button", { type: "button", class: "btn", "data-buy-plan": plan.id }, "Buy");
      buy.addEventListener("click", function () {
        buy.disabled = true;
        buyPlan(plan, status).then(function (subscription) {
          status.textContent = "Paid. Your plan is active until " + day(subscription.current_period_end) + ".";
          bought(subscription);
        }, function (error) { status.textContent = error.message; }).then(function () { buy.disabled = false; });
      });
      item.appendChild(buy);
      list.appendChild(item);
    });
    return list;
  }

  // ---- Personalisation without tracking: the visitor's own history, in this browser only. ----
  var HISTORY = "haat.history";
  function ownHistory() {
    try { var h = JSON.parse(localStorage.getItem(HISTORY)); if (h && h.viewed && h.contacted) return h; } catch (e) { /* start again */ }
    return { viewed: [], contacted: [] };
  }
  function remember(kind, slug) {
    var h = ownHistory();
    h[kind] = [slug].concat(h[kind].filter(function (s) { return s !== slug; })).slice(0, 20);
    try { localStorage.setItem(HISTORY, JSON.stringify(h)); } catch (e) { /* private mode: no row */ }
  }

  // The home page's "For you" row: creators similar to those this visitor viewed (weight 1)
  // or contacted (weight 2), from each one's /creators/<slug>/similar.json; seen ones left out.
  var forYou = document.querySelector("[data-for-you]");
  if (forYou) {
    var h = ownHistory();
    var sources = h.contacted.slice(0, 4).map(function (s) { return [s, 2]; }).concat(h.viewed.slice(0, 6).map(function (s) { return [s, 1]; }));
    var seen = {};
    h.viewed.concat(h.contacted).forEach(function (s) { seen[s] = true; });
    Promise.all(sources.map(function (source) {
      return fetch("/creators/" + encodeURIComponent(source[0]) + "/similar.json").then(function (r) { return r.ok ? r.json() : { similar: [] }; })
        .then(function (json) { return [json.similar || [], source[1]]; }, function () { return [[], 0]; });
    })).then(function (lists) {
      var scores = {}, items = {};
      lists.forEach(function (list) {
        list[0].forEach(function (item, rank) {
          if (seen[item.slug]) return;
          scores[item.slug] = (scores[item.slug] || 0) + list[1] / (rank + 1);
          items[item.slug] = item;
        });
      });
      var picks = Object.keys(scores).sort(function (a, b) { return scores[b] - scores[a] || (a < b ? -1 : 1); }).slice(0, 6);
      if (!picks.length) return;
      var row = forYou.querySelector("[data-for-you-list]");
      picks.forEach(function (slug) {
        var item = items[slug], card = el("li", { class: "card" }), link = card.appendChild(el("a", { class: "card-link", href: item.path }));
        if (item.cover) link.appendChild(el("img", { class: "card-img", src: item.cover, alt: "", loading: "lazy" }));
        else link.appendChild(el("span", { class: "card-img card-noimg", "aria-hidden": "true" }));
        var body = link.appendChild(el("span", { class: "card-body" }));
        body.appendChild(el("span", { class: "card-title" }, item.name));
        body.appendChild(el("span", { class: "card-meta" }, item.category + " · " + item.city));
        if (item.rating) body.appendChild(el("span", { class: "card-rating" }, "★ " + item.rating));
        row.appendChild(card);
      });
      forYou.hidden = false;
    });
  }

  // ---- Phone numbers for reading: "+91" then two groups of five digits, as Indians write them. ----
  // Numbers arrive in E.164; those of a country without a rule here stay as they are.
  var PHONE_GROUPS = { "91": [5, 5], "1": [3, 3, 4], "44": [4, 6], "971": [2, 3, 4] };
  function phoneText(e164) {
    var digits = String(e164 || "").replace(/\D/g, "");
    for (var code in PHONE_GROUPS) {
      var groups = PHONE_GROUPS[code], rest = digits.slice(code.length);
      if (digits.indexOf(code) !== 0 || rest.length !== groups.reduce(function (a, b) { return a + b; }, 0)) continue;
      var parts = ["+" + code];
      groups.forEach(function (size) { parts.push(rest.slice(0, size)); rest = rest.slice(size); });
      return parts.join(" ");
    }
    return e164;
  }
  // A WhatsApp chat with the creator, the first message written for the customer.
  function whatsappLink(number, creatorName, service) {
    var text = "Hello " + creatorName + ", I found you on Haat." + (service ? " I'm looking for: " + service + "." : "");
    return "https://wa.me/" + String(number).replace(/\D/g, "") + "?text=" + encodeURIComponent(text);
  }

  // ---- Reports: a profile (from its page) or a contact (from /account/), to the admins. ----
  var REPORT_REASONS = [["fake_profile", "The profile is fake"], ["no_show", "They didn't show up or reply"],
    ["spam", "Spam"], ["abuse", "Abusive behaviour"], ["other", "Something else"]];
  function reportForm(target, title) {
    var details = el("details", { class: "inline-form report", "data-report-form": "" });
    details.appendChild(el("summary", {}, title));
    var f = details.appendChild(el("form", { class: "stack" }));
    var reason = el("label", {}, "What is wrong?");
    var select = reason.appendChild(el("select", { name: "reason", required: "" }));
    select.appendChild(el("option", { value: "" }, "Choose a reason"));
    REPORT_REASONS.filter(function (r) { return target.contact_id || r[0] !== "no_show"; })
      .forEach(function (r) { select.appendChild(el("option", { value: r[0] }, r[1])); });
    f.appendChild(reason);
    var more = el("label", {}, "Details for our team (optional)");
    more.appendChild(el("textarea", { name: "details", maxlength: "2000", rows: "3" }));
    f.appendChild(more);
    f.appendChild(el("button", { type: "submit", class: "btn" }, "Send report"));
    var status = f.appendChild(el("p", { class: "form-status", role: "status" }));
    f.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = { reason: select.value };
      Object.keys(target).forEach(function (key) { body[key] = target[key]; });
      if (f.details.value.trim()) body.details = f.details.value.trim();
      status.textContent = "Sending…";
      api("/reports", { method: "POST", body: body }).then(read).then(function (reply) {
        if (reply.status !== 201) { status.textContent = message(reply); return; }
        details.textContent = "";
        details.appendChild(el("summary", {}, title));
        details.appendChild(el("p", { class: "small", "data-reported": "" }, "Thank you: your report reached our team, who will look into it."));
      }, function () { status.textContent = "The network failed. Please try again."; });
    });
    return details;
  }

  // ---- Creator page: reveal the number in place. ----
  // What the visitor typed before signing in waits in this tab (sessionStorage) and goes
  // with the reveal once they are back from /account/.
  var TYPED = "haat.contact-draft";
  var button = document.querySelector("[data-contact]");
  if (button) remember("viewed", button.getAttribute("data-contact"));
  if (button) {
    var slug = button.getAttribute("data-contact");
    var result = document.querySelector("[data-contact-result]");
    var details = document.querySelector("[data-contact-details]");
    restoreTyped(slug, details);
    offerVerifiedCallback(details);
    button.addEventListener("click", function (event) {
      if (!session()) {
        keepTyped(slug, details);
        // Signed out: a mobile number and a code, here (phone.js); else the link's /account/.
        if (!window.Haat.phoneCodeForm) return;
        event.preventDefault();
        signInHere(slug, result, button);
        return;
      }
      event.preventDefault();
      reveal(slug, result, button);
    });
    if (session()) {
      if (location.hash === "#contact") reveal(slug, result, button); else describeReveal(slug, button);
      var aside = button.closest(".contact");
      if (aside) aside.appendChild(reportForm({ creator_slug: slug }, "Report this profile"));
    }
  }

  // A signed-in visitor with a verified number ticks a box instead of typing it.
  function offerVerifiedCallback(details) {
    var s = session(), box = details && details.querySelector("[data-callback-verified]");
    if (!box || !s || !s.user.phone_verified || !s.user.phone) return;
    box.hidden = false;
    details.callback_verified.addEventListener("change", function () {
      details.querySelector("[data-callback-typed]").hidden = details.callback_verified.checked;
    });
  }

  function typedFields(details) {
    return details ? ["service", "message", "callback_phone"].filter(function (name) { return details[name]; }) : [];
  }
  function keepTyped(slug, details) {
    var typed = { slug: slug };
    typedFields(details).forEach(function (name) { typed[name] = details[name].value; });
    try { sessionStorage.setItem(TYPED, JSON.stringify(typed)); } catch (e) { /* private mode: retyped */ }
  }
  function restoreTyped(slug, details) {
    var typed = null;
    try { typed = JSON.parse(sessionStorage.getItem(TYPED)); } catch (e) { typed = null; }
    if (!typed || typed.slug !== slug) return;
    typedFields(details).forEach(function (name) { if (typed[name] && !details[name].value) details[name].value = typed[name]; });
  }

  // Says, before the click, what showing the number will cost this visitor.
  function describeReveal(slug, button) {
    var note = document.querySelector("[data-contact-note]");
    if (!note) return;
    Promise.all([api("/me").then(read), api("/contacts?limit=1&creator=" + encodeURIComponent(slug)).then(read)]).then(function (replies) {
      var me = replies[0], before = replies[1];
      if (me.status !== 200) return;
      var q = me.json.quota, earlier = before.status === 200 && (before.json.items || [])[0];
      if (earlier) {
        button.textContent = "Show the number again";
        note.textContent = "You contacted them on " + day(earlier.created_at) + ": seeing the number again uses nothing.";
      } else if (active(q)) {
        note.textContent = "Included in your plan, active until " + day(q.subscription.current_period_end) + ".";
      } else if (q.free_remaining > 0) {
        note.textContent = "Uses 1 of your " + q.free_remaining + " free contact" + (q.free_remaining === 1 ? "" : "s") + " left.";
      } else {
        note.textContent = "You have used your " + q.free_limit + " free contacts: a plan opens every creator's number.";
      }
      note.setAttribute("data-contact-note", earlier ? "repeat" : active(q) ? "plan" : q.free_remaining > 0 ? "free" : "plan-needed");
    });
  }

  // Sign in by a code texted to the visitor's number, in place; then the number is shown.
  function signInHere(slug, result, button) {
    result.hidden = false;
    result.textContent = "";
    result.appendChild(el("p", {}, "Sign in with your mobile number to see it. New here? The same code makes your account."));
    result.appendChild(window.Haat.phoneCodeForm("sign_in", function () { reveal(slug, result, button); }));
    result.appendChild(el("p", { class: "small" })).appendChild(el("a", { href: button.getAttribute("href"), "data-email-sign-in": "" }, "Sign in with email instead"));
    button.hidden = true;
    var first = result.querySelector("input");
    if (first) first.focus();
  }

  function reveal(slug, result, button) {
    var details = document.querySelector("[data-contact-details]");
    var note = document.querySelector("[data-contact-note]");
    var body = {};
    typedFields(details).forEach(function (name) { if (details[name].value.trim()) body[name] = details[name].value.trim(); });
    var s = session();
    if (details && details.callback_verified && details.callback_verified.checked && s && s.user.phone) body.callback_phone = s.user.phone;
    result.hidden = false;
    result.textContent = "Revealing…";
    api("/creators/" + encodeURIComponent(slug) + "/contact", { method: "POST", body: body }).then(read).then(function (reply) {
      result.textContent = "";
      if (reply.status === 200) {
        try { sessionStorage.removeItem(TYPED); } catch (e) { /* nothing kept */ }
        remember("contacted", slug);
        var phone = reply.json.phone, name = button.getAttribute("data-creator-name") || "";
        result.appendChild(el("a", { class: "btn primary wide", href: "tel:" + phone, "data-call": "" }, "Call " + phoneText(phone)));
        if (reply.json.whatsapp) {
          result.appendChild(el("a", { class: "btn wide", href: whatsappLink(reply.json.whatsapp, name, body.service), rel: "noopener" }, "WhatsApp"));
        }
        var q = reply.json.quota;
        if (note) {
          note.textContent = reply.json.charged === "repeat" ? "You contacted them before: no contact used."
            : reply.json.charged === "subscription" ? "Included in your plan."
            : "Free contacts left: " + q.free_remaining + " of " + q.free_limit + ".";
          note.setAttribute("data-contact-note", "revealed");
        }
        result.appendChild(el("p", { class: "small" }, "")).appendChild(el("a", { href: "/account/" }, "All your contacts are in your account"));
        if (details) details.remove();  // sent with the reveal
        button.hidden = true;
      } else if (reply.status === 402) {
        if (note) { note.textContent = ""; note.setAttribute("data-contact-note", "plan-needed"); }
        result.appendChild(el("p", {}, "You have used your " + reply.json.quota.free_limit + " free contacts. Choose a plan to see more numbers:"));
        var status = el("p", { class: "form-status", role: "status", "data-payment-status": "" });
        // Paid: reveal the number the customer asked for, at once.
        result.appendChild(planList(reply.json.plans || [], status, function () { reveal(slug, result, button); }));
        result.appendChild(status);
        result.appendChild(el("a", { href: "/account/" }, "Go to your account"));
      } else if (reply.status === 403 && reply.json.error && reply.json.error.code === "phone_unverified" && window.Haat.phoneCodeForm) {
        // Asked once, in place: the free contacts belong to a verified number.
        result.appendChild(el("p", {}, "Verify your mobile number first: your free contacts belong to it."));
        result.appendChild(window.Haat.phoneCodeForm("verify", function () { reveal(slug, result, button); }));
      } else if (reply.status === 401) {
        keepTyped(slug, details);
        keep(null);
        location.assign("/account/?next=" + encodeURIComponent(location.pathname));
      } else {
        result.appendChild(el("p", { class: "form-status" }, message(reply)));
      }
    }).catch(function () { result.textContent = "The network failed. Please try again."; });
  }
})();
