// Haat admin console: the moderation queue with diffs, rebuilds with live status,
// contact monitoring, stats, subscriptions, users, reports, reviews and the audit log.
// Needs app.js (window.Haat). Every figure comes from /api/v1/admin/*; nothing is cached.
(function () {
  "use strict";
  var H = window.Haat;
  var root = document.querySelector('[data-app="admin"]');
  if (!H || !root) return;
  var el = H.el;

  var s = H.session();
  root.textContent = "";
  if (!s) {
    root.appendChild(el("p", {}, "Sign in with an admin account to open the console."));
    root.appendChild(el("a", { class: "btn primary", href: "/account/?next=/admin/" }, "Sign in"));
    return;
  }
  if (s.user.role !== "admin") {
    root.appendChild(el("p", {}, "The console is for admin accounts; you are signed in as " + s.user.email + "."));
    return;
  }

  // ---- Helpers ----
  function call(path, options) {
    return H.api(path, options).then(H.read).then(function (reply) {
      if (reply.status >= 400) throw new Error(H.message(reply));
      return reply.json;
    });
  }
  function clear(node) { node.textContent = ""; return node; }
  function day(time) { return time ? new Date(time).toLocaleString("en-IN", { dateStyle: "medium", timeStyle: "short" }) : ""; }
  function button(label, attributes, action) {
    var b = el("button", Object.assign({ type: "button", class: "btn small-btn" }, attributes || {}), label);
    b.addEventListener("click", action);
    return b;
  }
  // A table of `rows` with `columns` [heading, cell(row) → text or node].
  function table(columns, rows, attributes) {
    var t = el("table", Object.assign({ class: "data" }, attributes || {}));
    var head = t.appendChild(el("thead")).appendChild(el("tr"));
    columns.forEach(function (c) { head.appendChild(el("th", { scope: "col" }, c[0])); });
    var body = t.appendChild(el("tbody"));
    rows.forEach(function (row) {
      var tr = body.appendChild(el("tr"));
      columns.forEach(function (c) {
        var value = c[1](row), td = tr.appendChild(el("td", { "data-label": c[0] }));
        if (value instanceof Node) td.appendChild(value); else td.textContent = value == null ? "" : String(value);
      });
    });
    if (!rows.length) body.appendChild(el("tr")).appendChild(el("td", { colspan: String(columns.length), class: "muted" }, "Nothing here."));
    return t;
  }
  // Runs `work` (a promise maker) with `status` showing progress and errors, then `done`.
  function act(status, work, done) {
    status.textContent = "…";
    work().then(function (result) { status.textContent = "Done."; if (done) done(result); },
      function (error) { status.textContent = error.message; });
  }
  function select(name, options, value) {
    var field = el("select", { name: name });
    options.forEach(function (o) { var opt = field.appendChild(el("option", { value: o[0] }, o[1])); if (o[0] === value) opt.selected = true; });
    return field;
  }

  // ---- Tabs ----
  var tabs = el("nav", { class: "filters", "aria-label": "Console sections" });
  var panel = el("section", { class: "console", "data-console": "" });
  root.appendChild(tabs);
  root.appendChild(panel);
  var sections = {
    queue: ["Queue", queue], build: ["Rebuild", build], contacts: ["Contacts", contacts], stats: ["Stats", stats],
    subscriptions: ["Subscriptions", subscriptions], users: ["Users", users], reports: ["Reports", reports],
    reviews: ["Reviews", reviews], audit: ["Audit log", audit]
  };
  Object.keys(sections).forEach(function (key) {
    tabs.appendChild(button(sections[key][0], { class: "chip", "data-tab": key, "aria-pressed": "false" }, function () { open(key); }));
  });
  function open(key) {
    Array.prototype.forEach.call(tabs.children, function (t) { t.setAttribute("aria-pressed", String(t.getAttribute("data-tab") === key)); });
    clear(panel).appendChild(el("h2", {}, sections[key][0]));
    sections[key][1](panel);
    if (history.replaceState) history.replaceState(null, "", "#" + key);
  }
  open(sections[location.hash.slice(1)] ? location.hash.slice(1) : "queue");

  // ---- Moderation queue ----
  function queue(box) {
    var status = select("status", [["pending", "Waiting for review"], ["owners", "Owner to confirm"], ["approved", "Approved"],
      ["rejected", "Rejected"], ["suspended", "Suspended"]], "pending");
    var list = el("div", { "data-queue": "" });
    box.appendChild(el("label", {}, "Show ")).appendChild(status);
    box.appendChild(list);
    function load() {
      clear(list).appendChild(el("p", { class: "muted" }, "Loading…"));
      // "Owner to confirm": every profile someone signed up for with its email, not yet confirmed.
      var owners = status.value === "owners";
      call("/admin/creators" + (owners ? "" : "?status=" + status.value)).then(function (page) {
        var items = owners ? page.items.filter(function (c) { return c.owner && !c.owner.confirmed; }) : page.items;
        clear(list);
        if (!items.length) list.appendChild(el("p", { class: "muted" }, owners ? "No owner waits for confirmation." : "Nothing waits for review."));
        items.forEach(function (c) { list.appendChild(creatorCard(c, load)); });
      }, function (error) { clear(list).appendChild(el("p", { class: "form-status" }, error.message)); });
    }
    status.addEventListener("change", load);
    load();
  }

  function creatorCard(c, reload) {
    var card = el("article", { class: "panel", "data-creator": c.slug });
    var title = card.appendChild(el("h3", {}, c.name + " "));
    title.appendChild(el("a", { href: "/creators/" + c.slug + "/" }, "/" + c.slug + "/"));
    var kind = c.status === "pending" ? "New profile, never approved" : c.changed_since_approval ? "Edit of a live profile" : c.status;
    card.appendChild(el("p", { class: "small muted" }, kind + (c.verified ? " · verified" : "") + (c.status_reason ? " · " + c.status_reason : "")));
    // Who claims it: an account with the profile's email is its owner only once confirmed
    // (check it is really them, e.g. by calling the profile's number).
    card.appendChild(el("p", { class: "small", "data-owner": c.owner ? (c.owner.confirmed ? "confirmed" : "unconfirmed") : "none" },
      c.owner ? "Owner account: " + c.owner.email + (c.owner.confirmed ? " · confirmed" : " · not confirmed: it sees nothing of this profile yet")
        : "No account has signed up with this profile's email yet."));
    var diff = card.appendChild(el("div", { class: "diff", "data-diff": "" }));
    var reason = el("input", { name: "reason", placeholder: "Reason (to reject or suspend)", maxlength: "500" });
    var actions = card.appendChild(el("div", { class: "actions" }));
    var status = el("p", { class: "form-status", role: "status" });
    function post(action, body) {
      return function () { act(status, function () { return call("/admin/creators/" + c.slug + "/" + action, { method: "POST", body: body && body() }); }, reload); };
    }
    function withReason() { return { reason: reason.value }; }
    actions.appendChild(button("Show what goes live", { "data-action": "diff" }, function () { showDiff(c.slug, diff); }));
    if (c.status !== "suspended" && (c.status === "pending" || c.changed_since_approval || c.status === "rejected")) {
      actions.appendChild(button("Approve", { class: "btn small-btn primary", "data-action": "approve" }, post("approve")));
    }
    if (c.status === "pending" || c.changed_since_approval) actions.appendChild(button("Reject", { "data-action": "reject" }, post("reject", withReason)));
    if (c.owner && !c.owner.confirmed) actions.appendChild(button("Confirm owner", { "data-action": "confirm-owner" }, post("confirm-owner")));
    if (!c.verified) actions.appendChild(button("Verify", { "data-action": "verify" }, post("verify")));
    if (c.status === "suspended") actions.appendChild(button("Reinstate", { "data-action": "reinstate" }, post("reinstate")));
    else actions.appendChild(button("Suspend", { "data-action": "suspend" }, post("suspend", withReason)));
    actions.appendChild(reason);
    card.appendChild(status);
    return card;
  }

  // What an approval would put live, as a line diff of the approved and current text.
  function showDiff(slug, box) {
    clear(box).textContent = "Loading…";
    call("/admin/creators/" + slug + "/diff").then(function (d) {
      clear(box);
      var pre = box.appendChild(el("pre", { class: "diff-lines" }));
      lineDiff((d.approved_text || "").split("\n"), d.current_text.split("\n")).forEach(function (line) {
        pre.appendChild(el("span", { class: "diff-" + line[0] }, (line[0] === "add" ? "+ " : line[0] === "del" ? "- " : "  ") + line[1] + "\n"));
      });
      if (d.approved_text === null) box.insertBefore(el("p", { class: "small muted" }, "Never approved: everything is new."), pre);
    }, function (error) { box.textContent = error.message; });
  }

  // Longest-common-subsequence diff of two line arrays: [["same"|"add"|"del", line], …].
  function lineDiff(a, b) {
    var n = a.length, m = b.length, lcs = [], i, j;
    for (i = 0; i <= n; i++) { lcs.push(new Array(m + 1).fill(0)); }
    for (i = n - 1; i >= 0; i--) for (j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    var out = [];
    for (i = 0, j = 0; i < n || j < m;) {
      if (i < n && j < m && a[i] === b[j]) { out.push(["same", a[i]]); i++; j++; }
      else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) { out.push(["add", b[j]]); j++; }
      else { out.push(["del", a[i]]); i++; }
    }
    return out;
  }

  // ---- Rebuild ----
  function build(box) {
    box.appendChild(el("p", {}, "Imports changed content, then builds the site from every approved revision. A failed build changes nothing on the live site."));
    var status = el("div", { class: "build-status", role: "status", "data-build-status": "" });
    box.appendChild(button("Rebuild the site", { class: "btn primary", "data-action": "rebuild" }, function () {
      status.textContent = "Requesting…";
      call("/admin/rebuild", { method: "POST" }).then(function (started) { watch(started.build_id, status); },
        function (error) { status.textContent = error.message; });
    }));
    box.appendChild(status);
  }

  function watch(id, status) {
    call("/admin/builds/" + id).then(function (b) {
      clear(status).appendChild(el("p", { "data-build": b.status }, "Build " + b.status +
        (b.pages_written != null ? ": " + b.pages_written + " pages written" : "") + (b.duration_ms != null ? " in " + (b.duration_ms / 1000).toFixed(1) + " s" : "")));
      if (b.error) status.appendChild(el("pre", { class: "diff-lines" }, b.error));
      if (b.status === "queued" || b.status === "running") setTimeout(function () { watch(id, status); }, 1000);
    }, function (error) { status.textContent = error.message; });
  }

  // ---- Contacts ----
  function contacts(box) {
    var form = box.appendChild(el("form", { class: "filters", "data-contacts-filter": "" }));
    var creator = form.appendChild(el("input", { name: "creator", placeholder: "Creator slug" }));
    var customer = form.appendChild(el("input", { name: "customer", placeholder: "Customer id" }));
    var since = form.appendChild(el("input", { name: "since", type: "datetime-local", "aria-label": "Since" }));
    form.appendChild(el("button", { class: "btn small-btn", type: "submit" }, "Filter"));
    var accounts = box.appendChild(el("div"));
    var list = box.appendChild(el("div"));
    var note = el("p", { class: "form-status", role: "status" });
    function load() {
      var query = [];
      if (creator.value) query.push("creator=" + encodeURIComponent(creator.value));
      if (customer.value) query.push("customer=" + encodeURIComponent(customer.value));
      if (since.value) query.push("since=" + encodeURIComponent(new Date(since.value).toISOString()));
      call("/admin/contacts?limit=100&" + query.join("&")).then(function (page) {
        clear(list).appendChild(el("h3", {}, "Attempts, newest first"));
        list.appendChild(table([["When", function (r) { return day(r.created_at); }], ["Customer", function (r) { return r.customer.email; }],
          ["Creator", function (r) { return r.creator_slug; }], ["Outcome", function (r) { return r.outcome; }],
          ["Charged", function (r) { return r.charged || ""; }], ["Address", function (r) { return r.client_address; }]], page.items, { "data-attempts": "" }));
      }, function (error) { clear(list).textContent = error.message; });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
    call("/admin/contacts/by-account").then(function (page) {
      clear(accounts).appendChild(el("h3", {}, "Accounts by attempts, last 24 hours"));
      accounts.appendChild(table([
        ["Customer", function (r) { return r.customer.email; }], ["Attempts", function (r) { return r.attempts; }],
        ["Creators", function (r) { return r.distinct_creators; }], ["Peak per hour", function (r) { return r.peak_per_hour; }],
        ["Refused", function (r) { return r.refused; }],
        ["", function (r) {
          var actions = el("div", { class: "actions" });
          actions.appendChild(button("Show attempts", {}, function () { customer.value = r.customer.id; load(); }));
          var reason = actions.appendChild(el("input", { name: "reason", placeholder: "Reason", value: "Scraping numbers", maxlength: "500" }));
          actions.appendChild(button("Suspend", { "data-action": "suspend-user" }, function () {
            act(note, function () { return call("/admin/users/" + r.customer.id + "/suspend", { method: "POST", body: { reason: reason.value } }); });
          }));
          return actions;
        }]
      ], page.items, { "data-by-account": "" }));
      accounts.appendChild(note);
    });
    load();
  }

  // ---- Stats ----
  function stats(box) {
    call("/admin/stats").then(function (st) {
      var rows = [["Customers", st.users.customer], ["Creators (accounts)", st.users.creator], ["Admins", st.users.admin],
        ["Profiles approved", st.creators.approved], ["Waiting for review", st.creators.pending], ["Rejected", st.creators.rejected],
        ["Suspended", st.creators.suspended], ["Numbers revealed today", st.contacts.today], ["… last 7 days", st.contacts.last_7_days],
        ["… last 30 days", st.contacts.last_30_days], ["Active subscriptions", st.active_subscriptions], ["Revenue", H.rupees(st.revenue_paise)]];
      box.appendChild(table([["Figure", function (r) { return r[0]; }], ["Value", function (r) { return r[1]; }]], rows, { "data-stats": "" }));
    }, function (error) { box.appendChild(el("p", { class: "form-status" }, error.message)); });
  }

  // ---- Subscriptions ----
  function subscriptions(box) {
    var status = select("status", [["active", "Active"], ["expired", "Expired"], ["cancelled", "Cancelled"], ["", "All"]], "active");
    box.appendChild(el("label", {}, "Show ")).appendChild(status);
    var list = box.appendChild(el("div"));
    var note = el("p", { class: "form-status", role: "status" });
    function load() {
      call("/admin/subscriptions?limit=100&status=" + status.value).then(function (page) {
        clear(list).appendChild(table([["User", function (r) { return r.user.email; }], ["Plan", function (r) { return r.plan_id; }],
          ["Status", function (r) { return r.status; }], ["Ends", function (r) { return day(r.current_period_end); }],
          ["", function (r) { return r.status === "cancelled" ? "" : button("Cancel", {}, function () {
            act(note, function () { return call("/admin/subscriptions/" + r.id + "/cancel", { method: "POST" }); }, load);
          }); }]], page.items));
      }, function (error) { clear(list).textContent = error.message; });
    }
    status.addEventListener("change", load);
    box.appendChild(note);
    load();
  }

  // ---- Users ----
  function users(box) {
    var form = box.appendChild(el("form", { class: "filters" }));
    var q = form.appendChild(el("input", { name: "q", placeholder: "Email or name" }));
    form.appendChild(el("button", { class: "btn small-btn", type: "submit" }, "Search"));
    var list = box.appendChild(el("div"));
    var note = el("p", { class: "form-status", role: "status" });
    box.appendChild(note);
    var plans = [];
    H.api("/plans").then(H.read).then(function (reply) { plans = reply.json.items || []; });
    function load() {
      call("/admin/users?limit=50&q=" + encodeURIComponent(q.value)).then(function (page) {
        clear(list).appendChild(table([["User", function (r) { return r.name + " <" + r.email + ">"; }], ["Role", function (r) { return r.role; }],
          ["Status", function (r) { return r.status; }], ["Since", function (r) { return day(r.created_at); }],
          ["", function (r) { return userActions(r); }]], page.items, { "data-users": "" }));
      }, function (error) { clear(list).textContent = error.message; });
    }
    function userActions(user) {
      var box = el("div", { class: "actions" });
      if (user.role === "admin") return box;
      if (user.status === "active") {
        var reason = el("input", { name: "reason", placeholder: "Reason", maxlength: "500" });
        box.appendChild(reason);
        box.appendChild(button("Suspend", {}, function () {
          act(note, function () { return call("/admin/users/" + user.id + "/suspend", { method: "POST", body: { reason: reason.value } }); }, load);
        }));
      } else {
        box.appendChild(button("Reinstate", {}, function () { act(note, function () { return call("/admin/users/" + user.id + "/reinstate", { method: "POST" }); }, load); }));
      }
      plans.forEach(function (plan) {
        box.appendChild(button("Grant " + plan.name, {}, function () {
          act(note, function () { return call("/admin/users/" + user.id + "/grant", { method: "POST", body: { plan_id: plan.id } }); });
        }));
      });
      return box;
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
    load();
  }

  // ---- Reports ----
  function reports(box) {
    var status = select("status", [["open", "Open"], ["resolved", "Resolved"]], "open");
    box.appendChild(el("label", {}, "Show ")).appendChild(status);
    var list = box.appendChild(el("div"));
    function load() {
      call("/admin/reports?limit=100&status=" + status.value).then(function (page) {
        clear(list);
        if (!page.items.length) list.appendChild(el("p", { class: "muted" }, "No reports."));
        page.items.forEach(function (r) {
          var card = list.appendChild(el("article", { class: "panel", "data-report": r.report_id }));
          card.appendChild(el("h3", {}, r.reason.replace("_", " ") + ": " + (r.creator_slug ? "profile " + r.creator_slug : "contact " + r.contact_id)));
          card.appendChild(el("p", { class: "small muted" }, "By " + r.reporter.email + ", " + day(r.created_at)));
          if (r.details) card.appendChild(el("p", {}, r.details));
          if (r.resolution) { card.appendChild(el("p", {}, "Resolved: " + r.resolution.action + (r.resolution.note ? " (" + r.resolution.note + ")" : ""))); return; }
          var note = el("input", { name: "note", placeholder: "Note (optional)" });
          var result = el("p", { class: "form-status", role: "status" });
          var actions = card.appendChild(el("div", { class: "actions" }));
          ["dismiss", "suspend_creator"].concat(r.contact_id ? ["suspend_user"] : []).forEach(function (action) {
            actions.appendChild(button(action.replace("_", " "), {}, function () {
              act(result, function () { return call("/admin/reports/" + r.report_id + "/resolve", { method: "POST", body: { action: action, note: note.value } }); }, load);
            }));
          });
          actions.appendChild(note);
          card.appendChild(result);
        });
      }, function (error) { clear(list).textContent = error.message; });
    }
    status.addEventListener("change", load);
    load();
  }

  // ---- Reviews ----
  function reviews(box) {
    var list = box.appendChild(el("div"));
    var note = el("p", { class: "form-status", role: "status" });
    box.appendChild(note);
    function load() {
      call("/admin/reviews?limit=100&status=pending").then(function (page) {
        clear(list).appendChild(table([["Creator", function (r) { return r.creator_slug; }], ["Rating", function (r) { return "★".repeat(r.rating); }],
          ["Text", function (r) { return r.text || ""; }], ["By", function (r) { return r.customer.name; }],
          ["", function (r) {
            var actions = el("div", { class: "actions" });
            ["approve", "reject"].forEach(function (action) {
              actions.appendChild(button(action, {}, function () { act(note, function () { return call("/admin/reviews/" + r.review_id + "/" + action, { method: "POST" }); }, load); }));
            });
            return actions;
          }]], page.items, { "data-reviews": "" }));
      }, function (error) { clear(list).textContent = error.message; });
    }
    load();
  }

  // ---- Audit log ----
  function audit(box) {
    call("/admin/audit?limit=100").then(function (page) {
      box.appendChild(table([["When", function (r) { return day(r.at); }], ["Who", function (r) { return r.actor; }],
        ["Did", function (r) { return r.action; }], ["To", function (r) { return r.target; }], ["Why", function (r) { return r.reason || ""; }]], page.items));
    }, function (error) { box.appendChild(el("p", { class: "form-status" }, error.message)); });
  }
})();
