#!/usr/bin/python3
"""validate-kcidb.py - check a KCIDB I/O JSON file against the complete
upstream schema kept in tests/schemas (kcidb-io-v5.3.json), the way kcidb-io
validates: the draft its $schema names (draft-07), formats checked.
Usage: validate-kcidb.py [SCHEMA] FILE
SCHEMA: schemas/kcidb-io-v5.3.json beside this script unless named.  Prints
one line, exits 1 when invalid."""
import json
import os
import re
import sys
from datetime import datetime

import jsonschema

# RFC 3339 date-time.  Debian's python3-jsonschema checks "date-time" only
# with rfc3339-validator, which Debian does not package: without this the
# format would pass unchecked.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def is_date_time(value):
    if not isinstance(value, str):
        return True     # formats apply to strings only; "type" says the rest
    if not RFC3339.match(value):
        return False
    try:        # the ranges: month 13, hour 25, Feb 30 are refused here
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


if len(sys.argv) == 2:
    schema_path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "schemas", "kcidb-io-v5.3.json")
    data_path = sys.argv[1]
elif len(sys.argv) == 3:
    schema_path, data_path = sys.argv[1], sys.argv[2]
else:
    sys.exit(__doc__.splitlines()[3])
with open(schema_path) as f:
    schema = json.load(f)
with open(data_path) as f:
    data = json.load(f)
cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
cls.check_schema(schema)
checker = cls.FORMAT_CHECKER
if "date-time" not in checker.checkers:
    checker.checks("date-time")(is_date_time)
validator = cls(schema, format_checker=checker)
errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
for e in errors:
    print(f"{data_path}: {'/'.join(map(str, e.path)) or '(root)'}: {e.message}")
if errors:
    sys.exit(1)
print(f"{data_path}: valid KCIDB v{data['version']['major']}.{data['version'].get('minor', 0)} "
      f"({cls.__name__}, formats {','.join(f for f in ('date-time', 'uri') if f in checker.checkers)}), "
      f"{len(data.get('tests', []))} tests")
