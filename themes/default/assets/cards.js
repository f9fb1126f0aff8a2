// What search.js and filters.js share: the site's JSON files, each fetched once, and
// creators' cards drawn from the search index's result chunks (SearchIndex.swift), a
// page at a time.
(function () {
  "use strict";
  var Haat = window.Haat = window.Haat || {};
  var cache = {};

  // Each file fetched once; one that failed is fetched again when next asked for.
  Haat.getJSON = function (url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  };

  Haat.el = function (tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };
  var el = Haat.el;

  // A creator's result entry: [slug, name, category, city, area, priceFrom, image,
  // verified, rating × 10, reviews], from the chunk that holds its id.
  function doc(manifest, id) {
    return Haat.getJSON(manifest.docs[Math.floor(id / manifest.chunk)]).then(function (chunk) {
      return chunk[id % manifest.chunk];
    });
  }

  // The card partials/card.mustache draws, from a result entry; `note` (e.g. a
  // distance) is added under the price.
  function card(manifest, d, note) {
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
    if (d[9]) {
      var rating = el("span", "card-rating");
      var stars = el("span", "stars", "★");
      stars.setAttribute("aria-hidden", "true");
      rating.appendChild(stars);
      rating.appendChild(document.createTextNode(" " + (d[8] / 10).toFixed(1) + " (" + d[9] + ")"));
      body.appendChild(rating);
    }
    if (d[5]) body.appendChild(el("span", "card-price", "from ₹" + Number(d[5]).toLocaleString("en-IN")));
    if (note) body.appendChild(el("span", "card-note", note));
    a.appendChild(body);
    li.appendChild(a);
    return li;
  }

  // Results drawn into `list` a page at a time, "Show more" (`more`) drawing the next.
  // Each card is drawn as soon as it and the ones before it have arrived: the first
  // show while later ones' chunks are still coming. A new show() overtakes one still
  // drawing. `noteOf(id)` may give a card its note.
  var FIRST_SCREEN = 4;  // cards: a phone's first screen shows two rows of two
  Haat.resultList = function (list, more, pageSize) {
    var run = 0, ids = [], shown = 0, manifest = null, noteOf = null;

    // Draws `batch` in order, each card as soon as it and the ones before it have arrived.
    function draw(batch, current) {
      return batch.map(function (id) { return doc(manifest, id).then(function (d) { return [id, d]; }); })
        .reduce(function (previous, arriving) {
          return previous.then(function () { return arriving; }).then(function (entry) {
            if (current === run && entry[1]) list.appendChild(card(manifest, entry[1], noteOf && noteOf(entry[0])));
          });
        }, Promise.resolve());
    }

    // A page's first screenful is asked for alone, the rest once it is drawn: two dozen
    // chunks fetched at once keep a slow phone's one thread busy, and the first card waits.
    // The list is aria-busy while a page is being drawn.
    function page(current) {
      var next = ids.slice(shown, shown + pageSize);
      shown += next.length;
      list.setAttribute("aria-busy", "true");
      return draw(next.slice(0, FIRST_SCREEN), current).then(function () {
        return current === run ? draw(next.slice(FIRST_SCREEN), current) : null;
      }).then(function () {
        if (current !== run) return;
        more.hidden = shown >= ids.length;
        list.removeAttribute("aria-busy");
      });
    }

    more.addEventListener("click", function () { if (manifest) page(run); });

    return {
      show: function (withManifest, resultIds, withNotes) {
        run++;
        manifest = withManifest; ids = resultIds; shown = 0; noteOf = withNotes || null;
        list.textContent = "";
        more.hidden = true;
        return page(run);
      },
      clear: function () {
        run++;
        ids = []; shown = 0;
        list.textContent = "";
        more.hidden = true;
        list.removeAttribute("aria-busy");
      }
    };
  };
})();
