#!/usr/bin/python3
"""validate-kcidb.py - check a KCIDB I/O JSON file against the schema kept in
tests/schemas (Debian python3-jsonschema, formats such as date-time checked).
Usage: validate-kcidb.py SCHEMA FILE; prints one line, exits 1 when invalid."""
import json
import sys

import jsonschema

schema_path, data_path = sys.argv[1], sys.argv[2]
with open(schema_path) as f:
    schema = json.load(f)
with open(data_path) as f:
    data = json.load(f)
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
for e in errors:
    print(f"{data_path}: {'/'.join(map(str, e.path)) or '(root)'}: {e.message}")
if errors:
    sys.exit(1)
print(f"{data_path}: valid KCIDB v{data['version']['major']}.{data['version'].get('minor', 0)}, "
      f"{len(data.get('tests', []))} tests")
