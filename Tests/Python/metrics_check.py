"""Parses /metrics text with prometheus_client's parser (an equivalent of `promtool check
metrics`) and prints each sample as JSON: {"samples": [[name, labels, value], ...],
"types": {family: type}}. Exits 1 on text the parser refuses.
"""
import json
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

text = urllib.request.urlopen(sys.argv[1], timeout=10).read().decode("utf-8")
samples, types = [], {}
for family in text_string_to_metric_families(text):
    types[family.name] = family.type
    for s in family.samples:
        samples.append([s.name, s.labels, s.value])
print(json.dumps({"samples": samples, "types": types}, ensure_ascii=False))
