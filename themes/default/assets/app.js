// Haat: progressive enhancement only. Every page can be browsed without this script;
// it adds signing in (/account/), buying a plan, and revealing a creator's number in place.
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
      .then(function () { keep(null); });
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

  // The creator dashboard (dashboard.js) and the admin console (admin.js) reuse the session and the API client.
  window.Haat = { API: API, api: api, accessToken: accessToken, read: read, message: message, el: el, session: session, keep: keep, rupees: rupees };

  // ---- /account/: sign up, sign in, sign out, quota. ----
  var account = document.querySelector('[data-app="account"]');
  if (account) renderAccount(account);

  function renderAccount(root) {
    root.textContent = "";
    var s = session();
    if (s) {
      root.appendChild(el("p", {}, "Signed in as " + s.user.name + " (" + s.user.email + ")."));
      var quota = el("p", { "data-quota": "" }, "Loading your contacts…");
      root.appendChild(quota);
      var plans = el("section", { class: "plans-panel", "data-plans": "" });
      root.appendChild(plans);
      api("/me").then(read).then(function (reply) {
        if (reply.status !== 200) { keep(null); renderAccount(root); return; }
        var q = reply.json.quota;
        quota.textContent = active(q)
          ? "Your plan is active until " + day(q.subscription.current_period_end) + ": every creator's number is open to you."
          : "Free contacts left: " + q.free_remaining + " of " + q.free_limit + "." + (q.subscription && q.subscription.status === "expired" ? " Your plan ended on " + day(q.subscription.current_period_end) + "." : "");
        return api("/plans").then(read).then(function (listed) {
          var items = listed.json.items || [];
          if (!items.length) return;
          plans.appendChild(el("h2", {}, active(q) ? "Extend your plan" : "Plans"));
          plans.appendChild(el("p", { class: "small muted" }, active(q) ? "Buying again adds its days to the end of your plan." : "A plan opens every creator's number for its whole period."));
          var status = el("p", { class: "form-status", role: "status", "data-payment-status": "" });
          plans.appendChild(planList(items, status, function () { renderAccount(root); }));
          plans.appendChild(status);
        });
      });
      var out = el("button", { type: "button", class: "btn", "data-sign-out": "" }, "Sign out");
      out.addEventListener("click", function () { signOut().then(function () { renderAccount(root); }); });
      root.appendChild(out);
      if (nextPath()) root.appendChild(el("p", {}, "")).appendChild(el("a", { href: nextPath() }, "← Back to the creator"));
      return;
    }
    root.appendChild(form("Sign in", "login", [["email", "Email", "email"], ["password", "Password", "password"]]));
    root.appendChild(form("New here? Create an account", "register", [["name", "Your name", "text"], ["email", "Email", "email"], ["password", "Password (at least 10 characters)", "password"]], true));
  }

  function form(title, kind, fields, withRole) {
    var f = el("form", { class: "stack", "data-form": kind });
    f.appendChild(el("h2", {}, title));
    fields.forEach(function (field) {
      var label = el("label", {}, field[1]);
      label.appendChild(el("input", { name: field[0], type: field[2], required: "", autocomplete: field[2] === "password" ? (kind === "login" ? "current-password" : "new-password") : field[0] }));
      f.appendChild(label);
    });
    if (withRole) {
      var role = el("label", { class: "check" });
      role.appendChild(el("input", { type: "checkbox", name: "creator" }));
      role.appendChild(document.createTextNode(" I run a creative business (creator account)"));
      f.appendChild(role);
    }
    var status = el("p", { class: "form-status", role: "alert" });
    f.appendChild(el("button", { class: "btn primary", type: "submit" }, kind === "login" ? "Sign in" : "Create account"));
    f.appendChild(status);
    f.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = { email: f.email.value, password: f.password.value };
      if (kind === "register") { body.name = f.name.value; body.role = f.creator.checked ? "creator" : "customer"; }
      status.textContent = "…";
      fetch(API + "/auth/" + kind, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
        .then(read).then(function (reply) {
          if (reply.status === 200 || reply.status === 201) {
            keep(reply.json);
            if (nextPath()) location.assign(nextPath() + "#contact"); else renderAccount(account);
          } else {
            status.textContent = message(reply);
          }
        }).catch(function () { status.textContent = "The network failed. Please try again."; });
    });
    return f;
  }

  function active(quota) { return quota.subscription && quota.subscription.status === "active"; }
  function day(time) { return new Date(time).toLocaleDateString("en-IN", { day: "numeric", month: "short", year: "numeric" }); }

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

  // ---- Creator page: reveal the number in place. ----
  var button = document.querySelector("[data-contact]");
  if (button) remember("viewed", button.getAttribute("data-contact"));
  if (button) {
    var result = document.querySelector("[data-contact-result]");
    button.addEventListener("click", function (event) {
      if (!session()) return;  // the link takes the visitor to /account/ to sign in
      event.preventDefault();
      reveal(button.getAttribute("data-contact"), result, button);
    });
    if (session() && location.hash === "#contact") reveal(button.getAttribute("data-contact"), result, button);
  }

  function reveal(slug, result, button) {
    var details = document.querySelector("[data-contact-details]");
    var body = {};
    if (details) {
      if (details.service && details.service.value) body.service = details.service.value;
      if (details.message && details.message.value) body.message = details.message.value;
    }
    result.hidden = false;
    result.textContent = "Revealing…";
    api("/creators/" + encodeURIComponent(slug) + "/contact", { method: "POST", body: body }).then(read).then(function (reply) {
      result.textContent = "";
      if (reply.status === 200) {
        remember("contacted", slug);
        var phone = reply.json.phone;
        var call = el("a", { class: "btn primary wide", href: "tel:" + phone }, "Call " + phone);
        result.appendChild(call);
        if (reply.json.whatsapp) {
          result.appendChild(el("a", { class: "btn wide", href: "https://wa.me/" + reply.json.whatsapp.replace(/\D/g, ""), rel: "noopener" }, "WhatsApp"));
        }
        var q = reply.json.quota;
        var note = reply.json.charged === "repeat" ? "You contacted this creator before: no contact used."
          : active(q) ? "Included in your plan."
          : "Free contacts left: " + q.free_remaining + " of " + q.free_limit + ".";
        result.appendChild(el("p", { class: "small muted" }, note));
        button.hidden = true;
      } else if (reply.status === 402) {
        result.appendChild(el("p", {}, "You have used your " + reply.json.quota.free_limit + " free contacts. Choose a plan to see more numbers:"));
        var status = el("p", { class: "form-status", role: "status", "data-payment-status": "" });
        // Paid: reveal the number the customer asked for, at once.
        result.appendChild(planList(reply.json.plans || [], status, function () { reveal(slug, result, button); }));
        result.appendChild(status);
        result.appendChild(el("a", { href: "/account/" }, "Go to your account"));
      } else if (reply.status === 401) {
        keep(null);
        location.assign("/account/?next=" + encodeURIComponent(location.pathname));
      } else {
        result.appendChild(el("p", { class: "form-status" }, message(reply)));
      }
    }).catch(function () { result.textContent = "The network failed. Please try again."; });
  }
})();
