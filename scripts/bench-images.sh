#!/usr/bin/env bash
# make bench (images part): responsive variants (480 and 960 px, JPEG and WebP) of
# 1,000 distinct pictures of 2–4 megapixels, made by `haat build` inside the
# 10,000-creator synthetic site (the first 1,000 creators each get one of them); then
# the same site rebuilt with nothing changed, the variants cached. Figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
HAAT="$PWD/.build/release/haat"
HAAT_BENCH="$PWD/.build/release/haat-bench"
if [ -z "${BENCH_DIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then BENCH_DIR=/dev/shm/haat-bench-images; fi
OUT="$(realpath -m "${BENCH_DIR:-bench-out/images}")"
pictures="${BENCH_IMAGES:-1000}" creators="${BENCH_IMAGE_CREATORS:-10000}"
rm -rf "$OUT" && mkdir -p "$OUT"
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$OUT"' EXIT

. scripts/bench-measure.sh

echo
echo "== images: $pictures pictures of 2–4 megapixels in a $creators-creator site, $(nproc) cores =="
# The pictures take minutes to make: they are kept (in bench-out/, ignored by git) for the next run.
photos="${BENCH_PHOTOS:-$PWD/bench-out/photos-$pictures}"
if [ ! -f "$photos/photo-$((pictures - 1)).jpg" ]; then
  "$HAAT_BENCH" photos --count "$pictures" --from content/creators --out "$photos" | sed 's/^/  /'
fi
echo "  $pictures pictures, $(du -sm "$photos" | cut -f1) MB (from $photos)"
"$HAAT_BENCH" generate --creators "$creators" --content "$OUT/content" > /dev/null
for ((i = 0; i < pictures; i++)); do
  cp -f "$photos/photo-$i.jpg" "$OUT/content/creators/creator-$i/p1.jpg"
done
db="$OUT/data/haat.sqlite"
build=("$HAAT" build --content "$OUT/content" --db "$db" --out "$OUT/site")
"$HAAT" approve --all --content "$OUT/content" --db "$db" > /dev/null

measure bash -c 'exec "$@" > "$0"' "$OUT/full.log" "${build[@]}"
full_wall=$WALL full_peak=$PEAK
line=$(grep -o 'images: .*' "$OUT/full.log" | tail -1)
made=$(echo "$line" | sed -n 's/images: \([0-9]*\) processed.*/\1/p')
step=$(echo "$line" | sed -n 's/.*(\([0-9.]*\) s).*/\1/p')
printf '  %-44s %8s s  peak %s MiB\n' "full build, every variant made" "$full_wall" "$full_peak"
printf '  %-44s %8s s  for %s source images: %s images/s (target >= 20)\n' "  its image step" "$step" "$made" \
  "$(awk "BEGIN { printf \"%.1f\", $made / $step }")"
printf '  %-44s %8s files, %s MB\n' "  variants published" "$(find "$OUT/site/img" -type f | wc -l)" \
  "$(du -sm "$OUT/site/img" | cut -f1)"

measure bash -c 'exec "$@" > "$0"' "$OUT/same.log" "${build[@]}"
printf '  %-44s %8s s  peak %s MiB\n' "rebuild, nothing changed, variants cached" "$WALL" "$PEAK"
printf '  %-44s %s\n' "  its image step" "$(grep -o 'images: .*' "$OUT/same.log" | tail -1)"
echo "  (targets: at least 20 source images a second on 2 cores; the cached rebuild adds under 1 s to the no-change rebuild)"
