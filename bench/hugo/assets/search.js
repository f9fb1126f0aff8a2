// Client-side search over the prebuilt, sharded index (see SearchIndex.swift).
// A query downloads the manifest, one term shard per query word and the result
// chunks it shows: a few kilobytes, not the whole catalogue.
(function () {
  "use strict";
  var root = document.querySelector("[data-search-root]");
  var form = document.querySelector("[data-search-form]");
  if (!root || !form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var more = root.querySelector("[data-search-more]");
  var STOP = { and: 1, the: 1, of: 1, "in": 1, "for": 1, to: 1, "with": 1, by: 1, at: 1, on: 1, an: 1 };
  var PAGE = 24;
  var cache = {};
  var results = [];
  var shown = 0;
  var generation = 0;

  function getJSON(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
    }
    return cache[url];
  }

  // Must match SearchIndex.terms in Swift.
  function terms(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .split(/[^\p{L}\p{N}]+/u)
      .filter(function (term) { return term.length > 1 && !STOP[term]; });
  }

  // Creator ids whose terms start with `word`, ascending.
  function idsFor(manifest, word) {
    var shard = manifest.shards[word.slice(0, 2)];
    if (!shard) return Promise.resolve([]);
    return getJSON(shard).then(function (postings) {
      var found = {};
      Object.keys(postings).forEach(function (term) {
        if (term.lastIndexOf(word, 0) !== 0) return;
        var id = 0;
        postings[term].forEach(function (delta) { id += delta; found[id] = true; });
      });
      return Object.keys(found).map(Number).sort(function (a, b) { return a - b; });
    });
  }

  function intersect(lists) {
    return lists.reduce(function (acc, list) {
      var set = {};
      list.forEach(function (id) { set[id] = true; });
      return acc.filter(function (id) { return set[id]; });
    });
  }

  function doc(manifest, id) {
    return getJSON(manifest.docs[Math.floor(id / manifest.chunk)]).then(function (chunk) {
      return chunk[id % manifest.chunk];
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function card(manifest, d) {
    // d = [slug, name, category, city, area, priceFrom, image, verified]
    var li = el("li", "card");
    var a = el("a", "card-link");
    a.href = "/creators/" + encodeURIComponent(d[0]) + "/";
    if (d[6]) {
      var img = el("img", "card-img");
      img.src = d[6]; img.alt = ""; img.loading = "lazy"; img.width = 400; img.height = 300;
      a.appendChild(img);
    } else {
      a.appendChild(el("span", "card-img card-noimg"));
    }
    var body = el("span", "card-body");
    var title = el("span", "card-title", d[1]);
    if (d[7]) { title.appendChild(document.createTextNode(" ")); title.appendChild(el("span", "badge", "Verified")); }
    body.appendChild(title);
    var category = (manifest.categories[d[2]] || ["", ""])[1];
    var city = (manifest.cities[d[3]] || ["", ""])[1];
    body.appendChild(el("span", "card-meta", category + " · " + (d[4] ? d[4] + ", " : "") + city));
    if (d[5]) body.appendChild(el("span", "card-price", "from ₹" + Number(d[5]).toLocaleString("en-IN")));
    a.appendChild(body);
    li.appendChild(a);
    return li;
  }

  function showMore(manifest, run) {
    var next = results.slice(shown, shown + PAGE);
    shown += next.length;
    return Promise.all(next.map(function (id) { return doc(manifest, id); })).then(function (docs) {
      if (run !== generation) return;
      docs.forEach(function (d) { if (d) list.appendChild(card(manifest, d)); });
      more.hidden = shown >= results.length;
    });
  }

  function search(query) {
    var run = ++generation;
    var words = terms(query);
    list.textContent = "";
    more.hidden = true;
    if (!words.length) { status.textContent = ""; return; }
    status.textContent = "Searching…";
    getJSON(root.getAttribute("data-manifest")).then(function (manifest) {
      return Promise.all(words.map(function (word) { return idsFor(manifest, word); })).then(function (lists) {
        if (run !== generation) return;
        results = intersect(lists);
        shown = 0;
        status.textContent = results.length
          ? results.length + (results.length === 1 ? " creator" : " creators") + " found"
          : "No creators match “" + query + "”. Try fewer words, or browse below.";
        return showMore(manifest, run);
      });
    }).catch(function () {
      if (run === generation) status.textContent = "Search is unavailable right now; browse by category or city below.";
    });
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(location.href);
      if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      search(input.value);
    }, 150);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); search(input.value); });
  more.addEventListener("click", function () {
    getJSON(root.getAttribute("data-manifest")).then(function (manifest) { showMore(manifest, generation); });
  });

  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(initial); }
})();
