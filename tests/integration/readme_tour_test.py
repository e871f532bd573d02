#!/usr/bin/python3
"""The README's tour, run as written against a fresh `iamd serve`.

    /usr/bin/python3 readme_tour_test.py README.md path/to/iamd

Takes the shell block between `<!-- tour:begin -->` and `<!-- tour:end -->`
in README.md and runs it with bash, one command at a time in one shell (so
variables and functions carry over), in an empty temporary folder where
`build/src/cli/iamd` links to the iamd under test, with /usr/bin first on
PATH (Debian's aws). The only rewrite is the port: the tour's 127.0.0.1:9300
becomes a free one. A command whose comment says `allowed` must succeed, one
whose comment says `denied` must fail with AccessDenied, and every other
command must succeed too. There must be at least one of each.

Commands are lines (a trailing backslash continues one); multi-line shell
constructs are not supported, so keep the tour's commands one per line.
"""
import os
import re
import signal
import subprocess
import sys
import tempfile

from harness import check, failures, free_port

TOUR_PORT = "127.0.0.1:9300"


def tour_commands(readme):
    text = open(readme).read()
    m = re.search(r"<!-- tour:begin -->\s*```(?:sh|bash|shell)?\n(.*?)```\s*<!-- tour:end -->", text, re.S)
    if not m:
        raise SystemExit("README has no ```sh block between <!-- tour:begin --> and <!-- tour:end -->")
    commands, pending = [], ""
    for line in m.group(1).splitlines():
        if pending:
            pending += "\n" + line
        elif line.strip() and not line.lstrip().startswith("#"):
            pending = line
        else:
            continue
        if not line.endswith("\\"):
            commands.append(pending)
            pending = ""
    if pending:
        commands.append(pending)
    return commands


def expectation(command):
    """'allowed', 'denied' or None, from the command's trailing comment."""
    m = re.search(r"\s#\s*(.*)$", command.splitlines()[-1])
    comment = m.group(1).lower() if m else ""
    if re.match(r"denied\b", comment):
        return "denied"
    if re.match(r"allowed\b", comment):
        return "allowed"
    return None


def main():
    readme, iamd = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    commands = tour_commands(readme)
    kinds = [expectation(c) for c in commands]
    check("allowed" in kinds, "the tour has no command marked '# allowed'")
    check("denied" in kinds, "the tour has no command marked '# denied'")
    check(any(re.search(r"build/src/cli/iamd serve .*&\s*$", c) for c in commands),
          "the tour starts the server in the background")

    tmp = tempfile.mkdtemp(prefix="iamd-readme-tour-")
    os.makedirs(os.path.join(tmp, "build/src/cli"))
    os.symlink(iamd, os.path.join(tmp, "build/src/cli/iamd"))
    port = "127.0.0.1:%d" % free_port()
    script = ["set +e"]
    for i, c in enumerate(commands):
        script += ['echo "::cmd %d"' % i, c.replace(TOUR_PORT, port), 'echo "::rc %d $?"' % i]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(PATH="/usr/bin:/bin:" + env.get("PATH", ""), HOME=tmp, AWS_CONFIG_FILE=os.path.join(tmp, "config"),
               AWS_PAGER="")
    proc = subprocess.Popen(["/bin/bash", "-c", "\n".join(script) + "\n"], cwd=tmp, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=150)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        check(False, "the tour did not finish in 150 s")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the server, if the tour left it running
        except ProcessLookupError:
            pass

    sections = {}
    for m in re.finditer(r"^::cmd (\d+)\n(.*?)^::rc \1 (\d+)$", out, re.S | re.M):
        sections[int(m.group(1))] = (m.group(2), int(m.group(3)))
    for i, (command, kind) in enumerate(zip(commands, kinds)):
        if i not in sections:
            check(False, "command %d did not run: %s" % (i, command))
            continue
        output, rc = sections[i]
        if kind == "denied":
            check(rc != 0 and "(AccessDenied)" in output,
                  "expected AccessDenied from: %s\n  rc=%d output: %s" % (command, rc, output.strip()))
        else:
            check(rc == 0, "failed (rc=%d): %s\n  output: %s" % (rc, command, output.strip()))
    if failures():
        print("--- tour output ---\n" + out)
        print("%d failure(s)" % len(failures()))
        sys.exit(1)
    print("%d tour commands ran as the README says" % len(commands))


if __name__ == "__main__":
    main()
