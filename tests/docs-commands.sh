#!/bin/bash
# docs-commands.sh - the docs cannot rot: every command in README.md and
# docs/*.md is run or checked, every local link and path they name exists,
# and the man pages build clean and name every option and setting.
#
# Fenced blocks are marked on their opening line:
#   ```sh runnable          run as a script (bash -e -o pipefail) in a
#   ```sh runnable exit=N   scratch directory that sees the source tree;
#                           build/supernested and supernested are the tool
#                           under test; the block must exit 0 (or N)
#   ```sh dry               too long or too big to run here (a boot, a
#                           kernel build): each command is checked to exist
#                           instead: make targets with make -n, the tool's
#                           commands and --options against its --help,
#                           scripts and their --options against their text,
#                           other programs with command -v
# A plain ```sh block (or any other) is a command left unchecked: the test
# lists those as failures, so every command carries a mark.
# Prints TAP and "N passed, N failed"; exit 1 on any failure.
# Usage: docs-commands.sh SUPERNESTED_BINARY MAN_DIR
#   MAN_DIR holds the built supernested.1 and supernested-image.7
set -u
tool=$(realpath "$1") mandir=$(realpath "$2")
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/supernested-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SN_TOOL=$tool SN_MANDIR=$mandir SN_SRC=$src SN_TMP=$tmp
exec python3 - "$src/README.md" "$src"/docs/*.md <<'PY'
import os, re, shlex, subprocess, sys

tool, mandir, src, tmp = (os.environ[k] for k in ("SN_TOOL", "SN_MANDIR", "SN_SRC", "SN_TMP"))
n = failed = 0

def ok(good, what, diag=""):
    global n, failed
    n += 1
    print(("ok" if good else "not ok") + " %d - %s" % (n, what))
    if not good:
        failed += 1
        for line in diag.rstrip().splitlines()[-25:]:
            print("#   " + line)

# A scratch directory that looks like the source tree, with the tool
# under test as build/supernested and as supernested on PATH.
work = os.path.join(tmp, "work")
os.makedirs(os.path.join(work, "build"))
os.makedirs(os.path.join(tmp, "bin"))
for entry in os.listdir(src):
    if entry not in ("build", ".git"):
        os.symlink(os.path.join(src, entry), os.path.join(work, entry))
os.symlink(tool, os.path.join(work, "build", "supernested"))
os.symlink(tool, os.path.join(tmp, "bin", "supernested"))
env = dict(os.environ, PATH=os.path.join(tmp, "bin") + ":" + os.environ["PATH"])
# the commands as a user types them: not with the variables of a make that runs us
for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "MAKE_TERMOUT", "MAKE_TERMERR"):
    env.pop(k, None)
help_text = subprocess.run([tool, "--help"], capture_output=True, text=True).stdout
commands = set(re.findall(r"supernested ([a-z-]+)", help_text))

def blocks(path):
    """(line number, info string, text) of each fenced block."""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^```(.*)$", lines[i])
        if m:
            start, info, body = i + 1, m.group(1).strip(), []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            yield start, info, "\n".join(body) + "\n"
        i += 1

def logical_lines(text):
    out, cur = [], ""
    for line in text.split("\n"):
        cur += line
        if cur.endswith("\\"):
            cur = cur[:-1] + " "
            continue
        cur = re.sub(r"\s+#.*$", "", cur).strip()   # a trailing comment
        if cur and not cur.startswith("#"):
            out.append(cur)
        cur = ""
    return out

def dry_check(cmd):
    """'' when the command exists as written, else why not; None: skipped."""
    try:    # the first command of a pipeline or list
        lex = shlex.shlex(cmd, posix=True, punctuation_chars=True)
        lex.whitespace_split = True
        words = []
        for w in lex:
            if w and all(c in "|&;<>()" for c in w):
                break
            words.append(w)
    except ValueError as e:
        return "cannot read the command: %s" % e
    while words and re.match(r"^[A-Z_]+=", words[0]):     # VAR=value prefix
        words.pop(0)
    if not words:
        return "no command"
    prog = words[0]
    # installed paths (make install, the package) stand for the tree's files
    prog = re.sub(r"^(/usr|/usr/local)/share/supernested/", "", prog)
    prog = re.sub(r"^(/usr|/usr/local)/bin/supernested$", "supernested", prog)
    if prog == "make":
        if "-C" in words:
            return None                                   # another project's tree
        # the command as written, through the shell (its $(...) too), with -n
        line = re.sub(r"(^|\s)make(\s|$)", r"\1make -n\2", cmd, count=1)
        r = subprocess.run(["bash", "-c", line], cwd=src, capture_output=True, text=True, env=env)
        return "" if r.returncode == 0 else "%s: %s" % (line, r.stderr.strip())
    if prog in ("build/supernested", "supernested"):
        if len(words) < 2 or (words[1] not in commands and not words[1].startswith("-")):
            return "%s: no such command in --help" % " ".join(words[:2])
        bad = [w.split("=")[0] for w in words[1:]
               if w.startswith("--") and w.split("=")[0] not in help_text]
        return "options not in --help: %s" % " ".join(bad) if bad else ""
    if prog.startswith("build/"):      # a build output: make knows how to build it
        r = subprocess.run(["make", "-n", prog], cwd=src, capture_output=True, text=True, env=env)
        return "" if r.returncode == 0 else "make -n %s: %s" % (prog, r.stderr.strip())
    if "/" in prog:
        path = os.path.join(src, prog)
        if not os.path.exists(path):
            return None if not prog.split("/")[0] in os.listdir(src) else "%s missing" % prog
        if not os.access(path, os.X_OK):
            return "%s is not executable" % prog
        text = open(path, encoding="utf-8", errors="replace").read()
        bad = [w for w in words[1:] if w.startswith("--") and w not in text]
        return "options %s knows nothing of: %s" % (prog, " ".join(bad)) if bad else ""
    r = subprocess.run(["bash", "-c", 'command -v "$1"', "-", prog], capture_output=True)
    return "" if r.returncode == 0 else None    # another project's program, not here

for path in sys.argv[1:]:
    rel = os.path.relpath(path, src)
    text = open(path, encoding="utf-8").read()
    for line, info, body in blocks(path):
        where = "%s:%d" % (rel, line)
        kind = info.split()
        if not kind or kind[0] not in ("sh", "bash", "shell", "console"):
            continue
        first = logical_lines(body)[0] if logical_lines(body) else ""
        if "runnable" in kind:
            want = 0
            for word in kind:
                if word.startswith("exit="):
                    want = int(word[5:])
            script = os.path.join(tmp, "block.sh")
            with open(script, "w") as f:
                f.write("set -e -o pipefail\n" + body)
            r = subprocess.run(["bash", script], cwd=work, env=env, capture_output=True,
                               text=True, timeout=300)
            ok(r.returncode == want, "%s runs, exit %d: %s" % (where, want, first),
               "exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
        elif "dry" in kind:
            for cmd in logical_lines(body):
                why = dry_check(cmd)
                if why is None:
                    print("ok %d - %s: %s # SKIP outside this project, or not installed" % (n + 1, where, cmd[:60]))
                    globals()["n"] += 1
                    continue
                ok(why == "", "%s exists: %s" % (where, cmd[:70]), why)
        else:
            ok(False, "%s: a sh block marked neither runnable nor dry: %s" % (where, first))

    # local links and the project paths the text names
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
        full = os.path.normpath(os.path.join(os.path.dirname(path), target))
        ok(os.path.exists(full), "%s links to %s" % (rel, target))
    names = set(re.findall(r"`((?:launcher|results|host|overlay|image|ci|tests|docs|debian)/[A-Za-z0-9_./-]*[A-Za-z0-9_])`", text))
    missing = sorted(p for p in names if "*" not in p and not os.path.exists(os.path.join(src, p)))
    ok(not missing, "%s: the %d project paths it names exist" % (rel, len(names)), "\n".join(missing))

# The man pages: built, no warning from man, a NAME lexgrog reads, and
# every option of the tool and every setting of the launcher documented.
pages = {"supernested.1": None, "supernested-image.7": None}
for page in pages:
    p = os.path.join(mandir, page)
    r = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", p], capture_output=True,
                       text=True, env=dict(env, MANWIDTH="80", LC_ALL="C.UTF-8", MANPAGER="cat", PAGER="cat"))
    ok(r.returncode == 0 and r.stderr.strip() == "", "man --warnings -l %s: no warnings" % page,
       r.stderr)
    pages[page] = r.stdout.replace("\u2010", "-")
    r = subprocess.run(["lexgrog", p], capture_output=True, text=True)
    ok(r.returncode == 0, "lexgrog %s: %s" % (page, r.stdout.strip()), r.stderr)
# options: getopt tables anywhere in host/, and the "--name" a command's
# own parser compares against (host/cmd_*.c)
options = set()
for name in sorted(os.listdir(os.path.join(src, "host"))):
    if name.endswith(".c"):
        text = open(os.path.join(src, "host", name)).read()
        options |= set(re.findall(r'\{ "([a-z][a-z0-9-]+)", (?:required|no|optional)_argument', text))
        if name.startswith("cmd_"):
            options |= set(re.findall(r'"--([a-z][a-z0-9-]+)"', text))
options = sorted(options)
page1 = re.sub(r"\s+", " ", pages["supernested.1"])
missing = [o for o in options if "--" + o not in page1]
ok(options and not missing, "supernested(1) documents all %d options of host/" % len(options),
   "missing: " + " ".join(missing))
missing = [c for c in sorted(commands) if "supernested " + c not in page1]
ok(commands and not missing, "supernested(1) documents the commands %s" % " ".join(sorted(commands)),
   "missing: " + " ".join(missing))
settings_src = open(os.path.join(src, "launcher/settings.c")).read()
keys = re.findall(r'^\s*\{ "([a-z_]+)",\s+K_', settings_src, re.M)
missing = [k for k in keys if "supernested." + k + "=" not in pages["supernested-image.7"]]
ok(keys and not missing, "supernested-image(7) documents all %d settings of launcher/settings.c" % len(keys),
   "missing: " + " ".join(missing))

print("1..%d" % n)
print("%d passed, %d failed" % (n - failed, failed))
sys.exit(1 if failed else 0)
PY
