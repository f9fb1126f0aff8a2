#!/usr/bin/env bash
# make bench: build speed, memory and download sizes of Haat on deterministic synthetic
# content, against Hugo on the same content with equivalent templates (bench/hugo).
# Figures only: nothing here passes or fails.
#
# Content and sites go to a RAM disk (/dev/shm) when there is one, as the figures in
# bench/README.md were taken: on a disk, ext4's inode allocation after many deletions makes
# both Haat's and Hugo's times swing by 50%. BENCH_DIR=bench-out measures on disk;
# BENCH_SIZES="1000" runs the small size only; BENCH_KEEP=1 keeps the output.
set -euo pipefail
cd "$(dirname "$0")/.."
HAAT="$PWD/.build/release/haat"
HAAT_BENCH="$PWD/.build/release/haat-bench"
if [ -z "${BENCH_DIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_DIR=/dev/shm/haat-bench; fi
OUT="$(realpath -m "${BENCH_DIR:-bench-out}")"
SIZES="${BENCH_SIZES:-1000 10000}"
mkdir -p "$OUT"
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$OUT"' EXIT

. scripts/bench-measure.sh

printf '%s\n' "Haat benchmark on $(nproc) cores, $(hugo version 2>/dev/null | awk '{print $1, $2}'), output in $OUT"
for n in $SIZES; do
  dir="$OUT/$n"
  rm -rf "$dir"
  "$HAAT_BENCH" generate --creators "$n" --content "$dir/content" --hugo "$dir/hugo" > /dev/null
  db="$dir/data/haat.sqlite"
  build=("$HAAT" build --content "$dir/content" --db "$db" --out "$dir/site")
  measure "$HAAT" approve --all --content "$dir/content" --db "$db"
  approve_wall=$WALL

  # Full build: no cache, no site; it reads, validates and hashes every bundle.
  rm -rf "$dir/data/cache" "$dir/site"
  measure "${build[@]}"
  full_wall=$WALL full_peak=$PEAK
  pages=$(find "$dir/site" -name '*.html' | wc -l)
  files=$(find "$dir/site" -type f | wc -l)

  measure "${build[@]}"
  same_wall=$WALL

  # One creator edits its story; an admin approves it; the site is rebuilt.
  echo "One more sentence for the benchmark." >> "$dir/content/creators/creator-7/index.md"
  "$HAAT" approve creator-7 --content "$dir/content" --db "$db" > /dev/null
  measure "${build[@]}"
  one_wall=$WALL one_peak=$PEAK

  rm -rf "$dir/hugo-out"
  measure hugo --quiet -s "$dir/hugo" -d "$dir/hugo-out"
  hugo_wall=$WALL hugo_peak=$PEAK
  # The same content with layouts that print little more than titles: Hugo's floor.
  rm -rf "$dir/hugo-minimal" "$dir/hugo-minimal-out"
  cp -al "$dir/hugo" "$dir/hugo-minimal" && rm -rf "$dir/hugo-minimal/layouts"
  cp -r bench/hugo-minimal/layouts "$dir/hugo-minimal/layouts"
  measure hugo --quiet -s "$dir/hugo-minimal" -d "$dir/hugo-minimal-out"
  floor_wall=$WALL floor_peak=$PEAK

  echo
  echo "== $n creators: $pages pages ($files files) =="
  printf '  %-44s %8s s\n' "import + approve all (setup)" "$approve_wall"
  printf '  %-44s %8s s  %6s pages/s  peak %s MiB\n' "full build (empty cache, fresh folder)" "$full_wall" "$(seconds "$pages / $full_wall")" "$full_peak"
  printf '  %-44s %8s s\n' "rebuild, nothing changed" "$same_wall"
  printf '  %-44s %8s s  peak %s MiB\n' "rebuild, one creator changed" "$one_wall" "$one_peak"
  printf '  %-44s %8s s  peak %s MiB\n' "Hugo $(hugo version | awk '{print $2}'), same content, fresh folder" "$hugo_wall" "$hugo_peak"
  printf '  %-44s %8s s  peak %s MiB\n' "Hugo, minimal layouts (titles only)" "$floor_wall" "$floor_peak"
  printf '  %-44s %8sx\n' "Haat full build faster than Hugo by" "$(seconds "$hugo_wall / $full_wall")"
  printf '  %-44s %8sx\n' "... than Hugo with minimal layouts by" "$(seconds "$floor_wall / $full_wall")"
  if [ "$n" = "$(echo "$SIZES" | awk '{print $NF}')" ]; then
    creator_page=$(find "$dir/site/creators" -name index.html -print -quit)
    css=$(ls "$dir"/site/assets/app.*.css) js=$(ls "$dir"/site/assets/app.*.js)
    page_bytes=$(( $(gzip -9c "$creator_page" | wc -c) + $(gzip -9c "$css" | wc -c) + $(gzip -9c "$js" | wc -c) ))
    printf '  %-44s %8s bytes gzipped (target < 51200)\n' "creator page HTML+CSS+JS" "$page_bytes"
    printf '  %-44s %s\n' "one search, \"birthday cakes pune\"" "$(python3 scripts/search-download.py "$dir/site" "birthday cakes pune")"
    printf '  %-44s %s\n' "one search, \"rustic\"" "$(python3 scripts/search-download.py "$dir/site" "rustic")"
    # Discovery with a busy store: a million contacts, then a rebuild; the build's own
    # progress line says what discovery took (reading the contacts, tags, ranking, similar).
    python3 scripts/seed-contacts.py "$db" 1000000 > /dev/null
    measure bash -c 'exec "$@" > "$0"' "$dir/build.log" "${build[@]}"
    printf '  %-44s %8s s  peak %s MiB\n' "rebuild with 1,000,000 contacts in the store" "$WALL" "$PEAK"
    printf '  %-44s %s\n' "its discovery step" "$(grep -o 'discovery: .*' "$dir/build.log" | tail -1)"
  fi
done
