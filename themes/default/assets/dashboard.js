// Haat creator dashboard: the lead inbox, live over a WebSocket, and lead analytics.
// Needs app.js (window.Haat). Leads arrive in `seq` order; each is shown once (by
// contact id) and acknowledged once it is on screen, so a reload or a reconnect replays
// only what was never shown.
(function () {
  "use strict";
  var H = window.Haat;
  var root = document.querySelector('[data-app="dashboard"]');
  if (!H || !root) return;
  var el = H.el;
  var STATUSES = ["new", "responded", "won", "lost"];
  var LABELS = { new: "New", responded: "Responded", won: "Won", lost: "Lost" };

  var s = H.session();
  root.textContent = "";
  if (!s) {
    root.appendChild(el("p", {}, "Sign in with your creator account to see your leads."));
    root.appendChild(el("a", { class: "btn primary", href: "/account/?next=/dashboard/" }, "Sign in"));
    return;
  }
  if (s.user.role !== "creator") {
    root.appendChild(el("p", {}, "This dashboard is for creator accounts. You are signed in as a customer (" + s.user.email + ")."));
    return;
  }

  // ---- Layout ----
  var live = el("p", { class: "live", "data-live-status": "connecting", role: "status" }, "Connecting…");
  var filters = el("div", { class: "filters", role: "group", "aria-label": "Show leads" });
  var list = el("ol", { class: "leads", "data-leads": "" });
  var more = el("button", { type: "button", class: "btn", hidden: "" }, "Show older leads");
  var empty = el("p", { class: "muted", hidden: "" }, "No leads yet. When a customer asks for your number, they appear here at once.");
  var inbox = el("section", { "aria-labelledby": "inbox-title" });
  inbox.appendChild(el("h2", { id: "inbox-title" }, "Leads"));
  [live, filters, empty, list, more].forEach(function (node) { inbox.appendChild(node); });
  var stats = el("section", { class: "analytics", "aria-labelledby": "stats-title", "data-analytics": "" });
  stats.appendChild(el("h2", { id: "stats-title" }, "Analytics"));
  root.appendChild(inbox);
  root.appendChild(stats);

  // ---- Inbox ----
  var leads = {};      // contact_id → lead
  var filter = "";     // "" = all
  var cursor = null;

  ["", "new", "responded", "won", "lost"].forEach(function (status) {
    var b = el("button", { type: "button", class: "chip", "data-filter": status, "aria-pressed": String(status === filter) }, status ? LABELS[status] : "All");
    b.addEventListener("click", function () {
      filter = status;
      Array.prototype.forEach.call(filters.children, function (c) { c.setAttribute("aria-pressed", String(c === b)); });
      Array.prototype.forEach.call(list.children, function (item) { item.hidden = !visible(leads[item.getAttribute("data-lead")]); });
      refreshEmpty();
    });
    filters.appendChild(b);
  });

  function visible(lead) { return !filter || lead.status === filter; }
  function refreshEmpty() {
    var shown = Array.prototype.some.call(list.children, function (item) { return !item.hidden; });
    empty.hidden = shown;
  }

  // The profiles' names by slug, for the lead cards (a creator may run several profiles).
  var names = {};
  H.api("/creator/profiles").then(H.read).then(function (reply) {
    (reply.json.items || []).forEach(function (profile) { names[profile.slug] = profile.name; });
    Array.prototype.forEach.call(list.querySelectorAll("[data-lead-profile]"), function (span) {
      var lead = leads[span.closest("[data-lead]").getAttribute("data-lead")];
      if (lead) span.textContent = " · " + H.when(lead.created_at) + " · " + profileName(lead.creator_slug);
    });
  });
  function profileName(slug) { return names[slug] || slug; }
  function leadWhatsApp(lead) {
    var text = "Hello " + lead.customer.name.split(" ")[0] + ", this is " + profileName(lead.creator_slug) + " from Haat" +
      (lead.service ? ", about your " + lead.service : "") + ".";
    return "https://wa.me/" + lead.callback_phone.replace(/\D/g, "") + "?text=" + encodeURIComponent(text);
  }

  function render(lead) {
    var item = el("li", { class: "lead", "data-lead": lead.contact_id, "data-status": lead.status });
    var head = el("div", { class: "lead-head" });
    head.appendChild(el("strong", {}, lead.customer.name));
    head.appendChild(el("span", { class: "muted small", "data-lead-profile": lead.creator_slug }, " · " + H.when(lead.created_at) + " · " + profileName(lead.creator_slug)));
    item.appendChild(head);
    if (lead.service) item.appendChild(el("p", { class: "lead-service" }, lead.service));
    if (lead.message) item.appendChild(el("p", { class: "lead-message" }, lead.message));
    if (lead.callback_phone) {
      // The customer asked to be called back: one tap to call, or to answer on WhatsApp.
      var reach = item.appendChild(el("p", { class: "lead-reach" }));
      reach.appendChild(el("a", { class: "btn primary", href: "tel:" + lead.callback_phone, "data-call-back": "" }, "Call " + H.phoneText(lead.callback_phone)));
      reach.appendChild(el("a", { class: "btn", href: leadWhatsApp(lead), rel: "noopener", "data-whatsapp-back": "" }, "WhatsApp"));
    }
    var actions = el("div", { class: "lead-actions", role: "group", "aria-label": "Status" });
    STATUSES.forEach(function (status) {
      var b = el("button", { type: "button", class: "chip", "data-set-status": status, "aria-pressed": String(lead.status === status) }, LABELS[status]);
      b.addEventListener("click", function () { setStatus(lead.contact_id, status, item); });
      actions.appendChild(b);
    });
    item.appendChild(actions);
    item.hidden = !visible(lead);
    return item;
  }

  // Adds or replaces a lead; `fresh` ones (live) go on top with a cue.
  function show(lead, fresh) {
    var known = leads[lead.contact_id];
    leads[lead.contact_id] = lead;
    var item = render(lead);
    var old = list.querySelector('[data-lead="' + CSS.escape(lead.contact_id) + '"]');
    if (old) { list.replaceChild(item, old); }
    else if (fresh) { list.insertBefore(item, list.firstChild); }
    else { list.appendChild(item); }
    if (fresh && !known) cue(item);
    refreshEmpty();
  }

  function setStatus(id, status, item) {
    item.classList.add("busy");
    H.api("/creator/leads/" + encodeURIComponent(id), { method: "PATCH", body: { status: status } }).then(H.read).then(function (reply) {
      item.classList.remove("busy");
      if (reply.status === 200) { show(reply.json, false); loadStats(); }
      else alert(H.message(reply));
    });
  }

  function loadPage() {
    more.hidden = true;
    H.api("/creator/leads?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "")).then(H.read).then(function (reply) {
      if (reply.status !== 200) { live.textContent = H.message(reply); return; }
      reply.json.items.forEach(function (lead) { if (!leads[lead.contact_id]) show(lead, false); });
      cursor = reply.json.next_cursor;
      more.hidden = !cursor;
      refreshEmpty();
      showAsked();
    });
  }

  // A notification's tap opens /dashboard/?lead=ID: that lead, in view and highlighted.
  var asked = new URLSearchParams(location.search).get("lead");
  function showAsked() {
    var item = asked && list.querySelector('[data-lead="' + CSS.escape(asked) + '"]');
    if (!item) return;
    asked = null;
    item.hidden = false;
    item.scrollIntoView({ block: "center" });
    cue(item);
  }
  more.addEventListener("click", loadPage);

  // ---- The cue: a highlight, the tab title, and a short tone where allowed ----
  var unseen = 0, title = document.title, audio = null;
  function cue(item) {
    item.classList.add("arrived");
    setTimeout(function () { item.classList.remove("arrived"); }, 4000);
    if (document.hidden) { unseen += 1; document.title = "(" + unseen + ") New lead · " + title; }
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var tone = audio.createOscillator(), gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.08, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.4);
      tone.connect(gain); gain.connect(audio.destination);
      tone.start(); tone.stop(audio.currentTime + 0.4);
    } catch (e) { /* no sound: the highlight is enough */ }
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { unseen = 0; document.title = title; } });

  // ---- Live: a WebSocket, a fresh ticket per connect, reconnect with backoff ----
  var attempt = 0;
  function socketURL(ticket) {
    var base = new URL(H.API + "/creator/notifications", location.href);
    base.protocol = base.protocol === "https:" ? "wss:" : "ws:";
    base.searchParams.set("ticket", ticket);
    return base.toString();
  }
  function setLive(state, text) { live.setAttribute("data-live-status", state); live.textContent = text; }
  function reconnect() {
    attempt += 1;
    var delay = Math.min(30000, 1000 * Math.pow(2, attempt - 1)) * (0.75 + Math.random() / 2);
    setLive("offline", "Offline — reconnecting in " + Math.round(delay / 1000) + " s…");
    setTimeout(connect, delay);
  }
  function connect() {
    H.api("/creator/notifications/ticket", { method: "POST" }).then(H.read).then(function (reply) {
      if (reply.status !== 201) {
        if (reply.status === 401 || reply.status === 403) { setLive("offline", H.message(reply)); return; }
        reconnect(); return;
      }
      var socket = new WebSocket(socketURL(reply.json.ticket));
      socket.onopen = function () { attempt = 0; setLive("live", "Live: new leads appear here at once."); };
      socket.onmessage = function (event) {
        var message;
        try { message = JSON.parse(event.data); } catch (e) { return; }
        if (message.type !== "lead") return;
        show(message.lead, true);
        loadStats();
        document.dispatchEvent(new CustomEvent("haat:lead", { detail: message.lead }));
        socket.send(JSON.stringify({ type: "ack", seq: message.seq }));
      };
      socket.onclose = function () { reconnect(); };
    }).catch(reconnect);
  }

  // ---- Analytics: 7 / 30 / 90 days ----
  var days = 30, statsTimer = null;
  var periods = el("div", { class: "filters", role: "group", "aria-label": "Period" });
  [7, 30, 90].forEach(function (n) {
    var b = el("button", { type: "button", class: "chip", "data-days": String(n), "aria-pressed": String(n === days) }, n + " days");
    b.addEventListener("click", function () {
      days = n;
      Array.prototype.forEach.call(periods.children, function (c) { c.setAttribute("aria-pressed", String(c === b)); });
      loadStats();
    });
    periods.appendChild(b);
  });
  var figures = el("div", { "data-figures": "" });
  stats.appendChild(periods);
  stats.appendChild(figures);

  function loadStats() {
    clearTimeout(statsTimer);  // several leads at once: one request
    statsTimer = setTimeout(function () {
      H.api("/creator/analytics?days=" + days).then(H.read).then(function (reply) {
        if (reply.status === 200) drawStats(reply.json);
      });
    }, 150);
  }

  function drawStats(a) {
    figures.textContent = "";
    var summary = el("dl", { class: "figures" });
    [["Leads", String(a.total), "data-analytics-total"],
     ["Response rate", Math.round(a.response_rate * 100) + "%", "data-analytics-rate"],
     ["Median response", a.median_response_minutes === null ? "—" : minutes(a.median_response_minutes), "data-analytics-median"]
    ].forEach(function (f) {
      var box = el("div");
      box.appendChild(el("dt", {}, f[0]));
      var value = el("dd", {}, f[1]);
      value.setAttribute(f[2], "");
      box.appendChild(value);
      summary.appendChild(box);
    });
    figures.appendChild(summary);
    figures.appendChild(chart(a.by_day));
    var table = el("table", { class: "by-service" });
    var head = el("tr");
    head.appendChild(el("th", { scope: "col" }, "Service"));
    head.appendChild(el("th", { scope: "col" }, "Leads"));
    table.appendChild(head);
    a.by_service.forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("td", {}, row.service || "Not specified"));
      tr.appendChild(el("td", {}, String(row.count)));
      table.appendChild(tr);
    });
    if (a.by_service.length) figures.appendChild(table);
    figures.appendChild(el("p", { class: "small muted" }, STATUSES.map(function (st) { return LABELS[st] + ": " + a.by_status[st]; }).join(" · ")));
  }

  function minutes(m) { return m < 60 ? Math.round(m) + " min" : (m / 60).toFixed(1) + " h"; }

  // A bar per day, in inline SVG (no library): the tallest day fills the height.
  function chart(byDay) {
    var NS = "http://www.w3.org/2000/svg";
    var width = 300, height = 80, max = Math.max.apply(null, byDay.map(function (d) { return d.count; }).concat([1]));
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + (height + 2));
    svg.setAttribute("class", "chart");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Leads per day, " + byDay[0].date + " to " + byDay[byDay.length - 1].date);
    var step = width / byDay.length;
    byDay.forEach(function (d, i) {
      var h = d.count ? Math.max(2, (d.count / max) * height) : 1;
      var bar = document.createElementNS(NS, "rect");
      bar.setAttribute("x", (i * step + step * 0.1).toFixed(2));
      bar.setAttribute("y", (height - h + 1).toFixed(2));
      bar.setAttribute("width", (step * 0.8).toFixed(2));
      bar.setAttribute("height", h.toFixed(2));
      var tip = document.createElementNS(NS, "title");
      tip.textContent = d.date + ": " + d.count;
      bar.appendChild(tip);
      svg.appendChild(bar);
    });
    return svg;
  }

  loadPage();
  connect();
  loadStats();
})();
