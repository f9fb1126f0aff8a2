// The page `scripts/bench-search.sh` puts beside Pagefind's index: Pagefind's own script
// loaded with the page, as its UI loads it; a search for the benchmark returns the URLs
// of the first five results once their data (what a result shows) has arrived.
const pagefind = await import("/pagefind/pagefind.js");
window.pagefindFirstResults = async function (query) {
  const search = await pagefind.search(query);
  const data = await Promise.all(search.results.slice(0, 5).map((result) => result.data()));
  return data.map((entry) => entry.url);
};
window.pagefindPreload = function (partial) { pagefind.preload(partial); };
window.pagefindReady = true;
