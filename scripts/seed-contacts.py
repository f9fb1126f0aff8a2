#!/usr/bin/env python3
"""Seeds a Haat SQLite store with synthetic customers and contacts for the discovery
benchmark: COUNT contacts (default 1,000,000) from COUNT/6 customers, each asking up to
a dozen distinct creators, popular creators far more often (a power law), over the
last year. Deterministic (seeded).

Usage: seed-contacts.py DB [COUNT]
"""
import random
import sqlite3
import sys
import time

db, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
random.seed(7)
connection = sqlite3.connect(db)
connection.execute("PRAGMA synchronous = OFF")
slugs = [row[0] for row in connection.execute("SELECT slug FROM creators WHERE status = 'approved' ORDER BY slug")]
if not slugs:
    sys.exit("no approved creators in %s" % db)
now = time.time()
stamp = lambda t: time.strftime("%Y-%m-%d %H:%M:%S.000", time.gmtime(t))
customers = max(1, count // 6)
connection.executemany(
    "INSERT OR IGNORE INTO accounts (id, email, name, role, status, password_hash, created_at) VALUES (?, ?, ?, 'customer', 'active', 'x', ?)",
    (("bench-%d" % c, "bench-%d@example.com" % c, "Bench %d" % c, stamp(now - 400 * 86400)) for c in range(customers)))


def contacts():
    made = 0
    for customer in range(customers):
        asked = set()
        for _ in range(6 if customer < customers - 1 else count - made):
            if made >= count:
                return
            slug = slugs[min(len(slugs) - 1, int(random.random() ** 2.5 * len(slugs)))]
            if slug in asked:
                slug = random.choice(slugs)
            if slug in asked:
                continue
            asked.add(slug)
            made += 1
            yield ("bench-%d-%d" % (customer, made), "bench-%d" % customer, slug, "free", stamp(now - random.random() * 365 * 86400))


connection.executemany("INSERT INTO contacts (id, customer_id, creator_slug, charged, created_at) VALUES (?, ?, ?, ?, ?)", contacts())
connection.commit()
print(connection.execute("SELECT COUNT(*) FROM contacts").fetchone()[0], "contacts")
