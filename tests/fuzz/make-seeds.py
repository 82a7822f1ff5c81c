#!/usr/bin/env python3
"""make-seeds.py - the fuzzer's small seeds from the recorded serial logs.

Each real log cut to its report lines (console relays dropped) and each line
to the fields the chain and the event model read, sealed again with its
CRC-32: the same structure in a few hundred bytes, so the fuzzer runs many
more executions per second.  Usage: make-seeds.py LOGDIR OUTDIR"""
import os
import re
import sys
import zlib

PREFIX = 'supernested: L'
EVENTS = {'up', 'child-start', 'child-up', 'child-fail', 'child-extend', 'child-exits',
          'evidence', 'stop', 'summary', 'warning', 'config-error', 'qemu'}
# bulky fields nothing decides on (kept: every number, outcome and level)
DROP = {'cpu', 'vendor', 'kernel', 'version', 'qemu', 'booted', 'entry', 'console',
        'machine', 'qemu_bin', 'tune', 'disk', 'boot', 'io_ports', 'msrs', 'top'}
FIELD = re.compile(r' ([a-z0-9_-]+)=("(?:[^"\\]|\\.)*"|[^ ]*)')


def small(line):
    i = line.find(PREFIX)
    if i < 0:
        return None
    stamp = line[:i] if line.startswith('[+') else ''
    body = re.sub(r' crc=[0-9a-f]{8}$', '', line[i:].rstrip('\r\n'))
    m = re.match(r'supernested: L(\d+(?:\.\d+)*) ([a-z-]+)', body)
    if not m or m.group(2) not in EVENTS:
        return None
    fields = [(k, v) for k, v in FIELD.findall(body[m.end():]) if k not in DROP]
    if m.group(2) in ('evidence', 'qemu', 'warning', 'child-fail', 'stop'):
        fields = [(k, v if len(v) < 60 else v[:56] + '..."') for k, v in fields]
    out = m.group(0) + ''.join(' %s=%s' % f for f in fields)
    return '%s%s crc=%08x' % (stamp, out, zlib.crc32(out.encode()))


def main():
    logdir, outdir = sys.argv[1:3]
    os.makedirs(outdir, exist_ok=True)
    for name in sorted(os.listdir(logdir)):
        if not name.endswith('.log'):
            continue
        with open(os.path.join(logdir, name), encoding='utf-8', errors='replace') as f:
            lines = [s for s in (small(l) for l in f) if s]
        seen = {}
        kept = []
        for l in lines:	# a few lines of a kind say as much as forty
            kind = next((k for k in ('evidence', 'child-exits', 'warning') if ' %s ' % k in l), None)
            if kind:
                seen[kind] = seen.get(kind, 0) + 1
                if seen[kind] > (3 if kind == 'evidence' else 1):
                    continue
            kept.append(l)
        with open(os.path.join(outdir, name), 'w') as f:
            f.write(''.join(l + '\n' for l in kept))


if __name__ == '__main__':
    main()
