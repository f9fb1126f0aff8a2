# Sourced by the scripts that test a real `haat serve` on the sample content
# (browser-tests.sh, schemathesis.sh); needs HAAT, the binary.

# sample_site WORK: a copy of content/ in WORK/content, imported and approved into
# WORK/haat.sqlite, and built into WORK/site. A copy, because the tests edit profiles.
sample_site() {
  cp -r content "$1/content"
  "$HAAT" approve --all --content "$1/content" --db "$1/haat.sqlite" > /dev/null
  "$HAAT" build --content "$1/content" --db "$1/haat.sqlite" --out "$1/site" > /dev/null
}

# synthetic_site WORK COUNT: haat-bench's deterministic COUNT creators in WORK/content
# (with the sample's search-words.yml, which the labelled queries rely on), approved into
# WORK/haat.sqlite and built into WORK/site, the build's progress in WORK/build.log.
# Needs HAAT_BENCH too.
synthetic_site() {
  "$HAAT_BENCH" generate --creators "$2" --content "$1/content" > /dev/null &&
    cp content/search-words.yml "$1/content/" &&
    "$HAAT" approve --all --content "$1/content" --db "$1/haat.sqlite" > /dev/null &&
    "$HAAT" build --content "$1/content" --db "$1/haat.sqlite" --out "$1/site" > "$1/build.log" 2>&1
}

# serving_port LOG: the port `haat serve --port 0` named in LOG, once its health answers;
# nothing before that.
serving_port() {
  local port
  port=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$1" | head -1)
  if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null; then echo "$port"; fi
}
