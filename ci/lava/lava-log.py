#!/usr/bin/python3
"""lava-log.py - the target's serial output from a LAVA job log, one line per
console line, stamped with the host clock as `supernested run` writes
console.log, so `supernested parse` gives the same table and verdict.
Usage: lavacli jobs logs --raw JOB | ci/lava/lava-log.py > console.log
       lava-run ... 2>job.log; ci/lava/lava-log.py job.log > console.log
       supernested parse --junit junit.xml --kcidb kcidb.json console.log
Options: --no-stamps (bare lines).  Exits 1 when the log holds no target line.

A LAVA log is YAML, one flow mapping per line: {"dt": ..., "lvl": ...,
"msg": ...}, behind "- " in the server's raw log, bare on lava-run's stderr.
The serial console is the "target" level (and "feedback" once the job's
last action has stopped reading it).  What LAVA did to each line, and
what is undone here:
- the mapping is YAML double-quoted style, whose escapes (\\e, \\x07, \\N,
  \\_...) JSON does not read: parsed as YAML, or a line would be lost;
- its shell logger writes every '"' of the console as '\\"' before dumping
  (and drops '\\r' and ESC): '\\"' goes back to '"', or every report line
  with a quoted field fails its CRC;
- the time of each line is "dt", when the dispatcher read it: the stamp is
  its offset from the "Boot command:" line, logged as qemu was started."""
import sys
from datetime import datetime

import yaml

try:
    Loader = yaml.CSafeLoader
except AttributeError:
    Loader = yaml.SafeLoader


def entries(stream):
    """Each log line's mapping, or None for what is not one."""
    for raw in stream:
        raw = raw.strip()
        if raw.startswith("- "):
            raw = raw[2:]
        if not raw.startswith("{"):
            continue
        try:
            entry = yaml.load(raw, Loader=Loader)
        except yaml.YAMLError:
            print(f"lava-log.py: unreadable log line skipped: {raw[:120]}", file=sys.stderr)
            continue
        if isinstance(entry, dict):
            yield entry


def when(entry):
    try:
        return datetime.fromisoformat(str(entry.get("dt")))
    except ValueError:
        return None


def main(argv):
    stamps = "--no-stamps" not in argv
    paths = [a for a in argv if a != "--no-stamps"]
    stream = open(paths[0], encoding="utf-8", errors="replace") if paths else sys.stdin
    start = None
    count = 0
    for entry in entries(stream):
        msg, lvl = entry.get("msg"), entry.get("lvl")
        if lvl == "info" and isinstance(msg, str) and msg.startswith("Boot command:"):
            start = when(entry)     # the last boot's: a retried boot starts anew
            continue
        # "feedback": what the port said after the last action stopped
        # reading it (level 1's last lines), read as LAVA closes the job
        if lvl not in ("target", "feedback") or not isinstance(msg, str):
            continue
        line = msg.replace('\\"', '"')
        t = when(entry)
        if start is None:
            start = t   # no boot command logged: from the first console line
        if stamps and t is not None and start is not None:
            line = f"[+{max((t - start).total_seconds(), 0.0):.3f}s] {line}"
        print(line)
        count += 1
    if count == 0:
        print("lava-log.py: no target (serial console) line in the log", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
