// Haat /account/: signing in and up, then the account itself: plan and quota, the
// creators this customer contacted (call or WhatsApp them again, rate them, report them),
// and signing out. Needs app.js (window.Haat) for the session and the API.
(function () {
  "use strict";
  var H = window.Haat;
  var root = document.querySelector('[data-app="account"]');
  if (!H || !root) return;
  var el = H.el;

  var CHARGED = { free: "Free contact", subscription: "Included in your plan" };
  var REVIEW_STATE = { pending: "waiting for approval", approved: "published", rejected: "not published" };

  render();

  function render() {
    root.textContent = "";
    var s = H.session();
    var intro = document.querySelector("[data-account-intro]");
    if (intro) intro.hidden = !!s;  // the invitation to sign in, for those who are not
    if (!s) {
      if (H.phoneCodeForm) root.appendChild(byPhone());
      root.appendChild(form("Sign in with email", "login", [["email", "Email", "email"], ["password", "Password", "password"]]));
      if (H.phoneCodeForm) root.appendChild(forgotPassword());
      root.appendChild(form("New here? Create an account", "register", [["name", "Your name", "text"], ["email", "Email", "email"], ["password", "Password (at least 10 characters)", "password"]], true));
      return;
    }
    var back = H.nextPath();
    if (back) root.appendChild(el("p", {})).appendChild(el("a", { href: back }, "← Back to where you were"));
    root.appendChild(el("p", {}, "Signed in as " + s.user.name + " (" + s.user.email + ")."));
    var quota = root.appendChild(el("p", { "data-quota": "" }, "Loading your plan…"));
    var contacts = root.appendChild(el("section", { class: "my-contacts", "data-my-contacts": "", "aria-labelledby": "my-contacts-title" }));
    contacts.appendChild(el("h2", { id: "my-contacts-title" }, "My contacts"));
    var plans = root.appendChild(el("section", { class: "plans-panel", "data-plans": "" }));
    var out = el("button", { type: "button", class: "btn", "data-sign-out": "" }, "Sign out");
    out.addEventListener("click", function () { H.signOut().then(render); });

    var phone = root.insertBefore(el("div", { "data-my-phone": "" }), quota);
    H.api("/me").then(H.read).then(function (reply) {
      if (reply.status !== 200) { H.keep(null); render(); return; }
      drawPhone(phone, reply.json.user);
      drawQuota(quota, plans, reply.json.quota);
      contactPages(contacts, null);
      root.appendChild(out);
    }, function () { quota.textContent = "The network failed. Reload the page to try again."; });
  }

  // ---- Plan and quota ----
  function drawQuota(quota, plans, q) {
    var sub = q.subscription;
    quota.textContent = H.active(q)
      ? "Your plan is active until " + H.day(sub.current_period_end) + ": every creator's number is open to you. It does not renew by itself."
      : "Free contacts left: " + q.free_remaining + " of " + q.free_limit + "." + (sub && sub.status !== "active" ? " Your plan ended on " + H.day(sub.current_period_end) + "." : "");
    plans.textContent = "";
    H.api("/plans").then(H.read).then(function (listed) {
      var items = listed.json.items || [];
      if (!items.length) return;
      plans.appendChild(el("h2", {}, H.active(q) ? "Extend your plan" : "Plans"));
      plans.appendChild(el("p", { class: "small muted" }, H.active(q) ? "Buying again adds its days to the end of your plan." : "A plan opens every creator's number for its whole period."));
      var status = el("p", { class: "form-status", role: "status", "data-payment-status": "" });
      plans.appendChild(H.planList(items, status, function () { render(); }));
      plans.appendChild(status);
    });
  }

  // ---- My contacts: newest first, a page at a time ----
  function contactPages(section, cursor) {
    var list = section.querySelector("[data-contact-list]") || section.appendChild(el("ul", { class: "contact-list", "data-contact-list": "" }));
    var more = section.querySelector("[data-contacts-more]");
    if (more) more.remove();
    H.api("/contacts?limit=10" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "")).then(H.read).then(function (reply) {
      if (reply.status !== 200) { section.appendChild(el("p", { class: "form-status" }, H.message(reply))); return; }
      var items = reply.json.items || [];
      if (!items.length && !cursor) {
        section.appendChild(el("p", { class: "muted" }, "Numbers you reveal on creators' pages appear here, so you can call them again."));
      }
      items.forEach(function (contact) { list.appendChild(contactItem(contact)); });
      if (reply.json.next_cursor) {
        var next = section.appendChild(el("button", { type: "button", class: "btn", "data-contacts-more": "" }, "Show older contacts"));
        next.addEventListener("click", function () { next.disabled = true; contactPages(section, reply.json.next_cursor); });
      }
    });
  }

  function contactItem(c) {
    var item = el("li", { class: "contact-item", "data-contact-id": c.contact_id, "data-creator": c.creator_slug });
    var head = item.appendChild(el("p", { class: "contact-item-head" }));
    head.appendChild(el("a", { href: "/creators/" + encodeURIComponent(c.creator_slug) + "/" }, c.creator_name));
    head.appendChild(el("span", { class: "small muted" }, " · " + H.day(c.created_at) + " · " + (CHARGED[c.charged] || c.charged)));
    if (c.service) item.appendChild(el("p", { class: "small" }, "You asked about: " + c.service));
    var reach = item.appendChild(el("p", { class: "contact-actions" }));
    if (c.phone) reach.appendChild(el("a", { class: "btn primary", href: "tel:" + c.phone, "data-call": "" }, "Call " + H.phoneText(c.phone)));
    if (c.whatsapp) reach.appendChild(el("a", { class: "btn", href: H.whatsappLink(c.whatsapp, c.creator_name, c.service), rel: "noopener", "data-whatsapp": "" }, "WhatsApp"));
    if (!c.phone) reach.appendChild(el("span", { class: "small muted" }, "This creator's profile is not live now."));
    var review = item.appendChild(el("div", { "data-review": "" }));
    if (c.review) showReview(review, c.review); else review.appendChild(reviewForm(c, review));
    item.appendChild(H.reportForm({ contact_id: c.contact_id }, "Report a problem with this contact"));
    return item;
  }

  function showReview(box, review) {
    box.textContent = "";
    var line = box.appendChild(el("p", { class: "small", "data-review-status": review.status }));
    line.appendChild(document.createTextNode("Your review: "));
    line.appendChild(el("span", { class: "stars", "aria-label": review.rating + " of 5" }, stars(review.rating)));
    line.appendChild(document.createTextNode(" · " + (REVIEW_STATE[review.status] || review.status)));
  }

  // One review per contact: 1 to 5 stars and an optional text.
  function reviewForm(c, box) {
    var details = el("details", { class: "inline-form" });
    details.appendChild(el("summary", {}, "Rate this creator"));
    var f = details.appendChild(el("form", { class: "stack", "data-review-form": "" }));
    var group = f.appendChild(el("fieldset", { class: "star-choice" }));
    group.appendChild(el("legend", {}, "How was " + c.creator_name + "?"));
    for (var n = 1; n <= 5; n++) {
      var label = group.appendChild(el("label", {}));
      label.appendChild(el("input", { type: "radio", name: "rating", value: String(n), required: "" }));
      label.appendChild(el("span", { "aria-hidden": "true" }, stars(n)));
      label.appendChild(el("span", { class: "sr" }, n + (n === 1 ? " star" : " stars")));
    }
    var text = el("label", {}, "What went well, or not (optional)");
    text.appendChild(el("textarea", { name: "text", maxlength: "2000", rows: "3" }));
    f.appendChild(text);
    f.appendChild(el("button", { type: "submit", class: "btn primary" }, "Send review"));
    var status = f.appendChild(el("p", { class: "form-status", role: "status" }));
    f.addEventListener("submit", function (event) {
      event.preventDefault();
      var rating = Number((f.querySelector("input[name=rating]:checked") || {}).value);
      var body = { rating: rating };
      if (f.text.value.trim()) body.text = f.text.value.trim();
      status.textContent = "Sending…";
      H.api("/contacts/" + encodeURIComponent(c.contact_id) + "/review", { method: "POST", body: body }).then(H.read).then(function (reply) {
        if (reply.status === 201) showReview(box, { rating: rating, status: reply.json.status });
        else status.textContent = H.message(reply);
      }, function () { status.textContent = "The network failed. Please try again."; });
    });
    return details;
  }

  function stars(n) { return "★★★★★".slice(0, n) + "☆☆☆☆☆".slice(0, 5 - n); }

  // ---- The account's mobile number ----
  function drawPhone(box, user) {
    box.textContent = "";
    if (user.phone_verified) {
      box.appendChild(el("p", { "data-phone-verified": "" }, "Your mobile number: " + H.phoneText(user.phone) + " (verified)."));
      return;
    }
    if (!H.phoneCodeForm) return;
    var details = box.appendChild(el("details", { class: "inline-form", "data-add-phone": "" }));
    details.appendChild(el("summary", {}, "Add your mobile number"));
    details.appendChild(el("p", { class: "small muted" }, "Your free contacts belong to a verified number, and you can sign in with it."));
    details.appendChild(H.phoneCodeForm("verify", function () { render(); }));
  }

  // ---- Signing in and up ----
  function byPhone() {
    var section = el("section", { class: "stack", "data-phone-sign-in": "" });
    section.appendChild(el("h2", {}, "Sign in with your mobile number"));
    section.appendChild(el("p", { class: "small muted" }, "We text you a code. New here? The same code makes your account."));
    section.appendChild(H.phoneCodeForm("sign_in", function () {
      if (H.nextPath()) location.assign(H.nextPath() + "#contact"); else render();
    }));
    return section;
  }

  function forgotPassword() {
    var details = el("details", { class: "inline-form", "data-forgot-password": "" });
    details.appendChild(el("summary", {}, "Forgot your password?"));
    details.appendChild(el("p", { class: "small muted" }, "We text a code to the mobile number you verified; with it you choose a new password."));
    var done = el("p", { class: "small", role: "status", "data-reset-done": "" });
    details.appendChild(H.phoneCodeForm("reset", function () {
      done.textContent = "Your password is changed: sign in with it.";
    }));
    details.appendChild(done);
    return details;
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
      fetch(H.API + "/auth/" + kind, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
        .then(H.read).then(function (reply) {
          if (reply.status === 200 || reply.status === 201) {
            H.keep(reply.json);
            // Back to the creator whose number was asked for: the page reveals it at once.
            if (H.nextPath()) location.assign(H.nextPath() + "#contact"); else render();
          } else {
            status.textContent = H.message(reply);
          }
        }).catch(function () { status.textContent = "The network failed. Please try again."; });
    });
    return f;
  }
})();
