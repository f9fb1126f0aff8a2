// Client-side search over the prebuilt, sharded index (SearchIndex.swift). A query
// downloads the manifest, one term shard per query word and the result chunks it shows:
// a few kilobytes, not the whole catalogue.
//
// Forgiving, as people type: words are ranked, not all required; stems meet
// (photographer, photography); a word of 5+ letters may be one edit off (8+: two); the
// site's search-words.yml maps other spellings and Devanagari to its own words; the last
// word matches as a prefix while it is being typed; a place in the query (a city or a
// locality) ranks creators there first, and the status says so.
(function () {
  "use strict";
  var root = document.querySelector("[data-search-root]");
  var form = document.querySelector("[data-search-form]");
  if (!root || !form || !window.fetch || !window.Haat) return;
  var getJSON = Haat.getJSON, el = Haat.el;
  var input = form.querySelector("input[name=q]");
  var status = root.querySelector("[data-search-status]");
  var suggestion = root.querySelector("[data-search-suggestion]");
  var results = Haat.resultList(root.querySelector("[data-search-results]"), root.querySelector("[data-search-more]"), 24);
  var filterBox = root.querySelector("[data-search-filters]");
  var filters = Haat.filters(filterBox, filterBox.getAttribute("data-search-filters"), draw);
  // How much a match counts, by where its term is (SearchIndex.Weight: 0 a service,
  // 1 a tag, 2 a category, 3 the city or locality, 4 the name, 5 two words of a tag,
  // category or locality side by side) and how it matched.
  var WEIGHT = [1, 1.5, 2, 2, 3, 1.5];
  var PLACE = 3, PHRASE = 5, WEIGHT_BITS = 3;
  var QUALITY = { exact: 1, prefix: 0.6, typo: 0.5 };
  // The latest query's matches (creator ids, best first) and the manifest they index.
  var matched = { ids: [], manifest: null };
  var generation = 0;
  var filtersLater = null, FILTERS_AFTER = 800;  // ms without a key
  // Filters in a shared link: their file is fetched beside the query's first.
  var filtersAsked = filters.chosen() ? filters.load().catch(function () {}) : null;

  // ---- Terms: must make what SearchTerms.swift makes. ----
  var STOP = { and: 1, the: 1, of: 1, "in": 1, "for": 1, to: 1, "with": 1, by: 1, at: 1, on: 1, an: 1 };
  var ENDINGS = ["ation", "ing", "ed", "er", "y", "e"];
  var SHORTEST = 4;

  function words(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/['\u2019]/g, "")
      .split(/[^\p{L}\p{M}\p{N}]+/u)
      .filter(function (word) { return word.length > 1 && !STOP[word]; });
  }

  function ends(word, ending) {
    return word.length >= ending.length && word.slice(-ending.length) === ending;
  }

  function stem(word) {
    if (!/^[a-z]+$/.test(word)) return word;
    var s = word;
    if (ends(s, "ies") && s.length > 4) s = s.slice(0, -3) + "y";
    else if (ends(s, "sses")) s = s.slice(0, -2);
    else if (ends(s, "s") && !ends(s, "ss") && !ends(s, "us") && !ends(s, "is") && s.length > SHORTEST) s = s.slice(0, -1);
    for (var i = 0; i < ENDINGS.length; i++) {
      if (!ends(s, ENDINGS[i])) continue;
      if (s.length - ENDINGS[i].length >= SHORTEST) s = s.slice(0, -ENDINGS[i].length);
      break;
    }
    return s;
  }

  function terms(text) { return words(text).map(stem); }

  // The query's words, each {typed, term, also}: `typed` as written (for typos and
  // messages), `term` its term, `also` the term of what the site's table of other
  // spellings maps it to (henna: mehendi), matched as well.
  function queryWords(manifest, query) {
    return words(query.normalize("NFC")).map(function (word) {
      var mapped = manifest.words[word.normalize("NFC")];
      var also = mapped ? words(mapped).map(stem)[0] : null;
      return { typed: word, term: stem(word), also: also !== stem(word) ? also : null };
    });
  }

  // Edits between a and b (insert, delete, substitute, swap two neighbours), or
  // limit + 1 as soon as it must be more than limit.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var previous2 = null, previous = [], row, i, j;
    for (j = 0; j <= b.length; j++) previous[j] = j;
    for (i = 1; i <= a.length; i++) {
      row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (previous2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], previous2[j - 2] + 1);
        if (row[j] < best) best = row[j];
      }
      if (best > limit) return limit + 1;
      previous2 = previous;
      previous = row;
    }
    return previous[b.length];
  }

  function editsAllowed(word) { return word.length >= 8 ? 2 : word.length >= 5 ? 1 : 0; }

  // ---- Matching ----

  function shardOf(manifest, term) { return manifest.shards[term.slice(0, 2)]; }

  // The terms of the index that `word` matches, each with how: its own term (or the
  // table's word for it), a term it begins, or, when the index has no such term, terms
  // within the edits allowed (looked for in the whole vocabulary only when its own shard
  // has none). A word the index has is taken as meant, as Typesense does by default:
  // "candle" is not also "handle". Resolves to [{term, quality, postings}].
  function matches(manifest, word) {
    var own = exactOrPrefix(manifest, word.term);
    var also = word.also ? exactOrPrefix(manifest, word.also) : Promise.resolve([]);
    return Promise.all([own, also]).then(function (both) {
      var found = both[0].concat(both[1]);
      var allowed = editsAllowed(word.typed);
      if (!allowed || word.also || found.some(function (match) { return match.quality === QUALITY.exact; })) return found;
      var shard = shardOf(manifest, word.term);
      return (shard ? getJSON(shard) : Promise.resolve({})).then(function (postings) {
        var near = Object.keys(postings).filter(function (term) { return isTypo(word, term, allowed); });
        if (near.length || found.length) {
          return found.concat(near.map(function (term) { return { term: term, quality: QUALITY.typo, postings: postings[term] }; }));
        }
        return getJSON(manifest.vocabulary).then(function (vocabulary) {
          return Promise.all(vocabulary.filter(function (term) { return isTypo(word, term, allowed); }).map(function (term) {
            return getJSON(shardOf(manifest, term)).then(function (other) {
              return { term: term, quality: QUALITY.typo, postings: other[term] || [] };
            });
          }));
        });
      });
    });
  }

  function exactOrPrefix(manifest, wanted) {
    var shard = shardOf(manifest, wanted);
    if (!shard) return Promise.resolve([]);
    return getJSON(shard).then(function (postings) {
      var found = [];
      Object.keys(postings).forEach(function (term) {
        if (term === wanted) found.push({ term: term, quality: QUALITY.exact, postings: postings[term] });
        else if (term.lastIndexOf(wanted, 0) === 0) found.push({ term: term, quality: QUALITY.prefix, postings: postings[term] });
      });
      return found;
    });
  }

  // Whether `term` is a typo away from the word: compared as terms, or as the typed word
  // against the term with each ending the stemmer takes off put back ("weding" is one
  // edit from "wedd" + "ing", though two from "wedd").
  function isTypo(word, term, allowed) {
    if (term === word.term || term.lastIndexOf(word.term, 0) === 0) return false;
    if (distance(word.term, term, allowed) <= allowed) return true;
    return [""].concat(ENDINGS, ["s"]).some(function (ending) { return distance(word.typed, term + ending, allowed) <= allowed; });
  }

  // Each matched creator and how each word matched it: {id, best: [points per word],
  // place: [whether the word is the creator's city or locality]}. A phrase (two query words as one
  // term) counts only as a phrase of the index, and a phrase of the index only so.
  function score(list, perWord) {
    var byId = new Map(), creators = [];
    perWord.forEach(function (found, index) {
      var phrase = !!list[index].phrase;
      found.forEach(function (match) {
        if (phrase && match.quality !== QUALITY.exact) return;
        var value = 0;
        match.postings.forEach(function (delta) {
          value += delta;
          var id = value >> WEIGHT_BITS, where = value & ((1 << WEIGHT_BITS) - 1);
          if ((where === PHRASE) !== phrase) return;
          var entry = byId.get(id);
          if (!entry) { entry = { id: id, best: [], place: [] }; byId.set(id, entry); creators.push(entry); }
          var points = match.quality * WEIGHT[where];
          if (!(entry.best[index] >= points)) entry.best[index] = points;
          if (where === PLACE && match.quality !== QUALITY.prefix) entry.place[index] = true;
        });
      });
    });
    return creators;
  }

  // Each two neighbouring words as one term, as the index writes a tag's, a category's
  // or a locality's (SearchIndex.Weight.phrase).
  function phrasesOf(list) {
    return list.slice(1).map(function (word, index) {
      return { typed: list[index].typed + " " + word.typed, term: list[index].term + word.term, also: null, phrase: true };
    });
  }

  // ---- Places and categories named in the query ----

  // The longest run of query words that is a locality or a city's name (their exact
  // terms, or the term a word was corrected to): {city, locality, first, count}.
  function placeIn(manifest, resolved) {
    var best = null;
    namesOf(manifest).places.forEach(function (place) {
      var nameTerms = place.terms;
      for (var start = 0; start + nameTerms.length <= resolved.length; start++) {
        var all = nameTerms.every(function (term, offset) { return resolved[start + offset] === term; });
        if (all && (!best || nameTerms.length > best.count)) best = { city: place.city, locality: place.locality, first: start, count: nameTerms.length };
      }
    });
    return best;
  }

  // The one category whose name has a term of the query, if exactly one does.
  function categoryIn(manifest, resolved) {
    var named = namesOf(manifest).categories.filter(function (category) {
      return resolved.some(function (term) { return category.terms.indexOf(term) >= 0; });
    });
    return named.length === 1 ? named[0].category : null;
  }

  // The terms of every city's, locality's and category's name, made once for a manifest
  // (hundreds of names: on a slow phone, worth not redoing at every key).
  var names = null;
  function namesOf(manifest) {
    if (names && names.manifest === manifest) return names;
    var places = [];
    manifest.cities.forEach(function (city, cityIndex) {
      places.push({ city: cityIndex, locality: null, terms: terms(city[1]) });
      city[2].forEach(function (locality) { places.push({ city: cityIndex, locality: locality, terms: terms(locality) }); });
    });
    names = {
      manifest: manifest,
      places: places.filter(function (place) { return place.terms.length; }),
      categories: manifest.categories.map(function (category) { return { category: category, terms: terms(category[1]).concat(terms(category[0])) }; })
    };
    return names;
  }

  // The term each word stands for: its own when the index has it, else the best typo.
  function resolve(word, found) {
    var exact = found.filter(function (match) { return match.quality === QUALITY.exact; })[0];
    if (exact) return exact.term;
    var typos = found.filter(function (match) { return match.quality === QUALITY.typo; });
    typos.sort(function (a, b) { return distance(word.term, a.term, 2) - distance(word.term, b.term, 2) || b.postings.length - a.postings.length; });
    return typos.length ? typos[0].term : word.term;
  }

  // ---- Showing ----

  // The matches the filters keep, in the order they ask for (filters.js).
  function draw() {
    if (!matched.manifest) return Promise.resolve();
    return results.show(matched.manifest, filters.select(matched.ids), filters.note);
  }

  function link(text, href) {
    var a = el("a", null, text);
    a.href = href;
    return a;
  }

  // Nothing found: the nearest real words (of category, city and locality names and the
  // site's own words) as a "did you mean" query, and the nearest category or city page.
  function suggest(manifest, list) {
    var pages = [];
    manifest.categories.forEach(function (category) { pages.push({ name: category[1], href: "/c/" + category[0] + "/" }); });
    manifest.cities.forEach(function (city) { pages.push({ name: city[1], href: "/in/" + city[0] + "/" }); });
    var known = {};
    pages.forEach(function (page) { words(page.name).forEach(function (word) { known[word] = page; }); });
    manifest.cities.forEach(function (city) {
      city[2].forEach(function (locality) { words(locality).forEach(function (word) { known[word] = known[word] || null; }); });
    });
    Object.keys(manifest.words).forEach(function (typed) { var word = manifest.words[typed]; if (!(word in known)) known[word] = null; });
    var page = null;
    // Each word's nearest known word within two edits; a word with none is left out.
    var corrected = list.map(function (word) {
      var nearest = null, nearestDistance = 3;
      Object.keys(known).forEach(function (candidate) {
        var d = distance(word.typed, candidate, 2);
        if (d < nearestDistance) { nearest = candidate; nearestDistance = d; }
      });
      if (nearest && known[nearest] && !page) page = known[nearest];
      return nearest;
    }).filter(Boolean);
    var changed = corrected.length && corrected.join(" ") !== list.map(function (word) { return word.typed; }).join(" ");
    suggestion.textContent = "";
    if (changed) {
      var better = corrected.join(" ");
      suggestion.appendChild(document.createTextNode("Did you mean "));
      suggestion.appendChild(link("“" + better + "”", "/search/?q=" + encodeURIComponent(better)));
      suggestion.appendChild(document.createTextNode("? "));
    }
    if (page) {
      suggestion.appendChild(document.createTextNode("Browse "));
      suggestion.appendChild(link(page.name, page.href));
      suggestion.appendChild(document.createTextNode("."));
    }
    suggestion.hidden = !suggestion.firstChild;
  }

  // The order of the results. A query naming a place puts first the creators there that
  // match what else was asked, then those elsewhere that match it (in the same city first,
  // for a locality), then the rest of the place's creators; a query that is only a place
  // lists the place's creators. Within a group: more words matched, then better matches,
  // then the build's rank.
  function rank(list, found, place, inCity) {
    var creators = score(list, found);
    var placeWords = {};
    if (place) for (var i = place.first; i < place.first + place.count; i++) placeWords[i] = true;
    var asked = list.filter(function (word, index) { return !placeWords[index] && !word.phrase; }).length;
    return creators.map(function (entry) {
      var covered = 0, points = 0, there = !!place;
      list.forEach(function (word, index) {
        if (!placeWords[index] && !word.phrase && entry.best[index] !== undefined) covered++;
        if (placeWords[index] && !entry.place[index]) there = false;  // the place's name elsewhere, or not at all
        points += entry.best[index] || 0;
      });
      var group = !asked ? (there ? 0 : 1) : there && covered ? 0 : covered ? 1 : there ? 2 : 3;
      // The same city counts only for those elsewhere (a locality's name may be in several cities).
      return { id: entry.id, group: group, covered: covered, city: group === 1 && inCity[entry.id] ? 1 : 0, points: points };
    }).sort(function (a, b) {
      return a.group - b.group || b.covered - a.covered || b.city - a.city || b.points - a.points || a.id - b.id;
    });
  }

  // Creator id → true for the creators in the city of a locality the query names.
  function cityOf(manifest, place) {
    if (!place || !place.locality) return Promise.resolve({});
    var cityTerms = terms(manifest.cities[place.city][1]);
    return Promise.all(cityTerms.map(function (term) { return exactOrPrefix(manifest, term); })).then(function (perTerm) {
      var inCity = {};
      var creators = score(cityTerms.map(function (term) { return { term: term }; }), perTerm);
      creators.forEach(function (entry) {
        if (cityTerms.every(function (term, index) { return entry.place[index]; })) inCity[entry.id] = true;
      });
      return inCity;
    });
  }

  function search(query) {
    var run = ++generation;
    matched = { ids: [], manifest: null };
    results.clear();
    suggestion.hidden = true;
    status.textContent = "Searching…";
    getJSON(root.getAttribute("data-manifest")).then(function (manifest) {
      var list = queryWords(manifest, query);
      if (!list.length) { status.textContent = ""; return; }
      var phrases = phrasesOf(list);
      var lookups = list.map(function (word) { return matches(manifest, word); })
        .concat(phrases.map(function (phrase) { return exactOrPrefix(manifest, phrase.term); }));
      return Promise.all(lookups).then(function (found) {
        if (run !== generation) return;
        var resolved = list.map(function (word, index) { return resolve(word, found[index]); });
        var place = placeIn(manifest, resolved);
        var category = categoryIn(manifest, resolved.concat(list.map(function (word) { return word.also; }).filter(Boolean)));
        return cityOf(manifest, place).then(function (inCity) {
          if (run !== generation) return;
          var ranked = rank(list.concat(phrases), found, place, inCity);
          var ids = ranked.map(function (entry) { return entry.id; });
          if (!ids.length) {
            status.textContent = "No creators match “" + query + "”.";
            suggest(manifest, list);
            return;
          }
          var count = ids.length + (ids.length === 1 ? " creator" : " creators") + " found";
          status.textContent = count;
          if (place) {
            // "… · Cakes & Bakes in Kothrud, Pune first", or that there are none there yet.
            var where = (place.locality ? place.locality + ", " : "") + manifest.cities[place.city][1];
            var what = category ? category[1] : "Creators";
            status.textContent += ranked[0].group === 0 ? " · " + what + " in " + where + " first"
              : " · no " + what.toLowerCase() + " in " + where + " yet";
          }
          matched = { ids: ids, manifest: manifest };
          // Filters chosen in the URL apply before the first card; otherwise their file
          // (every creator's: tens of kilobytes) is fetched once typing stops, so it
          // never slows the results of the next key.
          return (filtersAsked || Promise.resolve()).then(draw).then(function () {
            clearTimeout(filtersLater);
            filtersLater = setTimeout(function () { filters.load().catch(function () {}); }, FILTERS_AFTER);
          });
        });
      });
    }).catch(function () {
      if (run === generation) status.textContent = "Search is unavailable right now; browse by category or city below.";
    });
  }

  // Each keystroke searches at once (results within 100 ms of it): a search that a later
  // one overtakes draws nothing, and the files it fetched serve the next.
  input.addEventListener("input", function () {
    var url = new URL(location.href);
    if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    search(input.value);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); search(input.value); });
  // The back button: another query is searched again (a filter's own change is filters.js's).
  window.addEventListener("popstate", function () {
    var query = new URLSearchParams(location.search).get("q") || "";
    if (query !== input.value) { input.value = query; search(query); }
  });

  // For the tests: the same terms as the build makes (search_flow.py compares them).
  root.haatTerms = terms;

  var params = new URLSearchParams(location.search), initial = params.get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
  // The manifest is every query's first file: fetched now, while the visitor types.
  else getJSON(root.getAttribute("data-manifest")).catch(function () {});
})();
