#!/usr/bin/env python3
"""Load test of the helpdesk addons (issue #10): Odoo in production mode
(worker processes, cron workers) on the benchmark database, Locust against
127.0.0.1 only, N portal users and M agents for a bounded time. Prints
throughput, p50/p95 latency and errors per request type, writes JSON.

    scripts/helpdesk loadtest                      # 50 portal users, 20 agents, 3 min
    .venv/bin/python bench/load.py --db helpdesk_bench --duration 60

The database must hold the benchmark's data (scripts/helpdesk bench makes it): the
test runs on a copy (<db>_load, dropped afterwards), whose portal contacts and
agents log in with the password "bench".
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests

from bench import dbsetup, httpbench

LOCUST = "locust==2.47.0"
P95_TARGET_MS = 1000
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


def log(msg):
    print(f"[load] {msg}", flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", default="helpdesk_bench", help="database (default helpdesk_bench)"
    )
    parser.add_argument(
        "--portal-users", type=int, default=50, help="concurrent portal users (50)"
    )
    parser.add_argument("--agents", type=int, default=20, help="concurrent agents (20)")
    parser.add_argument(
        "--duration", type=int, default=180, help="seconds of load (180)"
    )
    parser.add_argument(
        "--spawn-rate", type=float, default=10, help="users started per second (10)"
    )
    parser.add_argument(
        "--port", type=int, default=8095, help="HTTP port of the Odoo server (8095)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="Odoo HTTP workers (default 2 x cores + 1)",
    )
    parser.add_argument(
        "--conf", default=str(ROOT / "var" / "odoo.conf"), help="Odoo configuration"
    )
    parser.add_argument(
        "--venv",
        default=str(ROOT / "var" / "loadtest-venv"),
        help=f"virtualenv for Locust ({LOCUST}), made when missing, apart from Odoo's",
    )
    parser.add_argument(
        "--json", default=str(ROOT / "var" / "bench" / "load.json"), help="result file"
    )
    args = parser.parse_args(argv)
    if min(args.portal_users, args.agents) < 0 or args.duration < 10:
        parser.error("--portal-users/--agents >= 0 and --duration >= 10")
    return args


def ensure_locust(venv):
    locust = Path(venv) / "bin" / "locust"
    if locust.exists():
        return locust
    log(f"installing {LOCUST} into {venv}")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run(
        [str(Path(venv) / "bin" / "pip"), "install", "-q", LOCUST], check=True
    )
    return locust


def logins(db, portal_users, agents):
    """Logins of the benchmark's portal contacts and agents (password "bench")."""
    portal = dbsetup.psql(
        "SELECT login FROM res_users WHERE active AND share "
        "AND login LIKE 'bench.portal.%' "
        f"ORDER BY login LIMIT {int(portal_users)}",
        db,
    )
    agent = dbsetup.psql(
        "SELECT login FROM res_users WHERE active AND login LIKE 'bench.agent.%' "
        f"ORDER BY login LIMIT {int(agents)}",
        db,
    )
    return portal, agent


def set_passwords(db, logins):
    """Give the load test's users the password "bench": the benchmark sets it
    for its measured portal user only (hashing 500 passwords would take
    minutes); its hash is copied."""
    quoted = ",".join("'" + login.replace("'", "''") + "'" for login in logins)
    dbsetup.psql(
        "UPDATE res_users SET password = (SELECT password FROM res_users WHERE "
        "login LIKE 'bench.%' AND password IS NOT NULL ORDER BY id LIMIT 1) "
        f"WHERE login IN ({quoted}) AND password IS NULL",
        db,
    )


def log_in(url, login):
    """A session of the user (password "bench"), None when the login fails."""
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=120)
    token = CSRF.search(page.text)
    response = session.post(
        f"{url}/web/login",
        data={
            "login": login,
            "password": "bench",
            "csrf_token": token and token.group(1),
            "redirect": "/web/health",
        },
        timeout=120,
    )
    return session if response.url.endswith("/web/health") else None


def open_sessions(url, logins):
    """Log every user in once, before the run: {login: session id}. The first
    requests also warm the workers' caches (assets, views). Logging in costs a
    password hash (about half a second of CPU) and is timed apart."""
    sessions, failed = {}, []
    t0 = time.perf_counter()
    for login in logins:
        session = log_in(url, login)
        if not session:
            failed.append(login)
            continue
        sessions[login] = session.cookies.get("session_id")
        portal = login.startswith("bench.portal.")
        for path in ("/my", "/my/tickets") if portal else ("/odoo",):
            session.get(f"{url}{path}", timeout=120)
    return sessions, failed, time.perf_counter() - t0


def read_stats(prefix):
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for rec in csv.DictReader(fh):
            rows.append(
                {
                    "type": rec["Type"],
                    "name": rec["Name"],
                    "requests": int(rec["Request Count"]),
                    "failures": int(rec["Failure Count"]),
                    "rps": float(rec["Requests/s"]),
                    "p50_ms": float(rec["50%"] or 0),
                    "p95_ms": float(rec["95%"] or 0),
                    "p99_ms": float(rec["99%"] or 0),
                    "max_ms": float(rec["Max Response Time"] or 0),
                }
            )
    return rows


