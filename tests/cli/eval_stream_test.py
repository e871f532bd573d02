"""`iamd eval` as a stream: input far larger than its 4 MiB read buffer, a
line longer than all of it (the buffer must grow), CRLF line ends, blank
lines, and input that ends without a newline. Every case gets exactly one
answer, in input order, with both one and two threads; the answers do not
depend on where the reads happened to split the input.

The same text as a regular file (which iamd reads and answers in 128 KiB
blocks, lines crossing every block boundary, the long lines spanning dozens
of blocks) must give byte-for-byte the same answers, on 1, 2 and 5 threads
and confined to one CPU; so must a file whose first part the caller has already read (iamd starts at
the file offset), and an empty file gives no answer.

usage: eval_stream_test.py path/to/iamd
"""
import json
import os
import select
import subprocess
import sys
import tempfile
import time

IAMD = sys.argv[1]


def case(i, allow):
    return json.dumps({
        "id": f"c{i}",
        "principal": "arn:aws:iam::111122223333:user/alice",
        "action": "s3:GetObject",
        "resource": f"arn:aws:s3:::bucket/key{i}",
        "identity_policies": [{
            "Version": "2012-10-17",
            "Statement": [{"Sid": f"S{i}", "Effect": "Allow" if allow else "Deny",
                           "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}],
        }],
    }, separators=(",", ":"))


def long_case(i):
    # ~5 MiB of context values: longer than the whole read buffer.
    line = json.loads(case(i, True))
    line["context"] = {"aws:TagKeys": [f"tag-key-{n:07d}" for n in range(260000)]}
    return json.dumps(line, separators=(",", ":"))


def read_line(proc, timeout=30):
    """One line of the process's output, or fails after `timeout` seconds."""
    line = b""
    deadline = time.monotonic() + timeout
    while not line.endswith(b"\n"):
        ready, _, _ = select.select([proc.stdout], [], [], max(0, deadline - time.monotonic()))
        assert ready, f"no answer within {timeout} s (got {line!r})"
        chunk = proc.stdout.read1(1)
        assert chunk, f"output ended (got {line!r})"
        line += chunk
    return line.decode()


def interactive():
    proc = subprocess.Popen([IAMD, "eval", "--threads", "2"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        proc.stdin.write((case(1, True) + "\n").encode())
        proc.stdin.flush()
        assert json.loads(read_line(proc))["id"] == "c1"
        # The worker started on a CPU of its own, then was set free: no
        # thread stays pinned to one CPU.
        tasks = os.listdir(f"/proc/{proc.pid}/task")
        assert len(tasks) == 2, tasks  # --threads 2
        for task in tasks:
            assert os.sched_getaffinity(int(task)) == os.sched_getaffinity(0), (task, os.sched_getaffinity(int(task)))
        first, second = case(2, False)[:40], case(2, False)[40:]
        proc.stdin.write(first.encode())
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        assert not ready, "answered half a line"
        proc.stdin.write((second + "\n").encode())
        proc.stdin.flush()
        got = json.loads(read_line(proc))
        assert (got["id"], got["decision"]) == ("c2", "ExplicitDeny"), got
        proc.stdin.close()
        assert proc.stdout.read() == b""
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()


def main():
    interactive()
    lines, expected = [], []
    for i in range(30000):  # ~9 MiB
        if i in (7001, 19999):
            line = long_case(i)
            expected.append((f"c{i}", "Allow"))
        else:
            allow = i % 3 != 0
            line = case(i, allow)
            expected.append((f"c{i}", "Allow" if allow else "ExplicitDeny"))
        ending = "\r\n" if i % 5 == 0 else "\n"
        lines.append(line + ending)
        if i % 1000 == 0:
            lines.append("\n")  # blank: no case, no answer
    text = "".join(lines).rstrip("\n").rstrip("\r")  # the last case has no line end
    assert len(text) > 8 * 2**20, len(text)

    outputs = []
    for threads in ("1", "2"):
        out = subprocess.run([IAMD, "eval", "--threads", threads], input=text.encode(),
                             capture_output=True, check=True, timeout=300).stdout.decode()
        answers = out.splitlines()
        assert len(answers) == len(expected), (threads, len(answers), len(expected))
        for answer, (cid, decision) in zip(answers, expected):
            got = json.loads(answer)
            assert got["id"] == cid, (threads, got["id"], cid)
            assert got["decision"] == decision, (threads, cid, got)
        outputs.append(out)
    assert outputs[0] == outputs[1], "answers differ between one and two threads"

    with tempfile.TemporaryFile() as f:
        data = text.encode()
        f.write(data)
        for threads in ("1", "2", "5"):
            f.seek(0)
            out = subprocess.run([IAMD, "eval", "--threads", threads], stdin=f, capture_output=True,
                                 check=True, timeout=300).stdout.decode()
            assert out == outputs[0], f"answers from a file differ from the stream's ({threads} threads)"
            assert f.tell() == len(data), "standard input left unread"
        # Confined to one CPU (taskset, a cgroup's cpuset): no other CPU to
        # start a worker on, by default or when asked for five.
        one_cpu = {min(os.sched_getaffinity(0))}
        for threads in ([], ["--threads", "5"]):
            f.seek(0)
            out = subprocess.run([IAMD, "eval", *threads], stdin=f, capture_output=True, check=True, timeout=300,
                                 preexec_fn=lambda: os.sched_setaffinity(0, one_cpu)).stdout.decode()
            assert out == outputs[0], f"answers on one CPU differ ({threads})"
        # The caller read the first 12345 cases: iamd answers the rest.
        skipped = 12345
        offset = sum(len(line.encode()) for line in lines[:skipped + skipped // 1000 + 1])
        assert data[offset - 1:offset] == b"\n"
        f.seek(offset)
        out = subprocess.run([IAMD, "eval"], stdin=f, capture_output=True, check=True, timeout=300).stdout.decode()
        rest = outputs[0].splitlines(keepends=True)[skipped:]
        assert out == "".join(rest), "answers from a file read in part"
    with tempfile.TemporaryFile() as f:
        out = subprocess.run([IAMD, "eval"], stdin=f, capture_output=True, check=True, timeout=60).stdout
        assert out == b"", out
    print(f"ok: {len(expected)} cases, {len(text) / 2**20:.1f} MiB, one answer each, in order, "
          "from a pipe and from a file")


if __name__ == "__main__":
    main()
