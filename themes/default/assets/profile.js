// Haat profile editor ("My profile" on /dashboard/): a creator starts and keeps its
// profile from a phone. The form edits the fields the server parsed from the profile's
// text and writes the text back (every string as a JSON string, which is also valid
// YAML); "Edit the file" edits the text itself. Images upload with progress, a preview
// renders with the site's own template, and every save waits for an admin's approval.
// Needs app.js (window.Haat).
(function () {
  "use strict";
  var H = window.Haat;
  var root = document.querySelector('[data-app="profile"]');
  if (!H || !root) return;
  var el = H.el;
  var s = H.session();
  if (!s || s.user.role !== "creator") return; // dashboard.js says why

  // ---- Tabs: Leads | My profile ----
  var tabs = document.querySelector("[data-dash-tabs]");
  var leadsPanel = document.getElementById("leads");
  function showTab() {
    var onProfile = location.hash === "#profile";
    root.hidden = !onProfile;
    if (leadsPanel) leadsPanel.hidden = onProfile;
    Array.prototype.forEach.call(tabs.querySelectorAll("a"), function (a) {
      if (a.getAttribute("data-tab") === (onProfile ? "profile" : "leads")) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
  }
  tabs.hidden = false;
  window.addEventListener("hashchange", showTab);
  showTab();

  var MAX_BYTES = 8 * 1024 * 1024;
  var state = null;    // {slug, base, text, status, revision, reason, changed, images[], profile{}}
  var pictures = {};   // image name → data: URL of its preview-size copy
  var dirty = false;
  var previewTimer = null;
  var mode = "form";
  var ui = {};

  window.addEventListener("beforeunload", function (event) { if (dirty) { event.preventDefault(); event.returnValue = ""; } });

  function catalogSelect(kind, name, value) {
    var source = document.querySelector("[data-catalog-" + kind + "]");
    var select = source ? source.cloneNode(true) : el("select");
    select.removeAttribute("data-catalog-" + kind);
    select.name = name;
    if (value) select.value = value;
    return select;
  }
  function field(label, input, key, hint) {
    var wrap = el("label", { "data-field": key });
    wrap.appendChild(document.createTextNode(label));
    if (hint) wrap.appendChild(el("span", { class: "muted small" }, hint));
    wrap.appendChild(input);
    wrap.appendChild(el("span", { class: "field-error", "data-error-for": key, role: "alert" }));
    return wrap;
  }
  function input(attrs, value) {
    var node = el("input", attrs);
    if (value !== null && value !== undefined) node.value = value;
    return node;
  }
  function api(path, options) { return H.api(path, options).then(H.read); }
  function slugify(text) { return text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64); }

  // ---- Start: the caller's profiles ----
  function start(wanted) {
    root.textContent = "";
    root.appendChild(el("p", { class: "muted" }, "Loading your profile…"));
    api("/creator/profiles").then(function (reply) {
      if (reply.status !== 200) { root.textContent = H.message(reply); return; }
      // A profile naming this account's email is its to edit only once an admin confirmed
      // that it really is the owner's (anyone can sign up with any email).
      var items = reply.json.items.filter(function (p) { return p.owner_confirmed; });
      var waiting = reply.json.items.filter(function (p) { return !p.owner_confirmed; });
      if (!items.length) { renderCreate(items, waiting); return; }
      var chosen = items.filter(function (p) { return p.slug === wanted; })[0] || items[0];
      load(chosen.slug, items);
    });
  }

  function renderWaiting(waiting) {
    var note = el("div", { class: "note", "data-owner-waiting": "" });
    waiting.forEach(function (p) {
      note.appendChild(el("p", {}, "“" + p.name + "” names your email as its owner. A Haat admin confirms that it is yours " +
        "(we may call the number on the profile) before you can edit it and receive its leads; it appears here once confirmed."));
      // Or at once, by a code texted to the phone on the profile (with phone verification on).
      if (H.claimForm) {
        var claim = note.appendChild(el("details", { class: "inline-form", "data-claim": p.slug }));
        claim.appendChild(el("summary", {}, "It's mine: confirm by a code to the profile's phone"));
        claim.appendChild(H.claimForm(p.slug, function () { start(p.slug); }));
      }
    });
    return note;
  }

  function renderCreate(items, waiting) {
    root.textContent = "";
    if (waiting && waiting.length) root.appendChild(renderWaiting(waiting));
    var form = el("form", { class: "stack panel", "data-profile-create": "" });
    form.appendChild(el("h2", {}, items.length ? "Start another profile" : "Start your profile"));
    form.appendChild(el("p", { class: "muted" }, "Your profile is your page on Haat. Fill in the basics now; an admin checks it before it goes live."));
    var name = input({ name: "name", required: "", maxlength: "100", autocomplete: "organization" });
    var slug = input({ name: "slug", required: "", maxlength: "64", pattern: "[a-z0-9\\-]{2,64}" });
    var slugEdited = false;
    name.addEventListener("input", function () { if (!slugEdited) slug.value = slugify(name.value); });
    slug.addEventListener("input", function () { slugEdited = true; });
    form.appendChild(field("Business name", name, "name"));
    form.appendChild(field("Web address", slug, "slug", " haat…/creators/your-name/ (a–z, 0–9 and -)"));
    form.appendChild(field("Category", catalogSelect("categories", "category"), "category"));
    form.appendChild(field("City", catalogSelect("cities", "city"), "city"));
    var status = el("p", { class: "form-status", role: "status" });
    form.appendChild(status);
    form.appendChild(el("button", { class: "btn primary", type: "submit" }, "Create my profile"));
    if (items.length) {
      var back = el("button", { class: "btn", type: "button" }, "Back to my profile");
      back.addEventListener("click", function () { start(); });
      form.appendChild(back);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      status.textContent = "Creating…";
      api("/creator/profiles", { method: "POST", body: { slug: slug.value, name: name.value, category: form.elements.namedItem("category").value,
                                                   city: form.elements.namedItem("city").value } })
        .then(function (reply) {
          if (reply.status === 201) { start(reply.json.slug); return; }
          status.textContent = H.message(reply);
        });
    });
    root.appendChild(form);
  }

  function load(slug, items) {
    api("/creator/profiles/" + encodeURIComponent(slug) + "/source").then(function (reply) {
      if (reply.status !== 200) { root.textContent = H.message(reply); return; }
      var j = reply.json;
      state = { slug: j.slug, base: j.content_sha256, text: j.text, status: j.status, revision: j.revision_status, reason: j.status_reason,
                changed: j.changed_since_approval, images: j.images, profile: j.profile, items: items || (state && state.items) || [] };
      dirty = false;
      mode = state.profile ? "form" : "file";
      renderEditor();
      state.images.forEach(function (image) { loadPicture(image.name); });
      schedulePreview(0);
    });
  }

  // ---- The editor ----
  function statusText() {
    var reason = state.reason ? " (" + state.reason + ")" : "";
    if (state.status === "suspended") return "Suspended" + reason + ": it is not shown on Haat. Write to us if you think this is a mistake.";
    if (state.status === "rejected") return "Not approved" + reason + ". Change what was asked and save to send it again.";
    if (state.status === "pending") return "Waiting for approval: an admin checks every new profile before it goes live.";
    if (state.changed && state.revision === "pending") return "Live on Haat. Your latest changes wait for an admin's approval.";
    if (state.changed && state.revision === "rejected") return "Live on Haat (the approved version). Your last changes were not approved" + reason + ".";
    return "Live on Haat: your page shows this profile.";
  }

  function renderEditor() {
    root.textContent = "";
    var head = el("div", { class: "editor-head" });
    head.appendChild(el("h2", {}, "My profile"));
    if (state.items.length > 1) {
      var pick = el("select", { name: "profile" });
      state.items.forEach(function (p) { var o = el("option", { value: p.slug }, p.name); if (p.slug === state.slug) o.selected = true; pick.appendChild(o); });
      pick.addEventListener("change", function () { if (!dirty || confirm("Leave without saving your changes?")) start(pick.value); });
      var pickLabel = el("label", { class: "editor-pick" }, "Profile ");
      pickLabel.appendChild(pick);
      head.appendChild(pickLabel);
    }
    ui.status = el("p", { class: "note", "data-profile-status": state.status + "/" + state.revision }, statusText());
    head.appendChild(ui.status);
    if (state.status === "approved") head.appendChild(el("a", { href: "/creators/" + state.slug + "/" }, "See your page →"));
    var another = el("button", { type: "button", class: "btn small" }, "Start another profile");
    another.addEventListener("click", function () { renderCreate(state.items); });
    head.appendChild(another);
    root.appendChild(head);

    var modes = el("div", { class: "filters", role: "group", "aria-label": "How to edit" });
    [["form", "Form"], ["file", "Edit the file"]].forEach(function (m) {
      var b = el("button", { type: "button", class: "chip", "data-mode": m[0], "aria-pressed": String(mode === m[0]) }, m[1]);
      b.addEventListener("click", function () { switchMode(m[0]); });
      modes.appendChild(b);
    });
    root.appendChild(modes);

    var columns = el("div", { class: "editor-columns" });
    var left = el("div", { class: "editor-main" });
    ui.errors = el("ul", { class: "form-status", "data-profile-errors": "", role: "alert" });
    left.appendChild(ui.errors);
    if (mode === "form" && state.profile) left.appendChild(renderForm(state.profile)); else left.appendChild(renderFile());
    left.appendChild(renderImages());
    var actions = el("div", { class: "editor-actions" });
    ui.save = el("button", { type: "button", class: "btn primary", "data-profile-save": "" }, "Save for approval");
    ui.save.addEventListener("click", save);
    ui.saved = el("p", { class: "small", role: "status", "data-profile-saved": "" });
    actions.appendChild(ui.save);
    actions.appendChild(ui.saved);
    left.appendChild(actions);
    keepClearOf(actions);
    columns.appendChild(left);

    var right = el("div", { class: "editor-preview" });
    right.appendChild(el("h3", {}, "Preview"));
    ui.preview = el("iframe", { title: "Preview of your page", sandbox: "", "data-profile-preview": "", loading: "lazy" });
    right.appendChild(ui.preview);
    columns.appendChild(right);
    root.appendChild(columns);
  }

  // The save bar sticks to the bottom of the screen: the page keeps its height free when
  // it brings a field into view (scroll-padding-bottom in app.css), whatever its height
  // (its status may wrap on a narrow phone).
  var barWatch = window.ResizeObserver ? new ResizeObserver(function (entries) {
    var bar = entries[entries.length - 1].target;
    document.documentElement.style.setProperty("--save-bar", Math.ceil(bar.getBoundingClientRect().height) + "px");
  }) : null;
  function keepClearOf(bar) {
    if (!barWatch) return;
    barWatch.disconnect();
    barWatch.observe(bar);
  }

  function changed() {
    dirty = true;
    ui.saved.textContent = "Unsaved changes.";
    schedulePreview(700);
  }

  // ---- The form ----
  function renderForm(p) {
    var form = el("form", { class: "stack", "data-profile-form": "", novalidate: "" });
    form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    ui.form = form;
    form.appendChild(field("Business name", input({ name: "name", maxlength: "100" }, p.name), "name"));
    form.appendChild(field("Category", catalogSelect("categories", "category", p.categories[0]), "category"));
    form.appendChild(field("City", catalogSelect("cities", "city", p.city), "city"));
    form.appendChild(field("Area", input({ name: "area", maxlength: "80", placeholder: "Your neighbourhood" }, p.area), "area"));
    form.appendChild(field("Working since", input({ name: "since", type: "number", inputmode: "numeric", min: "1950", max: "2100" }, p.since), "since"));
    form.appendChild(field("Languages", input({ name: "languages", placeholder: "Marathi, Hindi, English" }, p.languages.join(", ")), "languages", " separated by commas"));
    var contact = el("fieldset", { class: "stack" });
    contact.appendChild(el("legend", {}, "Your number (only customers who ask see it)"));
    contact.appendChild(field("Phone", input({ name: "phone", type: "tel", autocomplete: "tel" }, p.contact.phone), "phone"));
    contact.appendChild(field("WhatsApp", input({ name: "whatsapp", type: "tel" }, p.contact.whatsapp), "whatsapp", " optional"));
    contact.appendChild(field("Email", input({ name: "email", type: "email" }, p.contact.email), "email", " optional"));
    form.appendChild(contact);

    var services = el("fieldset", { class: "stack", "data-services": "" });
    services.appendChild(el("legend", {}, "Services and prices"));
    services.appendChild(el("span", { class: "field-error", "data-error-for": "services", role: "alert" }));
    var list = el("ol", { class: "service-list" });
    services.appendChild(list);
    function addService(sv) {
      var item = el("li", { class: "service-edit" });
      item.appendChild(field("Service", input({ "data-service": "title", maxlength: "120" }, sv.title), "title"));
      item.appendChild(field("Price from (₹)", input({ "data-service": "price_from", type: "number", inputmode: "numeric", min: "0" }, sv.price_from), "price_from"));
      var description = el("textarea", { "data-service": "description", rows: "2", maxlength: "500" });
      description.value = sv.description || "";
      item.appendChild(field("What it includes", description, "description", " optional"));
      var remove = el("button", { type: "button", class: "btn small" }, "Remove this service");
      remove.addEventListener("click", function () { item.remove(); changed(); });
      item.appendChild(remove);
      list.appendChild(item);
    }
    p.services.forEach(addService);
    var add = el("button", { type: "button", class: "btn small", "data-add-service": "" }, "Add a service");
    add.addEventListener("click", function () { addService({ title: "", price_from: "", description: "" }); changed(); });
    services.appendChild(add);
    form.appendChild(services);

    form.appendChild(field("Tags", input({ name: "tags", placeholder: "eggless, birthday" }, p.tags.join(", ")), "tags", " separated by commas"));
    var story = el("textarea", { name: "story", rows: "8" });
    story.value = p.story;
    form.appendChild(field("About you", story, "story", " Markdown: **bold**, lists with -"));
    // Kept as they are: the account that manages the profile, further categories.
    ui.keep = { account: p.account, categories: p.categories.slice(1) };
    return form;
  }

  function list(text) { return text.split(",").map(function (t) { return t.trim(); }).filter(Boolean); }
  function q(value) { return JSON.stringify(String(value)); }

  // The form as the profile's text, and which field each line of it came from.
  function serialize() {
    var f = {}, lines = ["---"], origin = {};
    ["name", "category", "city", "area", "since", "languages", "phone", "whatsapp", "email", "tags", "story"].forEach(function (name) {
      f[name] = ui.form.elements.namedItem(name);
    });
    function add(line, key) { lines.push(line); origin[lines.length] = key; }
    var categories = [f.category.value].concat(ui.keep.categories);
    add("name: " + q(f.name.value.trim()), "name");
    if (categories.length > 1) add("categories: [" + categories.map(q).join(", ") + "]", "category"); else add("category: " + q(categories[0]), "category");
    add("city: " + q(f.city.value), "city");
    if (f.area.value.trim()) add("area: " + q(f.area.value.trim()), "area");
    if (f.since.value.trim()) add("since: " + (/^\d+$/.test(f.since.value.trim()) ? f.since.value.trim() : q(f.since.value)), "since");
    var languages = list(f.languages.value);
    if (languages.length) add("languages: [" + languages.map(q).join(", ") + "]", "languages");
    add("account: " + q(ui.keep.account), "account");
    add("contact:", "phone");
    add("  phone: " + q(f.phone.value.trim()), "phone");
    if (f.whatsapp.value.trim()) add("  whatsapp: " + q(f.whatsapp.value.trim()), "whatsapp");
    if (f.email.value.trim()) add("  email: " + q(f.email.value.trim()), "email");
    var items = ui.form.querySelectorAll(".service-edit");
    add("services:" + (items.length ? "" : " []"), "services");
    Array.prototype.forEach.call(items, function (item, i) {
      function v(name) { return item.querySelector('[data-service="' + name + '"]').value.trim(); }
      add("  - title: " + q(v("title")), "services." + i + ".title");
      add("    price_from: " + (/^\d+$/.test(v("price_from")) ? v("price_from") : q(v("price_from"))), "services." + i + ".price_from");
      if (v("description")) add("    description: " + q(v("description")), "services." + i + ".description");
    });
    if (state.profile.portfolio.length) {
      add("portfolio:", "portfolio");
      state.profile.portfolio.forEach(function (item) {
        add("  - image: " + q(item.image), "portfolio");
        if (item.caption) add("    caption: " + q(item.caption), "portfolio");
      });
    }
    var tags = list(f.tags.value);
    if (tags.length) add("tags: [" + tags.map(q).join(", ") + "]", "tags");
    add("---", "story");
    return { text: lines.join("\n") + "\n" + f.story.value, origin: origin, storyFrom: lines.length + 1 };
  }

  // ---- The file ----
  function renderFile() {
    var wrap = el("div", { class: "stack" });
    ui.text = el("textarea", { class: "source", rows: "24", spellcheck: "false", "data-profile-text": "", "aria-label": "The profile's file (index.md)" });
    ui.text.value = state.text;
    ui.text.addEventListener("input", changed);
    wrap.appendChild(el("p", { class: "muted small" }, "The whole profile file: YAML front matter between --- lines, then your story in Markdown."));
    wrap.appendChild(ui.text);
    ui.form = null;
    return wrap;
  }

  function currentText() {
    if (ui.form) { var out = serialize(); ui.origin = out; return out.text; }
    ui.origin = null;
    return ui.text.value;
  }

  function switchMode(next) {
    if (next === mode) return;
    var text = currentText();
    if (next === "file") { state.text = text; mode = "file"; renderEditor(); restoreDirty(); schedulePreview(0); return; }
    // Back to the form: the server reads the text into fields (or says what is wrong).
    api("/creator/profiles/" + state.slug + "/preview", { method: "POST", body: { text: text } }).then(function (reply) {
      if (reply.status !== 200) { showErrors(reply); return; }
      state.text = text;
      state.profile = reply.json.profile;
      mode = "form";
      renderEditor();
      restoreDirty();
      showPreview(reply.json.html);
    });
  }
  function restoreDirty() { if (dirty) ui.saved.textContent = "Unsaved changes."; }

  // ---- Errors beside their field, or with their line ----
  function clearErrors() {
    ui.errors.textContent = "";
    Array.prototype.forEach.call(root.querySelectorAll(".field-error"), function (node) { node.textContent = ""; });
    Array.prototype.forEach.call(root.querySelectorAll("[aria-invalid]"), function (node) { node.removeAttribute("aria-invalid"); });
  }
  function slotFor(key) {
    if (!ui.form || !key) return null;
    var parts = key.split(".");
    if (parts[0] === "services" && parts.length === 3) {
      var item = ui.form.querySelectorAll(".service-edit")[Number(parts[1])];
      return item ? item.querySelector('[data-error-for="' + parts[2] + '"]') : null;
    }
    if (parts[0] === "portfolio") return root.querySelector('[data-error-for="portfolio"]');
    return root.querySelector('[data-error-for="' + parts[0] + '"]');
  }
  function showErrors(reply) {
    clearErrors();
    var details = reply.json.error && reply.json.error.details;
    if (!details) { ui.errors.appendChild(el("li", {}, H.message(reply))); return; }
    details.forEach(function (d) {
      var key = ui.origin ? (d.line >= ui.origin.storyFrom ? "story" : ui.origin.origin[d.line]) : null;
      var slot = slotFor(key);
      if (slot) {
        slot.textContent = (slot.textContent ? slot.textContent + " " : "") + d.message;
        var control = slot.parentNode.querySelector("input, select, textarea");
        if (control) control.setAttribute("aria-invalid", "true");
      } else {
        ui.errors.appendChild(el("li", {}, "Line " + d.line + ": " + d.message));
      }
    });
  }

  // ---- Preview ----
  function schedulePreview(delay) {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(function () {
      var text = currentText();
      api("/creator/profiles/" + state.slug + "/preview", { method: "POST", body: { text: text } }).then(function (reply) {
        if (reply.status === 200) { clearErrors(); showPreview(reply.json.html); } else showErrors(reply);
      });
    }, delay);
  }
  function showPreview(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var prefix = H.API + "/creator/profiles/" + state.slug + "/images/";
    Array.prototype.forEach.call(doc.querySelectorAll("picture source"), function (node) { node.remove(); });
    Array.prototype.forEach.call(doc.querySelectorAll("img"), function (img) {
      var src = img.getAttribute("src") || "";
      if (src.indexOf(prefix) !== 0) return;
      var name = decodeURIComponent(src.slice(prefix.length));
      img.removeAttribute("srcset");
      img.removeAttribute("loading");
      img.setAttribute("src", pictures[name] || "");
      var link = img.closest("a");
      if (link) link.removeAttribute("href");
    });
    Array.prototype.forEach.call(doc.querySelectorAll("script"), function (node) { node.remove(); });
    ui.preview.srcdoc = "<!doctype html>" + doc.documentElement.outerHTML;
  }

  // ---- Save ----
  function save() {
    var text = currentText();
    ui.save.disabled = true;
    ui.saved.textContent = "Saving…";
    api("/creator/profiles/" + state.slug + "/source", { method: "PUT", body: { text: text, base_sha256: state.base } }).then(function (reply) {
      ui.save.disabled = false;
      if (reply.status === 200) {
        dirty = false;
        clearErrors();
        state.base = reply.json.content_sha256;
        state.text = text;
        ui.saved.textContent = "Saved. An admin checks it before it goes live.";
        api("/creator/profiles/" + state.slug + "/source").then(function (fresh) {
          if (fresh.status !== 200) return;
          state.status = fresh.json.status; state.revision = fresh.json.revision_status; state.reason = fresh.json.status_reason;
          state.changed = fresh.json.changed_since_approval;
          ui.status.textContent = statusText();
          ui.status.setAttribute("data-profile-status", state.status + "/" + state.revision);
        });
        return;
      }
      ui.saved.textContent = reply.status === 409 ? "" : "Not saved: fix what is marked.";
      if (reply.status === 409) {
        ui.errors.textContent = "";
        var li = el("li", {}, H.message(reply) + " ");
        var reload = el("button", { type: "button", class: "btn small" }, "Reload the profile");
        reload.addEventListener("click", function () { dirty = false; load(state.slug); });
        li.appendChild(reload);
        ui.errors.appendChild(li);
        return;
      }
      showErrors(reply);
    });
  }

  // ---- Images ----
  function loadPicture(name, then) {
    if (pictures[name]) { if (then) then(); return; }
    H.api("/creator/profiles/" + state.slug + "/images/" + encodeURIComponent(name))
      .then(function (r) { return r.ok ? r.blob() : null; })
      .then(function (blob) {
        if (!blob) return;
        var reader = new FileReader();
        reader.onload = function () {
          pictures[name] = reader.result;
          Array.prototype.forEach.call(root.querySelectorAll('img[data-picture="' + name + '"]'), function (img) { img.src = reader.result; });
          if (then) then();
          schedulePreview(300);
        };
        reader.readAsDataURL(blob);
      });
  }

  function renderImages() {
    var section = el("section", { class: "stack", "data-images": "" });
    section.appendChild(el("h3", {}, "Portfolio pictures"));
    section.appendChild(el("span", { class: "field-error", "data-error-for": "portfolio", role: "alert" }));
    // Any image: a phone then offers its camera or its gallery (`capture` would leave the
    // camera only). What the server does not take (HEIC…) is sent as a JPEG when the
    // browser can read it.
    var picker = el("input", { type: "file", accept: "image/*", multiple: "", "data-upload": "" });
    picker.addEventListener("change", function () { uploadAll(Array.prototype.slice.call(picker.files)); picker.value = ""; });
    section.appendChild(field("Add pictures", picker, "upload", " take a photo or choose from your gallery (up to 30)"));
    ui.uploads = el("ul", { class: "uploads", "data-uploads": "" });
    section.appendChild(ui.uploads);
    ui.gallery = el("ol", { class: "edit-gallery", "data-portfolio": "" });
    section.appendChild(ui.gallery);
    ui.spare = el("ul", { class: "edit-gallery", "data-unused": "" });
    section.appendChild(ui.spare);
    drawImages();
    return section;
  }

  function thumb(name) {
    return el("img", { "data-picture": name, src: pictures[name] || "", alt: "", width: "96", height: "72" });
  }

  function drawImages() {
    if (!ui.gallery) return;
    // In the file, the portfolio is the text's: every image is listed as a file.
    var portfolio = state.profile && mode === "form" ? state.profile.portfolio : [];
    ui.gallery.textContent = "";
    ui.spare.textContent = "";
    portfolio.forEach(function (item, i) {
      var li = el("li", { class: "edit-picture", "data-image": item.image });
      li.appendChild(thumb(item.image));
      var caption = input({ "aria-label": "Caption of " + item.image, maxlength: "200" }, item.caption || "");
      caption.addEventListener("input", function () { item.caption = caption.value; changed(); });
      var captionLabel = el("label", { class: "caption-field" }, "Caption");
      captionLabel.appendChild(caption);
      li.appendChild(captionLabel);
      var tools = el("span", { class: "picture-tools" });
      [["↑", "Move up", -1], ["↓", "Move down", 1]].forEach(function (m) {
        var b = el("button", { type: "button", class: "btn small", "aria-label": m[1] + " " + item.image, "data-move": String(m[2]) }, m[0]);
        b.disabled = (m[2] < 0 && i === 0) || (m[2] > 0 && i === portfolio.length - 1);
        b.addEventListener("click", function () {
          var j = i + m[2];
          portfolio[i] = portfolio[j]; portfolio[j] = item;
          drawImages(); changed();
        });
        tools.appendChild(b);
      });
      var out = el("button", { type: "button", class: "btn small" }, "Remove");
      out.addEventListener("click", function () { portfolio.splice(i, 1); drawImages(); changed(); });
      tools.appendChild(out);
      li.appendChild(tools);
      ui.gallery.appendChild(li);
    });
    var used = portfolio.map(function (p) { return p.image; });
    state.images.filter(function (image) { return used.indexOf(image.name) < 0; }).forEach(function (image) {
      var li = el("li", { class: "edit-picture", "data-image": image.name });
      li.appendChild(thumb(image.name));
      li.appendChild(el("span", { class: "small muted" }, image.name + (mode === "form" ? " (not shown)" : "")));
      var tools = el("span", { class: "picture-tools" });
      if (state.profile && mode === "form") {
        var use = el("button", { type: "button", class: "btn small" }, "Show in portfolio");
        use.addEventListener("click", function () { portfolio.push({ image: image.name, caption: null }); drawImages(); changed(); });
        tools.appendChild(use);
      }
      var del = el("button", { type: "button", class: "btn small" }, "Delete");
      del.addEventListener("click", function () { deleteImage(image.name, li); });
      tools.appendChild(del);
      li.appendChild(tools);
      ui.spare.appendChild(li);
    });
  }

  function deleteImage(name, li) {
    api("/creator/profiles/" + state.slug + "/images/" + encodeURIComponent(name), { method: "DELETE" }).then(function (reply) {
      if (reply.status === 204) {
        state.images = state.images.filter(function (image) { return image.name !== name; });
        drawImages();
        return;
      }
      li.appendChild(el("span", { class: "field-error", role: "alert" }, reply.status === 409
        ? "Your saved profile still shows it: save without it first." : H.message(reply)));
    });
  }

  function uploadAll(files, more) {
    if (!more) Array.prototype.forEach.call(ui.uploads.querySelectorAll('[data-upload-state="done"], [data-upload-state="failed"]'), function (row) { row.remove(); });
    var next = files.shift();
    if (!next) return;
    prepare(next).then(function (file) { return upload(file); }).then(function () { uploadAll(files, true); });
  }

  var ACCEPTED = ["image/jpeg", "image/png", "image/webp"];
  // A phone's full-size photo can pass 8 MiB, and may be HEIC, which the server does not
  // take: send a JPEG of at most 3000 px instead (the site never shows more than 960 px).
  function prepare(file) {
    if ((file.size <= MAX_BYTES && ACCEPTED.indexOf(file.type) >= 0) || !window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, 3000 / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.9);
      });
    }).catch(function () { return file; });
  }

  // One upload, as a row of the list: its name, a <progress> of the bytes sent (fetch
  // cannot tell upload progress; XMLHttpRequest can), then "uploaded" or what went wrong.
  function upload(file, retried) {
    return new Promise(function (resolve) {
      var row = el("li", { class: "upload", "data-upload-state": "uploading" });
      var bar = el("progress", { max: "100", value: "0", "aria-label": "Uploading " + file.name });
      var note = el("span", { class: "small" }, file.name + ": uploading…");
      row.appendChild(note);
      row.appendChild(bar);
      ui.uploads.appendChild(row);
      function show(state, text) { row.setAttribute("data-upload-state", state); note.textContent = file.name + ": " + text; }
      if (ACCEPTED.indexOf(file.type) < 0) {
        // Not one the server takes, and this browser could not make a JPEG of it.
        show("failed", "this kind of picture cannot be used here. Choose a JPEG, PNG or WebP (on an iPhone, Settings → Camera → Formats → Most Compatible).");
        note.className = "field-error";
        bar.remove();
        resolve();
        return;
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", H.API + "/creator/profiles/" + state.slug + "/images?name=" + encodeURIComponent(file.name));
      xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
      xhr.upload.onprogress = function (event) {
        if (!event.lengthComputable) return;
        bar.value = Math.round(100 * event.loaded / event.total);
        show("uploading", bar.value + "%");
      };
      // Every byte sent: the server now checks the picture and makes its sizes.
      xhr.upload.onload = function () { bar.value = bar.max; show("processing", "checking the picture…"); };
      xhr.onerror = function () {
        show("failed", "the upload failed. Check your connection and try again.");
        note.className = "field-error";
        bar.remove();
        resolve();
      };
      xhr.onload = function () {
        var json = {};
        try { json = JSON.parse(xhr.responseText); } catch (e) { json = {}; }
        if (xhr.status === 401 && !retried) {
          // An expired access token: any API call refreshes it, then send again.
          row.remove();
          H.api("/me").then(function () { upload(file, true).then(resolve); });
          return;
        }
        if (xhr.status !== 201) {
          show("failed", H.message({ status: xhr.status, json: json, retryAfter: xhr.getResponseHeader("Retry-After") }));
          note.className = "field-error";
          bar.remove();
          resolve();
          return;
        }
        bar.value = bar.max;
        bar.setAttribute("aria-label", "Uploaded " + file.name);
        show("done", "uploaded ✓");
        state.images.push(json);
        if (state.profile && mode === "form") state.profile.portfolio.push({ image: json.name, caption: null });
        loadPicture(json.name);
        drawImages();
        changed();
        resolve();
      };
      // The access token is in app.js's memory (the page may not have one yet).
      H.accessToken().then(function (token) {
        xhr.setRequestHeader("Authorization", "Bearer " + (token || ""));
        xhr.send(file);
      });
    });
  }

  start();
})();
