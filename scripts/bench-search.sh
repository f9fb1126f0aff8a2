#!/usr/bin/env bash
# make bench (search part): Haat's search against Pagefind 1.5 (the tool a static site
# would pick instead), both indexing the same built site of 10,000 synthetic creators
# (`haat-bench generate`, with the sample's content/search-words.yml). Prints, for both:
# the index's build time and size, and from bench/search/search_bench.py in headless
# chromium the bytes and time to the first results of 20 queries (cold cache, 4× CPU
# throttling) and the hit rate at 5 on Tests/Search/synthetic-queries.json. Pagefind
# indexes the creator pages only (what Haat's search returns). Figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
HAAT="$PWD/.build/release/haat"
HAAT_BENCH="$PWD/.build/release/haat-bench"
creators="${BENCH_SEARCH_CREATORS:-10000}"
if [ -z "${BENCH_DIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_DIR=/dev/shm/haat-bench; fi
work="$(realpath -m "${BENCH_DIR:-bench-out}")/search-$creators"
# Pagefind from PyPI in a venv of its own, outside the work tree, kept between runs.
PAGEFIND_VERSION=1.5.2
venv="${XDG_CACHE_HOME:-$HOME/.cache}/haat/pagefind-$PAGEFIND_VERSION"
if ! "$venv/bin/python" -m pagefind --version > /dev/null 2>&1; then
  echo "installing pagefind[extended]==$PAGEFIND_VERSION into $venv"
  python3 -m venv --clear "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pagefind[extended]==$PAGEFIND_VERSION"
fi
. scripts/free-port.sh
. scripts/sample-site.sh
cleanup() { for pid in ${server:-} ${driver:-}; do kill "$pid" 2> /dev/null || true; done; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT

rm -rf "$work" && mkdir -p "$work"
synthetic_site "$work" "$creators"
haat_seconds=$(sed -n 's/.*search index: .*(\([0-9.]*\) s)$/\1/p' "$work/build.log")
filters_seconds=$(sed -n 's/.*listing filters: .*(\([0-9.]*\) s)$/\1/p' "$work/build.log")
# The largest listing's filter data and the search page's (all creators), gzipped.
read -r filters_largest filters_largest_path filters_search < <(python3 - "$work/site" <<'PY'
import gzip, os, sys
site = sys.argv[1]
sizes = {}
for folder, _, files in os.walk(site):
    if "filters.json" in files:
        path = os.path.join(folder, "filters.json")
        sizes[os.path.relpath(path, site)] = len(gzip.compress(open(path, "rb").read(), 9))
search = sizes.pop("search/filters.json")
largest = max(sizes, key=sizes.get)
print("%.1f" % (sizes[largest] / 1024), largest, "%.1f" % (search / 1024))
PY
)
scripts=$(grep -o 'src="/assets/\(cards\|filters\|search\)\.[0-9a-f]*\.js"' "$work/site/search/index.html" | sed 's/src="\/\(.*\)"/\1/')
haat_bytes=$(( $(du -sb "$work/site/search" | cut -f1) - $(du -sb "$work/site/search/index.html" | cut -f1) - $(stat -c %s "$work/site/search/filters.json") ))
for script in $scripts; do haat_bytes=$(( haat_bytes + $(stat -c %s "$work/site/$script") )); done
start=$(date +%s%N)
"$venv/bin/python" -m pagefind --site "$work/site" --glob "creators/**/*.html" --output-subdir pagefind --quiet > "$work/pagefind.log" 2>&1
pagefind_seconds=$(( ($(date +%s%N) - start) / 10000000 ))  # hundredths
pagefind_bytes=$(du -sb "$work/site/pagefind" | cut -f1)
mkdir -p "$work/site/pagefind-bench"
cp bench/search/pagefind-bench.html "$work/site/pagefind-bench/index.html"
cp bench/search/pagefind-bench.js "$work/site/pagefind-bench/"

port=$(free_port) driver_port=$(free_port)
python3 bench/search/serve.py "$port" "$work/site" > "$work/http.log" 2>&1 &
server=$!
chromedriver --port="$driver_port" > "$work/driver.log" 2>&1 &
driver=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/search/" > /dev/null && curl -sf "http://127.0.0.1:$driver_port/status" > /dev/null && break
  sleep 0.1
done

echo
echo "== search: $creators creators, Haat against Pagefind $PAGEFIND_VERSION, $(nproc) cores =="
printf '  %-44s %s\n' "haat: index built (the build's search step)" "${haat_seconds} s" \
  "haat: index size (every file, script included)" "$(( haat_bytes / 1024 )) KB" \
  "haat: listing filter data built (the build's step)" "${filters_seconds} s" \
  "haat: largest listing's filter data, gzipped" "$filters_largest KB ($filters_largest_path)" \
  "haat: search page's filter data, gzipped" "$filters_search KB (every creator; fetched once typing stops)" \
  "pagefind: index built (pagefind --site, wall)" "$((pagefind_seconds / 100)).$(printf '%02d' $((pagefind_seconds % 100))) s" \
  "pagefind: index size (every file, script included)" "$(( pagefind_bytes / 1024 )) KB"
python3 bench/search/search_bench.py "http://127.0.0.1:$port" "http://127.0.0.1:$driver_port" "$work/site" "$work/content" \
  Tests/Search/synthetic-queries.json "$work/http.log" > "$work/search-bench.log"
sed -n "s/^BENCH \([a-z]*\) /  \1: /p" "$work/search-bench.log"
# BENCH_VERBOSE=1: the queries each tool missed.
[ -z "${BENCH_VERBOSE:-}" ] || sed -n "s/^MISS /  missed: /p" "$work/search-bench.log"
echo "  (targets: Haat ahead of Pagefind on bytes, time and hit rate; first results ≤ 100 KB gzipped and ≤ 100 ms;"
echo "   a listing's filter data ≤ 30 KB gzipped; search index and listing filter data built in under 1 s together)"
