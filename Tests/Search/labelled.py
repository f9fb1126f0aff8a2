"""The labelled queries' judge, shared by Tests/Browser/search_flow.py (make test) and
bench/search/search_bench.py (make bench): what counts as a hit (README.md here), judged
on the creators' front matter, read without a YAML library."""
import json
import os
import re


def front_matter(path):
    """The fields the expectations use: categories, city, area, tags."""
    fields = {"categories": [], "tags": []}
    lines = open(path, encoding="utf-8").read().split("\n")
    for line in lines[1:lines.index("---", 1)]:
        match = re.match(r"^(\w+):\s*(.*)$", line)
        if not match:
            continue
        key, value = match.groups()
        if key in ("category", "city", "area"):
            fields[key] = value.strip().strip('"')
        elif key in ("categories", "tags"):
            fields[key] = [item.strip().strip('"') for item in value.strip("[] ").split(",") if item.strip()]
    if "category" in fields:
        fields["categories"] = [fields["category"]]
    return fields


class Judge:
    def __init__(self, content):
        folder = os.path.join(content, "creators")
        self.creators = {slug: front_matter(os.path.join(folder, slug, "index.md")) for slug in os.listdir(folder)}
        self.counts = {}

    def satisfies(self, slug, expect):
        fields = self.creators.get(slug)
        return bool(fields) and all([
            "category" not in expect or expect["category"] in fields["categories"],
            "city" not in expect or expect["city"] == fields.get("city"),
            "locality" not in expect or expect["locality"] == fields.get("area"),
            "tag" not in expect or expect["tag"] in fields["tags"],
        ])

    def hit(self, expect, top):
        """Whether `top` (result slugs, best first) meets `expect`."""
        if "creators" in expect:
            return any(slug in top[:5] for slug in expect["creators"])
        key = json.dumps(expect, sort_keys=True)
        if key not in self.counts:
            self.counts[key] = sum(1 for slug in self.creators if self.satisfies(slug, expect))
        wanted = min(5, self.counts[key])
        return wanted > 0 and len(top) >= wanted and all(self.satisfies(slug, expect) for slug in top[:wanted])
