#!/usr/bin/python3
"""lava-log.py - the target's serial output from a LAVA job log, one line per
console line, as `supernested parse` reads it.
Usage: lavacli jobs logs --raw JOB | ci/lava/lava-log.py > console.log
       supernested parse --junit junit.xml --kcidb kcidb.json console.log
LAVA's raw log is YAML, one mapping per line: - {"dt": ..., "lvl": ..., "msg": ...};
the serial console is the "target" level."""
import json
import sys

for raw in sys.stdin:
    raw = raw.strip()
    if not raw.startswith("- {"):
        continue
    try:
        entry = json.loads(raw[2:])
    except ValueError:
        continue        # a mapping YAML writes in a form JSON does not read
    if entry.get("lvl") == "target" and isinstance(entry.get("msg"), str):
        print(entry["msg"])
