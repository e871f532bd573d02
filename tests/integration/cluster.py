"""Several `iamd serve` nodes on one store, and a throwaway PostgreSQL for
them (scripts/pg-cluster.sh), for the multi-node integration tests.

    with PostgreSQL(root) as pg, Nodes(iamd, 3, pg.url) as nodes:
        iam1 = nodes[0].client("iam")
        pg.kill(); pg.restart()          # the database goes away and comes back

Node 1 starts first on the empty store and creates the account; the others
get its credentials file, then start on the same store. All share one master
key: on PostgreSQL a file given with --master-key-file (`nodes.key_args`),
on SQLite the master.key beside the database file. A missing PostgreSQL is a
failure, never a skip.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from harness import Server, check, finish

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class PostgreSQL:
    """A throwaway cluster on a loopback port, with durable commits (a write
    acknowledged before a crash must survive it)."""

    def __init__(self, root):
        self.script = os.path.join(root, "scripts", "pg-cluster.sh")
        self.tmp = tempfile.mkdtemp(prefix="iamd-pg-")
        os.chmod(self.tmp, 0o755)  # the cluster's owner must reach its folder
        self.dir = os.path.join(self.tmp, "c")
        self.env = dict(os.environ, IAMD_PG_FSYNC="on")
        self.url = None

    def _run(self, *args):
        p = subprocess.run([self.script] + list(args), env=self.env, capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            raise SystemExit("pg-cluster.sh %s failed: %s" % (" ".join(args), p.stderr.strip()))
        return p.stdout.strip()

    def __enter__(self):
        self.url = self._run("start", self.dir)
        return self

    def kill(self):
        """Stops the server at once (pg_ctl -m immediate); data kept."""
        self._run("kill", self.dir)

    def restart(self):
        """Starts it again on the same port."""
        self._run("restart", self.dir)

    def __exit__(self, *exc):
        subprocess.run([self.script, "stop", self.dir], env=self.env, capture_output=True, timeout=120)
        shutil.rmtree(self.tmp, ignore_errors=True)
        return False


class Nodes:
    """`n` iamd nodes on the store at `url`, each with its own data folder
    and port; indexable (nodes[0] is node 1)."""

    def __init__(self, iamd, n, url, extra_args=()):
        self.tmp = tempfile.mkdtemp(prefix="iamd-nodes-")
        self.key_args = []
        if url.startswith("postgres"):
            key = os.path.join(self.tmp, "master.key")
            with open(os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
                f.write(os.urandom(32))
            self.key_args = ["--master-key-file", key]
        self.servers = []
        for i in range(n):
            data = os.path.join(self.tmp, "node%d" % (i + 1))
            args = ["--store", url, "--audit-log", "off"] + self.key_args + list(extra_args)
            self.servers.append(Server(iamd, args, data=data))

    def __enter__(self):
        first = self.servers[0].start()
        for s in self.servers[1:]:
            os.makedirs(s.data, mode=0o700)
            # root_keys: where root keys are still kept in a file beside the store.
            for name in ("credentials", "root_keys"):
                if os.path.exists(os.path.join(first.data, name)):
                    shutil.copy2(os.path.join(first.data, name), os.path.join(s.data, name))
            s.start()
        return self

    def __exit__(self, *exc):
        for s in self.servers:
            if s.proc is not None:
                s.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    def __getitem__(self, i):
        return self.servers[i]

    def __len__(self):
        return len(self.servers)


def eventually(what, cond, seconds):
    """Polls cond() until true or `seconds` pass; returns the seconds taken
    (None on timeout, recorded as a failure)."""
    t0 = time.monotonic()
    while True:
        if cond():
            return time.monotonic() - t0
        if time.monotonic() - t0 > seconds:
            check(False, "%s: not within %.1f s" % (what, seconds))
            return None
        time.sleep(0.005)


def get_status(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def run_on_store(run, needs_postgres=False):
    """The main of a multi-node test: `TEST.py path/to/iamd [--postgres]`
    calls run(iamd, store_url) on a throwaway PostgreSQL cluster, or on one
    SQLite file (several processes in WAL mode), then exits 1 on failures.
    `needs_postgres`: always PostgreSQL, and run(iamd, url, cluster)."""
    iamd = os.path.abspath(sys.argv[1])
    t0 = time.monotonic()
    if needs_postgres:
        with PostgreSQL(ROOT) as pg:
            run(iamd, pg.url, pg)
    elif "--postgres" in sys.argv[2:]:
        with PostgreSQL(ROOT) as pg:
            run(iamd, pg.url)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(iamd, "sqlite://" + os.path.join(tmp, "iamd.db"))
    print("took %.1f s" % (time.monotonic() - t0))
    finish()
