// Filters and sort for a listing (a category, a city, a category in a city, a tag, an
// area) and for the search page's results, over the listing's filters.json
// (ListingFilterData.swift): area, price band, rated 4+, verified, language spoken;
// sorted by the build's rank, price, rating, or distance from where the browser says it
// is ("Near me": computed here, sent nowhere). The choice lives in the URL's query, so a
// filtered list can be shared, and the back button restores the one before.
// Without script a listing is its built pages: the ranked list with its areas' links.
(function () {
  "use strict";
  var Haat = window.Haat = window.Haat || {};
  var el = Haat.el;

  // A band holds prices from min up to, not including, max.
  var PRICE_BANDS = [
    { key: "under-1000", label: "Under ₹1,000", min: 1, max: 1000 },
    { key: "1000-5000", label: "₹1,000 to ₹5,000", min: 1000, max: 5000 },
    { key: "5000-20000", label: "₹5,000 to ₹20,000", min: 5000, max: 20000 },
    { key: "20000-up", label: "₹20,000 and up", min: 20000, max: Infinity }
  ];
  var SORTS = [["", "Recommended"], ["price", "Price: low to high"], ["rating", "Rating: high to low"], ["near", "Nearest to me"]];
  var PARAMS = ["city", "area", "price", "rating", "verified", "lang", "sort"];
  var NARROWING = ["city", "area", "price", "rating", "verified", "lang"];
  var GOOD_RATING = 40;  // 4.0, as the file writes ratings (× 10)
  var UNKNOWN = 1e12;    // what a missing price or distance sorts as: last

  // filters.json (ListingFilterData.swift) as one entry per member, by id, and its areas
  // as {name, label, key, city, lat, lon} (a creator without a locality is in its city's
  // nameless area).
  function decode(data) {
    var area = unpack(data.area, data.count), price = unpack(data.price, data.count), rating = unpack(data.rating, data.count),
        reviews = unpack(data.reviews, data.count), verified = unpack(data.verified, data.count), langs = unpack(data.langs, data.count);
    var entries = [], byId = {}, id = 0;
    data.ids.forEach(function (delta, i) {
      id += delta;
      var entry = { id: id, area: area[i], price: price[i] * data.price_unit, rating: rating[i],
                    reviews: reviews[i], verified: verified[i], langs: data.language_sets[langs[i]] || 0 };
      entries.push(entry);
      byId[id] = entry;
    });
    var areas = data.areas.map(function (a) {
      var city = data.cities[a[2]];
      return { name: a[0], label: data.cities.length > 1 ? a[0] + ", " + city[1] : a[0], key: a[1] + "." + city[0], city: a[2],
               lat: a.length > 3 ? a[3] / 1e4 : null, lon: a.length > 3 ? a[4] / 1e4 : null };
    });
    return { data: data, areas: areas, entries: entries, byId: byId, ids: entries.map(function (e) { return e.id; }) };
  }

  // A packed column, [radix, per, chars, text] (ListingFilterData.packed): each `chars`
  // base-64url digits, least significant first, are `per` values in mixed radix.
  var DIGIT = {};
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach(function (c, i) { DIGIT[c] = i; });
  function unpack(column, count) {
    var radix = column[0], per = column[1], chars = column[2], text = column[3], values = new Array(count).fill(0);
    for (var group = 0; group * per < count && radix > 1; group++) {
      var number = 0;
      for (var c = chars - 1; c >= 0; c--) number = number * 64 + DIGIT[text.charAt(group * chars + c)];
      for (var k = 0; k < per && group * per + k < count; k++) {
        values[group * per + k] = number % radix;
        number = Math.floor(number / radix);
      }
    }
    return values;
  }

  function stateFromURL() {
    var params = new URLSearchParams(location.search), state = {};
    PARAMS.forEach(function (name) { state[name] = params.get(name) || ""; });
    return state;
  }

  // Kilometres between two points (haversine on a 6,371 km sphere, as Coordinates in Catalog.swift).
  function kilometres(a, b) {
    var radians = Math.PI / 180;
    var dLat = (b.lat - a.lat) * radians, dLon = (b.lon - a.lon) * radians;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a.lat * radians) * Math.cos(b.lat * radians) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function field(labelText, control) {
    var label = el("label", "filter-field");
    label.appendChild(el("span", "filter-label", labelText));
    label.appendChild(control);
    return label;
  }

  function dropdown(options) {
    var node = el("select");
    options.forEach(function (option) {
      var item = el("option", null, option[1]);
      item.value = option[0];
      node.appendChild(item);
    });
    return node;
  }

  function checkbox(labelText) {
    var label = el("label", "filter-check");
    var box = el("input");
    box.type = "checkbox";
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + labelText));
    return { label: label, box: box };
  }

  // The filters of one list, drawn into `container` once its file (`url`) has arrived.
  // `onChange` is called whenever the choice changes (by the visitor, or by the back
  // button); the owner then asks select() for the list to show.
  Haat.filters = function (container, url, onChange) {
    var facets = null, loading = null, state = stateFromURL(), here = null, locating = false, notice = "";
    var home = location.pathname;                      // the page as built: no choice returns to it
    var base = url.slice(0, url.lastIndexOf("/") + 1); // a listing's first page (or /search/)
    var controls = {}, status = null, summary = null, fields = null;

    function areaNumber(key) {
      var areas = facets.areas;
      for (var i = 0; i < areas.length; i++) if (areas[i].key === key) return i + 1;
      return 0;
    }

    function cityNumber(slug) {
      var cities = facets.data.cities;
      for (var i = 0; i < cities.length; i++) if (cities[i][0] === slug) return i + 1;
      return 0;
    }

    function languageBit(key) {
      var languages = facets.data.languages;
      for (var i = 0; i < languages.length; i++) if (languages[i][1] === key) return 1 << i;
      return 0;
    }

    function band(key) { return PRICE_BANDS.filter(function (b) { return b.key === key; })[0]; }

    function placed() { return facets.areas.some(function (area) { return area.lat !== null; }); }

    // A choice the list cannot make (an area it has none in, a mistyped value) is dropped.
    function sanitize() {
      if (state.city && !cityNumber(state.city)) state.city = "";
      if (state.area && !areaNumber(state.area)) state.area = "";
      // An area in another city than the one chosen: the city wins.
      if (state.area && state.city && facets.areas[areaNumber(state.area) - 1].city !== cityNumber(state.city) - 1) state.area = "";
      if (state.lang && !languageBit(state.lang)) state.lang = "";
      if (state.price && !band(state.price)) state.price = "";
      if (state.rating !== "4") state.rating = "";
      if (state.verified !== "1") state.verified = "";
      var sorts = SORTS.map(function (sort) { return sort[0]; });
      if (sorts.indexOf(state.sort) < 0 || (state.sort === "near" && !placed())) state.sort = "";
    }

    function narrowing() { return NARROWING.filter(function (name) { return state[name]; }).length; }

    function active() { return !!facets && (narrowing() > 0 || state.sort !== ""); }

    function change(name, value) {
      state[name] = value;
      if (name === "city") sanitize();
      notice = "";
      var url = new URL(location.href);
      PARAMS.forEach(function (param) { if (state[param]) url.searchParams.set(param, state[param]); else url.searchParams.delete(param); });
      // A filtered list starts at the listing's first page; with nothing chosen, the page as built.
      url.pathname = active() ? base : home;
      history.pushState(null, "", url);
      sync();
      if (state.sort === "near") locate();
      onChange();
    }

    function sync() {
      if (!status) return;
      PARAMS.forEach(function (name) {
        var control = controls[name];
        if (!control) return;
        if (control.type === "checkbox") control.checked = !!state[name];
        else control.value = state[name];
      });
      if (controls.near) controls.near.setAttribute("aria-pressed", state.sort === "near" ? "true" : "false");
      var count = narrowing();
      summary.textContent = count ? "Filters (" + count + ")" : "Filters";
      controls.clear.hidden = !active();
    }

    // Where the browser is, asked only when "Near me" is chosen; a refusal sorts as before.
    function locate() {
      if (here || locating) return;
      if (!navigator.geolocation) { refuse("This browser cannot tell where you are: choose an area instead."); return; }
      locating = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        locating = false;
        here = { lat: position.coords.latitude, lon: position.coords.longitude };
        onChange();
      }, function () {
        locating = false;
        refuse("Your location is not available: allow it for this site, or choose an area.");
      }, { timeout: 15000, maximumAge: 600000 });
    }

    function refuse(message) {
      state.sort = "";
      var url = new URL(location.href);
      url.searchParams.delete("sort");
      if (!active()) url.pathname = home;
      history.replaceState(null, "", url);
      sync();
      notice = message;
      onChange();
    }

    function distance(entry) {
      var area = entry && entry.area ? facets.areas[entry.area - 1] : null;
      if (!here || !area || area.lat === null) return UNKNOWN;
      return kilometres(here, area);
    }

    // The choices that would narrow `ids` (the listing, or a query's matches): the areas,
    // price bands and languages among them, the checks some of them pass and some fail.
    // What is chosen stays offered; a field with nothing to choose is hidden.
    function offer(ids) {
      var data = facets.data, present = ids.map(function (id) { return facets.byId[id]; }).filter(Boolean);
      function fill(name, any, choices) {
        var control = controls[name];
        var wanted = state[name];
        control.textContent = "";
        [["", any]].concat(choices).forEach(function (choice) {
          var option = el("option", null, choice[1]);
          option.value = choice[0];
          control.appendChild(option);
        });
        control.value = wanted;
        control.parentNode.hidden = choices.length < 2 && !wanted;
      }
      function byLabel(a, b) { return a[1].localeCompare(b[1]); }
      var areas = {}, cities = {}, bits = 0;
      present.forEach(function (e) { areas[e.area] = true; cities[facets.areas[e.area - 1].city] = true; bits |= e.langs; });
      var cityChosen = cityNumber(state.city) - 1;
      fill("city", "Any city", data.cities.filter(function (city, index) { return cities[index] || index === cityChosen; })
        .map(function (city) { return [city[0], city[1]]; }).sort(byLabel));
      // Areas within one city: the only one, or the one chosen (hundreds across cities help nobody).
      var oneCity = cityChosen >= 0 ? cityChosen : Object.keys(cities).length === 1 ? Number(Object.keys(cities)[0]) : -1;
      fill("area", "Any area", facets.areas.filter(function (area, index) {
        return area.key === state.area || (area.name && areas[index + 1] && area.city === oneCity);
      }).map(function (area) { return [area.key, area.name]; }).sort(byLabel));
      fill("price", "Any price", PRICE_BANDS.filter(function (b) {
        return b.key === state.price || present.some(function (e) { return e.price >= b.min && e.price < b.max; });
      }).map(function (b) { return [b.key, b.label]; }));
      fill("lang", "Any language", data.languages.filter(function (language, index) { return bits & (1 << index) || language[1] === state.lang; })
        .map(function (language) { return [language[1], language[0]]; }).sort(byLabel));
      function splits(test) { return present.some(test) && present.some(function (e) { return !test(e); }); }
      controls.rating.parentNode.hidden = !state.rating && !splits(function (e) { return e.rating >= GOOD_RATING; });
      controls.verified.parentNode.hidden = !state.verified && !splits(function (e) { return e.verified; });
      fields.parentNode.hidden = !Array.prototype.some.call(fields.children, function (child) { return !child.hidden; });
    }

    function build() {
      container.textContent = "";
      var bar = el("div", "filter-bar");
      var sorts = SORTS.filter(function (sort) { return sort[0] !== "near" || placed(); });
      controls.sort = dropdown(sorts);
      bar.appendChild(field("Sort", controls.sort));
      controls.sort.addEventListener("change", function () { change("sort", controls.sort.value); });
      if (placed()) {
        controls.near = el("button", "btn small", "Near me");
        controls.near.type = "button";
        controls.near.addEventListener("click", function () { change("sort", state.sort === "near" ? "" : "near"); });
        bar.appendChild(controls.near);
      }
      var more = el("details", "filter-more");
      summary = el("summary", null, "Filters");
      more.appendChild(summary);
      fields = el("div", "filter-fields");
      [["city", "City"], ["area", "Area"], ["price", "Price from"], ["lang", "Speaks"]].forEach(function (pair) {
        var control = controls[pair[0]] = dropdown([]);
        fields.appendChild(field(pair[1], control));
        control.addEventListener("change", function () { change(pair[0], control.value); });
      });
      [["rating", "Rated 4+", "4"], ["verified", "Verified only", "1"]].forEach(function (check) {
        var made = checkbox(check[1]);
        controls[check[0]] = made.box;
        fields.appendChild(made.label);
        made.box.addEventListener("change", function () { change(check[0], made.box.checked ? check[2] : ""); });
      });
      more.appendChild(fields);
      // Open where there is room for it; folded on a phone, its summary counting what is chosen.
      more.open = window.matchMedia("(min-width: 52rem)").matches;
      bar.appendChild(more);
      offer(facets.ids);
      container.appendChild(bar);
      var line = el("p", "filter-line");
      status = el("span", "muted filter-status");
      status.setAttribute("aria-live", "polite");
      line.appendChild(status);
      controls.clear = el("button", "linkish filter-clear", "Clear filters and sort");
      controls.clear.type = "button";
      controls.clear.addEventListener("click", function () {
        PARAMS.forEach(function (name) { state[name] = ""; });
        change("sort", "");
      });
      line.appendChild(controls.clear);
      container.appendChild(line);
      container.hidden = false;
      sync();
    }

    window.addEventListener("popstate", function () {
      state = stateFromURL();
      notice = "";
      if (!facets) return;
      sanitize();
      sync();
      if (state.sort === "near") locate();
      onChange();
    });

    return {
      // Fetches the file and draws the controls (once); resolves when both are done.
      load: function () {
        loading = loading || Haat.getJSON(url).then(function (data) {
          facets = decode(data);
          sanitize();
          build();
          if (state.sort === "near") locate();
        });
        return loading;
      },
      active: active,
      // Whether the URL names a choice (known before the file arrives).
      chosen: function () { return PARAMS.some(function (name) { return state[name]; }); },
      // Every member, in the listing's order.
      all: function () { return facets ? facets.ids : []; },
      manifest: function () { return facets && facets.data.manifest; },
      // Of `ids` (best first), those the choice keeps, in the order it asks for; all of
      // them before the file has arrived.
      select: function (ids) {
        if (!facets) return ids;
        offer(ids);
        var areaWanted = state.area ? areaNumber(state.area) : 0;
        var cityWanted = state.city ? cityNumber(state.city) - 1 : -1;
        var bit = state.lang ? languageBit(state.lang) : 0;
        var range = state.price ? band(state.price) : null;
        var narrowed = narrowing() > 0;
        var kept = [];
        ids.forEach(function (id, position) {
          var e = facets.byId[id];
          if (!e) { if (!narrowed) kept.push({ id: id, position: position, e: null }); return; }
          if (areaWanted && e.area !== areaWanted) return;
          if (cityWanted >= 0 && facets.areas[e.area - 1].city !== cityWanted) return;
          if (range && !(e.price >= range.min && e.price < range.max)) return;
          if (state.rating && e.rating < GOOD_RATING) return;
          if (state.verified && !e.verified) return;
          if (bit && !(e.langs & bit)) return;
          kept.push({ id: id, position: position, e: e });
        });
        var compare = null;
        if (state.sort === "price") compare = function (a, b) { return ((a.e && a.e.price) || UNKNOWN) - ((b.e && b.e.price) || UNKNOWN); };
        else if (state.sort === "rating") compare = function (a, b) { return ((b.e && b.e.rating) || 0) - ((a.e && a.e.rating) || 0) || ((b.e && b.e.reviews) || 0) - ((a.e && a.e.reviews) || 0); };
        else if (state.sort === "near" && here) compare = function (a, b) { return distance(a.e) - distance(b.e); };
        if (compare) kept.sort(function (a, b) { return compare(a, b) || a.position - b.position; });
        if (status) {
          var told = notice;
          if (!told && state.sort === "near" && !here) told = "Finding where you are…";
          if (!told && narrowed) told = kept.length ? kept.length + " of " + ids.length + " match your filters" : "None of these " + ids.length + " match your filters.";
          status.textContent = told;
        }
        return kept.map(function (k) { return k.id; });
      },
      // "About 3 km away" under a card while sorting by distance.
      note: function (id) {
        if (state.sort !== "near" || !here || !facets) return null;
        var km = distance(facets.byId[id]);
        if (km === UNKNOWN) return null;
        return km < 1 ? "Under 1 km away" : "About " + Math.round(km) + " km away";
      }
    };
  };

  // A listing page shows its built page (24 cards and the pager) until a filter or a sort
  // is chosen; then every member that fits, drawn from the search index's chunks.
  var container = document.querySelector("[data-listing-filters]");
  var grid = document.querySelector("[data-listing-grid]");
  if (!container || !grid || !window.fetch || !window.URLSearchParams) return;
  var pager = document.querySelector("[data-listing-pager]");
  var list = el("ul", "grid");
  list.setAttribute("data-filter-results", "");
  list.hidden = true;
  var moreButton = el("button", "btn", "Show more");
  moreButton.type = "button";
  moreButton.hidden = true;
  var morePlace = el("p");
  morePlace.appendChild(moreButton);
  grid.parentNode.insertBefore(morePlace, grid.nextSibling);
  grid.parentNode.insertBefore(list, morePlace);
  var results = Haat.resultList(list, moreButton, 24);
  var filters = Haat.filters(container, container.getAttribute("data-listing-filters"), draw);

  function draw() {
    var on = filters.active();
    var ids = filters.select(filters.all());
    grid.hidden = on;
    if (pager) pager.hidden = on;
    list.hidden = !on;
    if (!on) { results.clear(); return; }
    Haat.getJSON(filters.manifest()).then(function (manifest) { results.show(manifest, ids, filters.note); });
  }

  // Without the file the built page stays as it is.
  filters.load().then(draw, function () {});
})();
