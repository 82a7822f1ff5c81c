#!/usr/bin/env python3
# stalled-reader.py - a reader that stops reading: run COMMAND with its
# stdout on a pipe shrunk to one page, read it until a line holds PATTERN,
# then fill the pipe to the brim and read nothing for SECONDS (a terminal
# paused with Ctrl-S, a `less` nobody scrolls), then read the rest into
# OUTFILE.  Exits with COMMAND's status; says on stderr how long the pipe
# stayed full and how long COMMAND ran after the reader came back.
# Usage: stalled-reader.py SECONDS OUTFILE PATTERN COMMAND [ARG...]
import fcntl, os, subprocess, sys, time

seconds, outfile, pattern, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3].encode(), sys.argv[4:]
r, w = os.pipe()
fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 4096)
t0 = time.monotonic()
child = subprocess.Popen(cmd, stdout=w)
seen = b""
filled = 0
t_stall = t_back = None
with open(outfile, "wb") as out:
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        out.write(chunk)
        if t_stall is None:
            seen = (seen + chunk)[-65536:]
            if pattern in seen:
                # full, so the command's next write would block.  Filled
                # through an open file of our own: O_NONBLOCK on the write
                # end the command shares would make its writes fail instead
                fill = os.open(f"/proc/self/fd/{w}", os.O_WRONLY | os.O_NONBLOCK)
                filler = b"stalled-reader: filler, the pipe is full from here\n"
                try:
                    while True:
                        filled += os.write(fill, filler)
                except BlockingIOError:
                    pass
                os.close(fill)
                os.close(w)
                t_stall = time.monotonic()
                time.sleep(seconds)
                t_back = time.monotonic()
    if t_stall is None:
        os.close(w)
status = child.wait()
t_end = time.monotonic()
if t_stall is None:
    print(f"stalled-reader: '{pattern.decode()}' never came; exit {status}", file=sys.stderr)
    sys.exit(125)
print(f"stalled-reader: stalled {t_stall - t0:.1f} s in with the pipe full ({filled} bytes added) "
      f"for {seconds:.0f} s; command ran {t_end - t0:.1f} s, {t_end - t_back:.1f} s after "
      f"the reader came back; exit {status}", file=sys.stderr)
sys.exit(status if status >= 0 else 128 - status)
