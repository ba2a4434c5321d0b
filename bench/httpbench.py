"""Portal pages over HTTP on localhost: an Odoo server (one process, no workers,
unless told otherwise)
on the benchmark database, a portal user's session, then timed GET requests.
The server's own per-request query count comes from its werkzeug log line."""

import re
import socket
import statistics
import subprocess
import time
from pathlib import Path

import requests

# werkzeug line: "GET /my/tickets HTTP/1.1" 200 - <queries> <query time> <other time>
ODOO_SERVER = Path(__file__).resolve().parent.parent / "scripts" / "odoo-server"
LOG_LINE = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)')


class OdooServer:
    def __init__(self, py, conf, db, port, logfile, server_args=None):
        self.cmd = [
            str(py),
            # a script, not `-m odoo`: with --workers, Odoo starts its websocket
            # process from sys.argv[0]
            str(ODOO_SERVER),
            "-c",
            str(conf),
            "-d",
            db,
            f"--db-filter=^{db}$",
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
            *(server_args or ["--workers=0", "--max-cron-threads=0"]),
            "--log-level=info",
            f"--logfile={logfile}",
        ]
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.logfile = Path(logfile)
        self.proc = None

    def __enter__(self):
        with socket.socket() as sock:
            # as Odoo does: connections of a previous server in TIME_WAIT are fine
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", self.port))
            except OSError:
                raise RuntimeError(
                    f"port {self.port} is in use: choose another with --port"
                ) from None
        self.logfile.write_text("")
        self.proc = subprocess.Popen(
            self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"the Odoo server stopped (exit {self.proc.returncode}), "
                    f"log {self.logfile}:\n{self.logfile.read_text()[-2000:]}"
                )
            try:
                if requests.get(f"{self.url}/web/health", timeout=5).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the Odoo server did not answer on {self.url}")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def query_counts(self):
        """[(path, status, queries)] of the GET requests logged so far."""
        text = self.logfile.read_text(errors="replace")
        return [
            (m.group(1), int(m.group(2)), int(m.group(3)))
            for m in LOG_LINE.finditer(text)
        ]


def login(session, url, db, user, password):
    resp = session.post(
        f"{url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": db, "login": user, "password": password},
        },
        timeout=60,
    )
    resp.raise_for_status()
    body = resp.json()
    if body.get("error") or not body.get("result", {}).get("uid"):
        raise RuntimeError(f"portal login failed for {user}: {body.get('error')}")


def measure_portal(server, db, login_name, password, pages, runs, log):
    """Median time of each page (path) for the logged-in portal user, runs
    interleaved page by page, after two warm-up rounds."""
    side = {
        "server": server,
        "db": db,
        "login": login_name,
        "password": password,
        "pages": pages,
    }
    return measure_portals([side], runs, log)[0]


def measure_portals(sides, runs, log):
    """measure_portal of several servers at once (ours and the OCA peer): the
    same page names, requested in turns (in reverse order on odd rounds), so
    that both see the same machine state. Each side: {server, db, login,
    password, pages}. Returns a result per side."""
    sessions = []
    for side in sides:
        session = requests.Session()
        login(session, side["server"].url, side["db"], side["login"], side["password"])
        sessions.append(session)

    def get(k, path):
        url = sides[k]["server"].url
        t0 = time.perf_counter()
        resp = sessions[k].get(f"{url}{path}", timeout=120, allow_redirects=False)
        seconds = time.perf_counter() - t0
        if resp.status_code != 200:
            raise RuntimeError(f"GET {url}{path}: HTTP {resp.status_code}")
        return seconds, len(resp.content)

    names = list(sides[0]["pages"])
    turns = [(k, name) for name in names for k in range(len(sides))]
    for _ in range(2):
        for k, name in turns:
            get(k, sides[k]["pages"][name])
    samples = [{name: [] for name in names} for _side in sides]
    sizes = [{} for _side in sides]
    for run in range(runs):
        for k, name in turns if run % 2 == 0 else reversed(turns):
            seconds, size = get(k, sides[k]["pages"][name])
            samples[k][name].append(seconds)
            sizes[k][name] = size
    results = []
    for k, side in enumerate(sides):
        counts = {}
        for path, _status, queries in side["server"].query_counts():
            counts.setdefault(path, []).append(queries)
        out = {}
        for name in names:
            path = side["pages"][name]
            out[name] = {
                "path": path,
                "median_s": statistics.median(samples[k][name]),
                "runs_s": [round(s, 4) for s in samples[k][name]],
                "bytes": sizes[k][name],
                "queries": statistics.median_low(counts[path][-runs:])
                if counts.get(path)
                else None,
            }
            log(f"  {side['server'].url}{path}: {out[name]['median_s'] * 1000:.1f} ms")
        results.append(out)
    return results
