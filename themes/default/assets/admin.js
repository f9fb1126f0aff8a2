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
    var reason = el("input", { name: "reason", placeholder: "Reason (to reject or suspend)", "aria-label": "Reason (to reject or suspend)", maxlength: "500" });
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

  // What an approval would put live: the changed fields in words (before and after), the
  // new or replaced pictures, and the whole text line by line one click away.
  function showDiff(slug, box) {
    clear(box).textContent = "Loading…";
    call("/admin/creators/" + slug + "/diff").then(function (d) {
      clear(box);
      var fresh = d.approved_text === null;
      if (fresh) box.appendChild(el("p", { class: "small muted" }, "Never approved: everything is new."));
      if (d.fields) {
        if (!d.fields.length && !d.pictures.length) box.appendChild(el("p", { class: "small muted", "data-no-change": "" }, "Nothing a visitor sees changes (the text was only reformatted)."));
        var fields = box.appendChild(el("dl", { class: "diff-fields", "data-diff-fields": "" }));
        d.fields.forEach(function (f) {
          fields.appendChild(el("dt", { "data-field": f.field }, f.label));
          var value = fields.appendChild(el("dd", {}));
          if (f.after === null) { value.appendChild(el("p", { class: "small muted" }, "Removed (was: " + f.before + ").")); return; }
          // A list (services, portfolio) changes by its lines: the unchanged ones stay grey.
          var pre = value.appendChild(el("pre", { class: "diff-lines" }));
          lineDiff(f.before === null ? [] : f.before.split("\n"), f.after.split("\n")).forEach(function (line) {
            pre.appendChild(el("span", { class: "diff-" + line[0] }, (line[0] === "add" ? "+ " : line[0] === "del" ? "- " : "  ") + line[1]));
          });
        });
      } else {
        box.appendChild(el("p", { class: "small muted" }, "The approved text no longer reads as a profile: compare the text below."));
      }
      if (d.pictures.length) box.appendChild(pictures(slug, d.pictures));
      var raw = box.appendChild(el("details", { class: "diff-raw" }));
      raw.open = !d.fields;
      raw.appendChild(el("summary", {}, "The whole text, line by line"));
      var pre = raw.appendChild(el("pre", { class: "diff-lines" }));
      lineDiff((d.approved_text || "").split("\n"), d.current_text.split("\n")).forEach(function (line) {
        pre.appendChild(el("span", { class: "diff-" + line[0] }, (line[0] === "add" ? "+ " : line[0] === "del" ? "- " : "  ") + line[1] + "\n"));
      });
    }, function (error) { box.textContent = error.message; });
  }

  // Thumbnails of the pictures an approval would publish for the first time.
  function pictures(slug, items) {
    var list = el("ul", { class: "diff-pictures", "data-diff-pictures": "" });
    items.forEach(function (picture) {
      var figure = list.appendChild(el("li")).appendChild(el("figure"));
      var img = figure.appendChild(el("img", { alt: picture.name, width: "160", "data-picture": picture.name }));
      figure.appendChild(el("figcaption", { class: "small" }, (picture.change === "added" ? "New: " : "Replaced: ") + picture.name));
      H.api("/admin/creators/" + slug + "/images/" + encodeURIComponent(picture.name))
        .then(function (r) { return r.ok ? r.blob() : null; })
        .then(function (blob) {
          if (!blob) { img.alt = picture.name + " (could not be shown)"; return; }
          var reader = new FileReader();  // a data: URL, which the pages' policy allows for images
          reader.onload = function () { img.src = reader.result; };
          reader.readAsDataURL(blob);
        });
    });
    return list;
  }

  // Longest-common-subsequence diff of two line arrays: [["same"|"add"|"del", line], …].
  function lineDiff(a, b) {
    var n = a.length, m = b.length, lcs = [], i, j;
    for (i = 0; i <= n; i++) { lcs.push(new Array(m + 1).fill(0)); }
    for (i = n - 1; i >= 0; i--) for (j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    var out = [];
    for (i = 0, j = 0; i < n || j < m;) {
      if (i < n && j < m && a[i] === b[j]) { out.push(["same", a[i]]); i++; j++; }
      else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) { out.push(["del", a[i]]); i++; }  // what goes, then what comes
      else { out.push(["add", b[j]]); j++; }
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
    var creator = form.appendChild(el("input", { name: "creator", placeholder: "Creator slug", "aria-label": "Creator slug" }));
    var customer = form.appendChild(el("input", { name: "customer", placeholder: "Customer id", "aria-label": "Customer id" }));
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
          var reason = actions.appendChild(el("input", { name: "reason", placeholder: "Reason", "aria-label": "Reason to suspend", value: "Scraping numbers", maxlength: "500" }));
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
    var q = form.appendChild(el("input", { name: "q", placeholder: "Email or name", "aria-label": "Email or name" }));
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
        var reason = el("input", { name: "reason", placeholder: "Reason", "aria-label": "Reason to suspend", maxlength: "500" });
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
  // Each report in words: what was reported, by whom (the customer or the creator of a
  // contact: the API names both parties of a contact), links to the creator's page and to
  // the contacts behind it, and every resolution the API offers, worded as what it does
  // (ReportResolution.swift: `suspend_creator` takes the creator's page off Haat;
  // `suspend_user` suspends the *account* of the contact's other party; a profile report
  // has no such party).
  function reports(box) {
    var status = select("status", [["open", "Open"], ["resolved", "Resolved"]], "open");
    box.appendChild(el("label", {}, "Show ")).appendChild(status);
    var list = box.appendChild(el("div", { "data-reports": "" }));
    function load() {
      call("/admin/reports?limit=100&status=" + status.value).then(function (page) {
        clear(list);
        if (!page.items.length) list.appendChild(el("p", { class: "muted" }, status.value === "open" ? "No open reports." : "No resolved reports."));
        page.items.forEach(function (r) {
          var card = list.appendChild(el("article", { class: "panel", "data-report": r.report_id, "data-report-of": r.contact_id ? "contact" : "creator" }));
          reportCard(card, r, load);
        });
      }, function (error) { clear(list).textContent = error.message; });
    }
    status.addEventListener("change", load);
    load();
  }

  var REPORT_REASONS = { fake_profile: "Fake profile", no_show: "Didn't show up", spam: "Spam", abuse: "Abusive", other: "Other" };

  // Which party of the reported contact filed it: "customer", "creator", or null for a profile.
  function reporterSide(r) {
    if (!r.contact) return null;
    return r.contact.customer.id === r.reporter.id ? "customer" : "creator";
  }

  // A resolution in words: [what its button says, what the report says once resolved].
  function resolutionWords(action, r) {
    if (action === "dismiss") return ["Dismiss: nothing wrong", "dismissed, nothing wrong"];
    var side = reporterSide(r);
    // A contact's creator reporting its own lead: suspending "the creator" suspends them.
    var creator = side === "creator" ? "the reporting creator" : "the creator";
    if (action === "suspend_creator") return ["Suspend " + creator + " (page off Haat)", "suspended " + creator + " (page off Haat)"];
    var who = side === "customer" ? "the creator's account" : "the customer's account";
    return ["Suspend " + who, "suspended " + who];
  }

  function reportCard(card, r, reload) {
    var side = reporterSide(r);
    var creator = r.creator_slug || (r.contact && r.contact.creator_slug);
    var title = card.appendChild(el("h3", {}, (REPORT_REASONS[r.reason] || r.reason) + " · " + (r.contact_id ? "a contact with " : "the profile ")));
    title.appendChild(el("a", { href: "/creators/" + encodeURIComponent(creator) + "/", "data-report-creator": creator }, creator));
    var by = side ? " (the " + side + " of the contact)" : "";
    card.appendChild(el("p", { class: "small muted" }, "Reported by " + r.reporter.email + by + ", " + day(r.created_at)));
    if (r.contact) card.appendChild(el("p", { class: "small" }, "Customer of the contact: " + r.contact.customer.name + " (" + r.contact.customer.email + ")"));
    if (r.details) card.appendChild(el("blockquote", { class: "report-details" }, r.details));

    // Where to look: the creator's page, and the contact attempts behind the report.
    var links = card.appendChild(el("p", { class: "actions small", "data-report-links": "" }));
    links.appendChild(el("a", { href: "/creators/" + encodeURIComponent(creator) + "/" }, "Creator's page"));
    links.appendChild(contactsLink("Contacts with " + creator, { creator: creator }));
    if (r.contact) links.appendChild(contactsLink("This customer's contacts", { customer: r.contact.customer.id }));

    if (r.resolution) {
      card.appendChild(el("p", { "data-resolution": r.resolution.action }, "Resolved on " + day(r.resolution.at) + ": " + resolutionWords(r.resolution.action, r)[1] + "."));
      if (r.resolution.note) card.appendChild(el("p", { class: "small" }, "Note: " + r.resolution.note));
      return;
    }
    var actions = card.appendChild(el("div", { class: "actions", "data-report-actions": "" }));
    var note = el("input", { name: "note", maxlength: "2000" });
    var result = el("p", { class: "form-status", role: "status" });
    // Every resolution the API offers for this report: suspending a user needs a contact.
    ["dismiss", "suspend_creator"].concat(r.contact_id ? ["suspend_user"] : []).forEach(function (action) {
      actions.appendChild(button(resolutionWords(action, r)[0], { "data-resolve": action }, function () {
        act(result, function () { return resolveReport(r, action, note.value); }, reload);
      }));
    });
    var noteLabel = actions.appendChild(el("label", { class: "report-note" }, "Note (optional) "));
    noteLabel.appendChild(note);
    card.appendChild(el("p", { class: "small muted report-help" }, "Suspending the creator takes their page off Haat and stops reveals of their number until reinstated. " +
      (r.contact_id ? "Suspending an account signs it out and keeps it out (no sign-in, no reveals); a creator's page stays up." : "")));
    card.appendChild(result);
  }

  // Resolves `r` with `action`; the API's refusals are said for this report.
  function resolveReport(r, action, note) {
    return H.api("/admin/reports/" + r.report_id + "/resolve", { method: "POST", body: { action: action, note: note } }).then(H.read).then(function (reply) {
      if (reply.status < 400) return reply.json;
      // A contact's creator with no account on Haat: there is no account to suspend.
      if (reply.status === 422 && action === "suspend_user" && reporterSide(r) === "customer") {
        throw new Error("Nobody to suspend: this creator has no account on Haat. Suspend the creator (page off Haat) instead.");
      }
      throw new Error(H.message(reply));
    });
  }

  // A link that opens the Contacts section filtered by `filter` ({creator} or {customer}).
  function contactsLink(label, filter) {
    var link = el("a", { href: "#contacts", "data-contacts-link": filter.creator ? "creator" : "customer" }, label);
    link.addEventListener("click", function (event) {
      event.preventDefault();
      open("contacts");
      var form = panel.querySelector("[data-contacts-filter]");
      if (!form) return;
      Object.keys(filter).forEach(function (name) { form.elements.namedItem(name).value = filter[name]; });
      // Filtered once the section's own first (unfiltered) list is in, so that one cannot
      // arrive last and replace the filtered list.
      var watch = new MutationObserver(function () {
        if (!panel.querySelector("[data-attempts]")) return;
        watch.disconnect();
        if (form.requestSubmit) form.requestSubmit(); else form.dispatchEvent(new Event("submit", { cancelable: true }));
      });
      watch.observe(panel, { childList: true, subtree: true });
      window.scrollTo(0, 0);
    });
    return link;
  }

  // ---- Reviews ----
  function reviews(box) {
    box.appendChild(el("p", { class: "small muted" }, "Customers' reviews of creators they contacted. A published review appears on the creator's page after the next rebuild."));
    var list = box.appendChild(el("div", { "data-reviews": "" }));
    var note = el("p", { class: "form-status", role: "status" });
    box.appendChild(note);
    function load() {
      call("/admin/reviews?limit=100&status=pending").then(function (page) {
        clear(list);
        if (!page.items.length) list.appendChild(el("p", { class: "muted" }, "No review waits for approval."));
        page.items.forEach(function (r) {
          var card = list.appendChild(el("article", { class: "panel", "data-review-id": r.review_id }));
          var head = card.appendChild(el("h3", {}));
          head.appendChild(el("span", { class: "stars", role: "img", "aria-label": r.rating + " of 5 stars" }, "★★★★★".slice(0, r.rating) + "☆☆☆☆☆".slice(0, 5 - r.rating)));
          head.appendChild(document.createTextNode(" for "));
          head.appendChild(el("a", { href: "/creators/" + encodeURIComponent(r.creator_slug) + "/" }, r.creator_slug));
          card.appendChild(el("p", {}, r.text || "(No text: a rating only.)"));
          card.appendChild(el("p", { class: "small muted" }, "By " + r.customer.name + ", " + day(r.created_at)));
          var actions = card.appendChild(el("div", { class: "actions" }));
          function decide(action) { return function () { act(note, function () { return call("/admin/reviews/" + r.review_id + "/" + action, { method: "POST" }); }, load); }; }
          actions.appendChild(button("Publish it", { class: "btn small-btn primary", "data-action": "approve-review" }, decide("approve")));
          actions.appendChild(button("Don't publish", { "data-action": "reject-review" }, decide("reject")));
        });
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