def print_table(rows):
    head = f"{'request':<42} {'count':>7} {'errors':>6} {'req/s':>7} " + " ".join(
        f"{h:>7}" for h in ("p50 ms", "p95 ms", "max ms")
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        label = "TOTAL" if r["name"] == "Aggregated" else r["name"]
        print(
            f"{label[:42]:<42} {r['requests']:>7} {r['failures']:>6} {r['rps']:>7.1f} "
            f"{r['p50_ms']:>7.0f} {r['p95_ms']:>7.0f} {r['max_ms']:>7.0f}"
        )


def main(argv=None):
    args = parse_args(argv)
    conf = Path(args.conf)
    if not conf.exists():
        sys.exit(f"{conf} is missing: run scripts/helpdesk setup first")
    if not dbsetup.addons_installed(args.db):
        sys.exit(
            f"database {args.db} has no helpdesk data: make it with "
            f"scripts/helpdesk bench --db {args.db} (add --scale 0.1 for a quick one)"
        )
    portal, agents = logins(args.db, args.portal_users, args.agents)
    if (args.portal_users and not portal) or (args.agents and not agents):
        sys.exit(f"{args.db} has no bench.portal.* / bench.agent.* users")
    # the load goes to a copy: the benchmark's database stays as measured
    filestore = dbsetup.filestore_root()
    db = f"{args.db}_load"
    log(f"copying {args.db} to {db}")
    dbsetup.drop_db(db, filestore)
    dbsetup.copy_db(args.db, db, filestore, log)
    set_passwords(db, portal + agents)
    # the scheduled actions run as in production, but the monthly invoicing of
    # every contract (measured by the benchmark) is not part of the load
    dbsetup.psql(
        "UPDATE ir_cron SET nextcall = now() + interval '1 day' WHERE id IN "
        "(SELECT res_id FROM ir_model_data WHERE model = 'ir.cron' "
        "AND module = 'contract')",
        db,
    )
    locust = ensure_locust(args.venv)
    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    workers = args.workers or 2 * (os.cpu_count() or 1) + 1
    server_args = [
        f"--workers={workers}",
        "--max-cron-threads=2",
        f"--gevent-port={args.port + 3}",
        "--limit-time-cpu=60",
        "--limit-time-real=120",
        "--limit-time-real-cron=600",
        "--db_maxconn=16",
    ]
    prefix = var / "load"
    result = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "db": db,
        "cpu_count": os.cpu_count(),
        "odoo_args": server_args,
        "portal_users": args.portal_users,
        "agents": args.agents,
        "distinct_logins": {"portal": len(portal), "agents": len(agents)},
        "duration_s": args.duration,
    }
    log(
        f"Odoo on 127.0.0.1:{args.port} with {workers} HTTP workers, 2 cron workers; "
        f"{args.portal_users} portal users ({len(portal)} logins) and "
        f"{args.agents} agents ({len(agents)} logins) for {args.duration} s"
    )
    env = dict(
        os.environ,
        HELPDESK_LOAD_PORTAL=",".join(portal),
        HELPDESK_LOAD_AGENTS=",".join(agents),
        HELPDESK_LOAD_PORTAL_USERS=str(args.portal_users),
        HELPDESK_LOAD_AGENT_USERS=str(args.agents),
    )
    with httpbench.OdooServer(
        Path(sys.executable),
        conf,
        db,
        args.port,
        var / "load-server.log",
        server_args=server_args,
    ) as server:
        log(f"logging {len(portal) + len(agents)} users in (and warming up)")
        sessions, failed, seconds = open_sessions(server.url, portal + agents)
        if failed:
            sys.exit(f"login failed for {', '.join(failed)}")
        result["logins_s"] = round(seconds, 1)
        sessions_file = var / "load-sessions.json"
        sessions_file.write_text(json.dumps(sessions))
        sessions_file.chmod(0o600)
        env["HELPDESK_LOAD_SESSIONS"] = str(sessions_file)
        log(f"  {len(sessions)} sessions in {seconds:.1f} s; running Locust")
        t0 = time.perf_counter()
        proc = subprocess.run(
            [
                str(locust),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                server.url,  # always 127.0.0.1
                "--users",
                str(args.portal_users + args.agents),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.duration}s",
                "--stop-timeout",
                "30",
                "--csv",
                str(prefix),
                "--only-summary",
                # statistics of the steady state: reset once all users run
                "--reset-stats",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        result["wall_s"] = round(time.perf_counter() - t0, 1)
    (var / "locust.log").write_text(proc.stdout)
    dbsetup.drop_db(db, filestore)
    rows = read_stats(prefix)
    total = next(r for r in rows if r["name"] == "Aggregated")
    result["requests"] = rows
    result["total"] = total
    result["pass"] = total["failures"] == 0 and total["p95_ms"] <= P95_TARGET_MS
    print()
    print(
        f"load test: {args.portal_users} portal users + {args.agents} agents, "
        f"{args.duration} s, Odoo {workers} workers, {os.cpu_count()} CPU cores"
    )
    print_table(rows)
    print(
        f"\nthroughput {total['rps']:.1f} req/s, p50 {total['p50_ms']:.0f} ms, "
        f"p95 {total['p95_ms']:.0f} ms, "
        f"errors {total['failures']} of {total['requests']}; "
        f"target: no errors, p95 <= {P95_TARGET_MS} ms: "
        + ("PASS" if result["pass"] else "FAIL")
    )
    out = Path(args.json)
    out.write_text(json.dumps(result, indent=2))
    print(f"JSON: {out}   Locust log: {var / 'locust.log'}")
    if proc.returncode not in (0, 1):  # 1: Locust saw failed requests
        print(proc.stdout[-3000:])
        return proc.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
