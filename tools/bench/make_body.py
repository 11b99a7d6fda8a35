#!/usr/bin/env python3
"""Prints the benchmark's large JSON body: a list of catalogue items, as close to argv[1]
bytes as whole items allow without going over (run.sh serves 16384 bytes as nginx's /big)."""
import json
import sys

limit = int(sys.argv[1])
items, text = [], '{"items":[]}'
for i in range(limit):
    items.append({"id": i, "sku": "SKU-%06d" % i, "name": "item number %d" % i,
                  "price": round(i * 1.37, 2), "in_stock": i % 3 != 0,
                  "tags": ["bench", "json", "rhc"]})
    candidate = json.dumps({"items": items}, separators=(",", ":"))
    if len(candidate) > limit:
        break
    text = candidate
sys.stdout.write(text)
