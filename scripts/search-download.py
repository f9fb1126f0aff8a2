#!/usr/bin/env python3
"""Bytes a browser downloads (gzipped) for one search on a built Haat site.

Replays what themes/default/assets/search.js does for QUERY: the script, the index
manifest, one term shard per query word, and the result chunks holding the first 24
matches. Prints one line: bytes and the files counted.
Usage: search-download.py SITE_DIR "QUERY"
"""
import gzip, json, os, re, sys, unicodedata

site, query = sys.argv[1], sys.argv[2]
STOP = {"and", "the", "of", "in", "for", "to", "with", "by", "at", "on", "an"}

def gz(path):
    with open(os.path.join(site, path.lstrip("/")), "rb") as f:
        return len(gzip.compress(f.read(), 9))

def load(path):
    with open(os.path.join(site, path.lstrip("/")), encoding="utf-8") as f:
        return json.load(f)

page = open(os.path.join(site, "search/index.html"), encoding="utf-8").read()
manifest_path = re.search(r'data-manifest="([^"]+)"', page).group(1)
script_path = re.search(r'src="(/assets/search\.[0-9a-f]+\.js)"', page).group(1)
manifest = load(manifest_path)
files = [script_path, manifest_path]

text = unicodedata.normalize("NFD", query.lower())
text = "".join(c for c in text if not unicodedata.combining(c))
words = [w for w in re.split(r"[^\w]+|_", text) if len(w) > 1 and w not in STOP]
matches = None
for word in words:
    shard = manifest["shards"].get(word[:2])
    ids = set()
    if shard:
        if shard not in files:
            files.append(shard)
        for term, deltas in load(shard).items():
            if term.startswith(word):
                current = 0
                for delta in deltas:
                    current += delta
                    ids.add(current)
    matches = ids if matches is None else matches & ids
results = sorted(matches or [])
for chunk in sorted({i // manifest["chunk"] for i in results[:24]}):
    files.append(manifest["docs"][chunk])
total = sum(gz(f) for f in files)
print(f"{total} bytes gzipped for {len(results)} results ({len(files)} files: script, manifest, {len(files) - 2} index files)")
