"""The ORM measurements. Each run gets its own cursor and environment and is rolled
back afterwards, so every run starts from the same data; a first warm-up run is
not counted. Times are medians over the runs (time.perf_counter), with the number
of SQL queries of the median run."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from lxml import etree

from odoo import SUPERUSER_ID, Command, api
from odoo.osv import expression
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil as safe_dateutil
from odoo.tools.safe_eval import safe_eval

from bench.datagen import settle_sla

WEB_CONTEXT = {"lang": "en_US", "tz": "Europe/Brussels", "bin_size": True}
COUNT_LIMIT = 10_001  # the web client's count_limit (DEFAULT_COUNT_LIMIT + 1)
LIST_LIMIT = 80
KANBAN_GROUPS_LIMIT = 10
KANBAN_GROUP_LIMIT = 40


class Runner:
    def __init__(self, registry, runs, log):
        self.registry = registry
        self.runs = runs
        self.log = log

    def env(self, cr, uid=SUPERUSER_ID, context=None):
        ctx = dict(WEB_CONTEXT, **(context or {}))
        if uid != SUPERUSER_ID:
            ctx.setdefault("uid", uid)
        env = api.Environment(cr, uid, ctx)
        company = env.user.company_id
        return env(context=dict(env.context, allowed_company_ids=company.ids))

    def once(self, fn):
        """Run fn(cr) in a fresh transaction, rolled back; return (seconds,
        queries, result)."""
        cr = self.registry.cursor()
        try:
            queries0 = cr.sql_log_count
            t0 = time.perf_counter()
            result = fn(cr)
            seconds = time.perf_counter() - t0
            return seconds, cr.sql_log_count - queries0, result
        finally:
            cr.rollback()
            cr.close()

    def median(self, fn):
        """Median of the time fn(cr) measures itself (it returns seconds, queries,
        result), over the runs, after one warm-up run; with the queries and
        result of the median run."""
        self.once(fn)
        samples = [self.once(fn)[2] for _ in range(self.runs)]
        mid = sorted(samples, key=lambda s: s[0])[len(samples) // 2]
        return {
            "median_s": statistics.median(s[0] for s in samples),
            "runs_s": [round(s[0], 4) for s in samples],
            "queries": mid[1],
            "result": mid[2],
        }


@dataclass
class Side:
    """One helpdesk measured: ours, or the OCA peer (bench/peer.py) on its own
    database, through the same code paths with its own names."""

    name: str
    runner: Runner
    agent_id: int
    # the ticket list action and, when not its default filters, the names of
    # its search view's filters that show the open tickets
    action: str = "helpdesk_service.helpdesk_ticket_action"
    open_filters: tuple | None = None
    # (env, n) -> the values of n tickets as an agent creates them
    ticket_vals: Callable | None = None


def paired_median(pairs, runs):
    """Runner.median of several (runner, fn) at once, alternated: each round
    runs them all, in reverse order on odd rounds, so that they see the same
    machine state; one warm-up round first."""
    for runner, fn in pairs:
        runner.once(fn)
    samples = [[] for _ in pairs]
    for i in range(runs):
        order = list(enumerate(pairs))
        for k, (runner, fn) in order if i % 2 == 0 else reversed(order):
            samples[k].append(runner.once(fn)[2])
    out = []
    for side in samples:
        mid = sorted(side, key=lambda s: s[0])[len(side) // 2]
        out.append(
            {
                "median_s": statistics.median(s[0] for s in side),
                "runs_s": [round(s[0], 4) for s in side],
                "queries": mid[1],
                "result": mid[2],
            }
        )
    return out


# ---------------------------------------------------------------- views
def view_spec(env, model, view_type):
    """(specification, arch root, fields info) of the model's default view of that
    type, as the web client builds it for the user of `env`."""
    result = env[model].get_views([(False, view_type)])
    arch = etree.fromstring(result["views"][view_type]["arch"])
    fields_info = result["models"][model]["fields"]
    spec = {}
    for node in arch.iter("field"):
        # skip fields of embedded x2many sub-views
        if any(p.tag == "field" for p in node.iterancestors()):
            continue
        name = node.get("name")
        info = fields_info.get(name)
        if not info:
            continue
        if info["type"] == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif info["type"] in ("many2many", "one2many"):
            sub = {"display_name": {}}
            if node.get("widget") == "many2many_tags":
                sub["color"] = {}
            spec[name] = {"fields": sub} if node.get("widget") else {}
        else:
            spec[name] = {}
    return spec, arch, fields_info


def action_domain(env, xmlid, filters=None):
    """The domain of the action's default search filters (search_default_*), or
    of the named `filters` of its search view instead."""
    action = env.ref(xmlid).sudo()
    ctx = safe_eval(action.context or "{}", {"uid": env.uid, "active_id": False})
    names = (
        list(filters)
        if filters is not None
        else [
            k[len("search_default_") :]
            for k, v in ctx.items()
            if v and k.startswith("search_default_")
        ]
    )
    domain = safe_eval(action.domain or "[]", {"uid": env.uid})
    if not names:
        return domain
    search_view = action.search_view_id
    Model = env[action.res_model]
    arch = Model.get_views([(search_view.id, "search")])["views"]["search"]["arch"]
    root = etree.fromstring(arch)
    eval_ctx = {
        "uid": env.uid,
        "context_today": lambda: datetime.now().date(),
        "datetime": safe_datetime,
        "relativedelta": safe_dateutil.relativedelta.relativedelta,
    }
    # filters of different groups are ANDed; the default filters of our actions
    # are one per group
    parts = [domain]
    for node in root.iter("filter"):
        if node.get("name") in names and node.get("domain"):
            parts.append(safe_eval(node.get("domain"), eval_ctx))
    return expression.AND(parts)


def aggregates(arch, fields_info):
    """The `field:aggregator` list the web client asks in a grouped list."""
    result = []
    for node in arch.iter("field"):
        info = fields_info.get(node.get("name"), {})
        if (
            info.get("type") in ("integer", "float", "monetary")
            and info.get("aggregator")
            and info.get("store")
        ):
            result.append(f"{node.get('name')}:{info['aggregator']}")
    return result


# ---------------------------------------------------------------- measurements
def ticket_vals(env, n, partner_ids, team, types, offset=0):
    return [
        {
            "name": f"Bench call {offset + i}: the printer does not print",
            "partner_id": partner_ids[(offset + i) % len(partner_ids)],
            "team_id": team.id,
            "type_id": types[(offset + i) % len(types)],
            "priority": "1",
            "channel": "phone",
            "description": "<p>The client called: the printer shows error E42.</p>",
        }
        for i in range(n)
    ]


def partner_vals(n, parent_ids, offset=0):
    return [
        {
            "name": f"Bench Caller {offset + i}",
            "email": f"bench.caller.{offset + i}@example.com",
            "phone": f"+33 6 00 {offset + i:06d}",
            "parent_id": parent_ids[(offset + i) % len(parent_ids)],
            "type": "contact",
        }
        for i in range(n)
    ]


def peer_create_case(peer, batch):
    """fn(cr, n) creating n of the peer's tickets as its agent."""

    def fn(cr, n):
        env = peer.runner.env(cr, peer.agent_id)
        vals = peer.ticket_vals(env, n)
        Ticket = env["helpdesk.ticket"]
        t0 = time.perf_counter()
        q0 = cr.sql_log_count
        if batch:
            Ticket.create(vals)
        else:
            for v in vals:
                Ticket.create(v)
        env.flush_all()
        return time.perf_counter() - t0, cr.sql_log_count - q0

    return fn


def measure_create(runner, agent_id, n_single, n_batch, peer=None):
    """Tickets and partners created by an agent, one by one and in batch, in
    the same runs (interleaved), with tracking on as in the UI; with `peer` (a
    Side), the OCA peer's tickets too, in the same rounds."""

    def case(model, batch):
        def fn(cr, n):
            env = runner.env(cr, agent_id)
            Partner = env["res.partner"].sudo()
            if model == "project.task":
                # Odoo's own mail-enabled document, created the same way: a
                # reference for what followers and creation messages cost
                project = env["project.project"].sudo().search([], limit=1)
                vals = [
                    {
                        "name": f"Bench task {i}",
                        "project_id": project.id,
                        "user_ids": [(6, 0, [agent_id])],
                        "description": "<p>The printer shows error E42.</p>",
                    }
                    for i in range(n)
                ]
            elif model == "helpdesk.ticket":
                team = (
                    env["helpdesk.team"]
                    .sudo()
                    .search([("member_ids", "in", agent_id)], limit=1)
                )
                types = env["helpdesk.ticket.type"].search([], limit=5).ids
                contacts = Partner.search(
                    [("parent_id", "!=", False), ("is_company", "=", False)],
                    limit=200,
                ).ids
                vals = ticket_vals(env, n, contacts, team, types)
            else:
                vals = partner_vals(
                    n, Partner.search([("is_company", "=", True)], limit=50).ids
                )
            # tasks as superuser: agents need no project rights
            Model = env[model].sudo() if model == "project.task" else env[model]
            t0 = time.perf_counter()
            q0 = cr.sql_log_count
            if batch:
                Model.create(vals)
            else:
                for v in vals:
                    Model.create(v)
            env.flush_all()
            return time.perf_counter() - t0, cr.sql_log_count - q0

        return fn

    cases = {
        "partner_single": (runner, case("res.partner", False), n_single),
        "ticket_single": (runner, case("helpdesk.ticket", False), n_single),
        "partner_batch": (runner, case("res.partner", True), n_batch),
        "ticket_batch": (runner, case("helpdesk.ticket", True), n_batch),
    }
    if "project.task" in runner.registry:
        cases["task_single"] = (runner, case("project.task", False), n_single)
        cases["task_batch"] = (runner, case("project.task", True), n_batch)
    if peer:
        cases["peer_ticket_single"] = (
            peer.runner,
            peer_create_case(peer, False),
            n_single,
        )
        cases["peer_ticket_batch"] = (
            peer.runner,
            peer_create_case(peer, True),
            n_batch,
        )
    # a warm-up round at a tenth of the size (caches, first-use costs), then the
    # runs, the cases interleaved so that they share the machine's state (in
    # reverse order on even runs: ours and the peer take turns going first)
    samples = {name: [] for name in cases}
    for run in range(runner.runs + 1):
        order = list(cases.items())
        for name, (run_on, fn, n) in order if run % 2 else reversed(order):
            size = max(1, n // 10) if run == 0 else n
            _s, _q, (seconds, queries) = run_on.once(lambda cr, f=fn, k=size: f(cr, k))
            if run:
                samples[name].append((seconds, queries))
        runner.log(f"  create run {run}/{runner.runs} done")
    out = {}
    for name, (_runner, _fn, n) in cases.items():
        med = statistics.median(s for s, _q in samples[name])
        queries = sorted(samples[name])[len(samples[name]) // 2][1]
        out[name] = {
            "n": n,
            "median_s": med,
            "runs_s": [round(s, 4) for s, _q in samples[name]],
            "per_s": n / med,
            "queries_per_record": queries / n,
        }
    return out


def read_cases(side):
    """{name: fn(cr)} of the list, kanban, grouped and count reads of the
    side's ticket action as its agent."""
    Model = "helpdesk.ticket"

    def prepare(cr):
        env = side.runner.env(cr, side.agent_id)
        return env, action_domain(env, side.action, side.open_filters)

    def list_page(domain_mode):
        def fn(cr):
            env, domain = prepare(cr)
            if domain_mode == "all":
                domain = []
            spec, _arch, _f = view_spec(env, Model, "list")
            t0 = time.perf_counter()
            q0 = cr.sql_log_count
            res = env[Model].web_search_read(
                domain, spec, offset=0, limit=LIST_LIMIT, count_limit=COUNT_LIMIT
            )
            return time.perf_counter() - t0, cr.sql_log_count - q0, res["length"]

        return fn

    def kanban(cr):
        env, domain = prepare(cr)
        spec, arch, _f = view_spec(env, Model, "kanban")
        Ticket = env[Model]
        group_by = arch.get("default_group_by")
        progress = arch.find("progressbar")
        t0 = time.perf_counter()
        q0 = cr.sql_log_count
        groups = Ticket.web_read_group(
            domain, [], [group_by], limit=KANBAN_GROUPS_LIMIT, lazy=True
        )["groups"]
        records = 0
        for group in groups:
            if group.get("__fold") or not group.get(f"{group_by}_count"):
                continue
            res = Ticket.web_search_read(
                group["__domain"],
                spec,
                limit=KANBAN_GROUP_LIMIT,
                count_limit=COUNT_LIMIT,
            )
            records += len(res["records"])
        if progress is not None:
            Ticket.read_progress_bar(
                domain,
                group_by,
                {"field": progress.get("field"), "colors": progress.get("colors")},
            )
        return time.perf_counter() - t0, cr.sql_log_count - q0, records

    def grouped(field):
        def fn(cr):
            env, domain = prepare(cr)
            _spec, arch, fields_info = view_spec(env, Model, "list")
            t0 = time.perf_counter()
            q0 = cr.sql_log_count
            res = env[Model].web_read_group(
                domain, aggregates(arch, fields_info), [field], limit=80, lazy=True
            )
            return time.perf_counter() - t0, cr.sql_log_count - q0, res["length"]

        return fn

    def open_count(cr):
        env, domain = prepare(cr)
        t0 = time.perf_counter()
        q0 = cr.sql_log_count
        count = env[Model].search_count(domain)
        return time.perf_counter() - t0, cr.sql_log_count - q0, count

    return {
        "list_default": list_page("default"),
        "list_all": list_page("all"),
        "kanban": kanban,
        "group_stage": grouped("stage_id"),
        "group_agent": grouped("user_id"),
        "open_count": open_count,
    }


def visible_open(side):
    """How many open tickets the side's agent sees: the count of the read
    measurements (the action's open filter, through his record rules)."""

    def fn(cr):
        env = side.runner.env(cr, side.agent_id)
        domain = action_domain(env, side.action, side.open_filters)
        return env["helpdesk.ticket"].search_count(domain)

    return side.runner.once(fn)[2]


def measure_reads(runner, agent_id, peer=None):
    """List, kanban, grouped reads and the open count of the ticket action, as
    an agent; with `peer` (a Side), the OCA peer's too, run by run in turns.
    The peer's results go under "peer"."""
    sides = [Side("ours", runner, agent_id)] + ([peer] if peer else [])
    cases = [read_cases(side) for side in sides]
    out = {"peer": {}} if peer else {}
    for name in cases[0]:
        results = paired_median(
            [(side.runner, fns[name]) for side, fns in zip(sides, cases, strict=True)],
            runner.runs,
        )
        out[name] = results[0]
        msg = f"  {name}: {results[0]['median_s'] * 1000:.1f} ms"
        if peer:
            out["peer"][name] = results[1]
            msg += f", peer {results[1]['median_s'] * 1000:.1f} ms"
        runner.log(msg)
    return out


def measure_kpi(runner, manager_id):
    def refresh(cr):
        env = runner.env(cr)
        t0 = time.perf_counter()
        q0 = cr.sql_log_count
        rows = env["helpdesk.kpi"]._cron_refresh()
        env.flush_all()
        return time.perf_counter() - t0, cr.sql_log_count - q0, len(rows)

    def kpi_list(cr):
        env = runner.env(cr, manager_id)
        domain = action_domain(env, "helpdesk_service.helpdesk_kpi_action")
        spec, _a, _f = view_spec(env, "helpdesk.kpi", "list")
        t0 = time.perf_counter()
        q0 = cr.sql_log_count
        res = env["helpdesk.kpi"].web_search_read(
            domain, spec, limit=LIST_LIMIT, count_limit=COUNT_LIMIT
        )
        return time.perf_counter() - t0, cr.sql_log_count - q0, res["length"]

    return {
        "kpi_refresh": runner.median(refresh),
        "kpi_list": runner.median(kpi_list),
    }


def measure_sla(runner, backlog_hours):
    """The escalation cron's full pass (batch after batch while it reports
    work left, as the scheduler would call it), over the targets that fell due
    in the last `backlog_hours`; older ones are settled first (committed)."""
    cr = runner.registry.cursor()
    try:
        env = runner.env(cr)
        horizon = datetime.now() - timedelta(hours=backlog_hours)
        settled = settle_sla(env, horizon)
        cr.commit()
        open_tickets = env["helpdesk.ticket"].search_count([("is_closed", "=", False)])
        lines = env["helpdesk.ticket.sla"].search_count([])
    finally:
        cr.close()

    def run(cr):
        # the cron hands big runs to queue jobs (helpdesk.cron.job.mixin): they
        # are performed here one after the other, in the same transaction
        from odoo.addons.queue_job.job import Job

        env = runner.env(cr)
        cron = env.ref("helpdesk_service.ir_cron_sla_escalate")
        progress = env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        env.flush_all()
        QueueJob = env["queue.job"]
        last_job = QueueJob.search([], order="id desc", limit=1).id or 0
        Line = env["helpdesk.ticket.sla"].with_context(ir_cron_progress_id=progress.id)
        t0 = time.perf_counter()
        q0 = cr.sql_log_count
        handled = batches = jobs = 0
        while True:
            done = Line._cron_escalate()
            env.flush_all()
            batches += 1
            handled += done
            if not done or not progress.remaining:
                break
        t1 = time.perf_counter()
        domain = [
            ("id", ">", last_job),
            ("method_name", "=", "_job_escalate"),
            ("state", "=", "pending"),
        ]
        while pending := QueueJob.search(domain, order="id"):
            for record in pending:
                job = Job.load(env, record.uuid)
                job.perform()
                job.set_done()
                job.store()
                env.flush_all()
                jobs += 1
        t2 = time.perf_counter()
        return (
            t2 - t0,
            cr.sql_log_count - q0,
            (handled, batches, jobs, t1 - t0, t2 - t1),
        )

    res = runner.median(run)
    res.update(
        open_tickets=open_tickets,
        sla_lines=lines,
        settled_before={"escalated": settled[0], "warned": settled[1]},
        handled=res["result"][0],
        batches=res["result"][1],
        jobs=res["result"][2],
        enqueue_s=round(res["result"][3], 4),
        jobs_s=round(res["result"][4], 4),
    )
    return res


def measure_invoicing(runner):
    """OCA contract's recurring invoicing run (which helpdesk_billing extends)
    over all the contracts due."""
    cr = runner.registry.cursor()
    try:
        env = runner.env(cr)
        if "contract.contract" not in env:
            return None
        Contract = env["contract.contract"]
        due = Contract.search_count(Contract._get_contracts_to_invoice_domain())
    finally:
        cr.close()
    if not due:
        return None

    invoice_lines = []

    def run(cr):
        env = runner.env(cr)
        Move = env["account.move"]
        before = Move.search_count([])
        last_id = Move.search([], order="id desc", limit=1).id or 0
        t0 = time.perf_counter()
        q0 = cr.sql_log_count
        # the jobs' work, in this transaction (queue_job runs them at once)
        env["contract.contract"].with_context(
            queue_job__no_delay=True
        ).cron_recurring_create_invoice()
        env.flush_all()
        seconds = time.perf_counter() - t0
        queries = cr.sql_log_count - q0
        # the invoice lines of the run (untimed): the OCA peer's "contract
        # alone" run is measured at the same number of lines
        new = Move.search([("id", ">", last_id), ("move_type", "=", "out_invoice")])
        invoice_lines.append(len(new.invoice_line_ids))
        return seconds, queries, Move.search_count([]) - before

    res = runner.median(run)
    res.update(contracts=due, invoices=res["result"], invoice_lines=invoice_lines[-1])

    # reference: Odoo creating plain customer invoices with as many lines, in
    # one batch, without contracts: the floor of any invoicing run
    def plain(cr):
        env = runner.env(cr)
        Move = env["account.move"]
        moves = Move.search(
            [("move_type", "=", "out_invoice"), ("invoice_line_ids", "!=", False)],
            order="id desc",
            limit=50,
        )
        lines = max(1, round(len(moves.invoice_line_ids) / max(1, len(moves))))
        product = moves.invoice_line_ids.product_id[:1]
        partner = moves.partner_id[:1]
        n = min(due, 200)
        vals = [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": 1, "price_unit": 10 + i}
                    )
                    for i in range(lines)
                ],
            }
            for _i in range(n)
        ]
        t0 = time.perf_counter()
        q0 = cr.sql_log_count
        Move.create(vals)
        env.flush_all()
        return time.perf_counter() - t0, cr.sql_log_count - q0, (n, lines)

    ref = runner.median(plain)
    n, lines = ref["result"]
    res["plain_invoice_ms"] = ref["median_s"] / n * 1000
    res["plain_invoice_lines"] = lines
    # the production path: the cron enqueues a job per contract, Odoo servers'
    # job runners run them, 1 then 2 at a time
    res["jobs"] = {
        str(capacity): invoicing_jobs_run(runner, capacity) for capacity in (1, 2)
    }
    return res


def invoicing_jobs_run(runner, capacity, timeout=1800):
    """Wall time of the monthly run as queue jobs: an Odoo server with
    `capacity` + 1 workers whose queue_job runner runs `capacity` jobs at a
    time (channel root.helpdesk_invoicing) works off the jobs the cron enqueues
    in a committed transaction. The invoices are deleted afterwards, which
    gives the contracts their periods back (helpdesk_billing), so the database
    ends as it started."""
    import os
    import socket
    import sys
    from pathlib import Path

    from odoo.tools import config

    from bench import httpbench

    def free_port():
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    db = runner.registry.db_name
    logfile = Path(config.rcfile).parent / f"bench-jobs-{db}-{capacity}.log"
    server_args = [
        f"--workers={capacity + 1}",
        "--max-cron-threads=0",
        "--load=base,web,queue_job",
        f"--gevent-port={free_port()}",
    ]
    os.environ["ODOO_QUEUE_JOB_CHANNELS"] = (
        f"root:{capacity},root.helpdesk_invoicing:{capacity}"
    )
    try:
        server = httpbench.OdooServer(
            sys.executable, config.rcfile, db, free_port(), logfile, server_args
        )
        with server:
            deadline = time.monotonic() + 120
            while "database connections ready" not in logfile.read_text():
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no job runner started, log {logfile}")
                time.sleep(0.5)
            with runner.registry.cursor() as cr:
                env = runner.env(cr)
                Contract = env["contract.contract"]
                lines = Contract.search([]).contract_line_ids
                before = {
                    "contracts": Contract.search([]).read(["recurring_next_date"]),
                    "lines": lines.read(["recurring_next_date", "last_date_invoiced"]),
                }
                last_move = env["account.move"].search([], order="id desc", limit=1)
                last_job_id = (
                    env["queue.job"].search([], order="id desc", limit=1).id or 0
                )
                t0 = time.perf_counter()
                Contract.cron_recurring_create_invoice()
                cr.commit()
            enqueue_s = time.perf_counter() - t0
            deadline = time.monotonic() + timeout
            while True:
                with runner.registry.cursor() as cr:
                    # with the jobs a failed batch splits into
                    cr.execute(
                        "SELECT state, count(*) FROM queue_job WHERE id > %s "
                        "GROUP BY state",
                        [last_job_id],
                    )
                    states = dict(cr.fetchall())
                if not {"pending", "enqueued", "started"} & set(states):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"jobs not done after {timeout} s: {states}")
                time.sleep(0.2)
            wall_s = time.perf_counter() - t0
    finally:
        os.environ.pop("ODOO_QUEUE_JOB_CHANNELS", None)
    with runner.registry.cursor() as cr:
        env = runner.env(cr)
        Move = env["account.move"]
        moves = Move.search(
            [("id", ">", last_move.id), ("move_type", "=", "out_invoice")]
        )
        jobs = env["queue.job"].search([("id", ">", last_job_id)])
        cr.execute(
            "SELECT avg(exec_time), sum(exec_time) FROM queue_job WHERE id > %s",
            [last_job_id],
        )
        avg_exec_s, sum_exec_s = cr.fetchone()
        result = {
            "capacity": capacity,
            "jobs": len(jobs),
            "states": states,
            "invoices": len(moves),
            "invoice_lines": len(moves.invoice_line_ids),
            "enqueue_s": round(enqueue_s, 3),
            "wall_s": round(wall_s, 3),
            "invoices_per_s": round(len(moves) / wall_s, 2) if wall_s else None,
            "job_exec_avg_ms": round((avg_exec_s or 0) * 1000, 1),
            "job_exec_sum_s": round(sum_exec_s or 0, 2),
        }
        # back to the start: deleting the drafts gives the periods back
        moves.unlink()
        env["queue.job"].browse(jobs.ids).unlink()
        Contract = env["contract.contract"]
        lines = Contract.search([]).contract_line_ids
        after = {
            "contracts": Contract.search([]).read(["recurring_next_date"]),
            "lines": lines.read(["recurring_next_date", "last_date_invoiced"]),
        }
        if after != before:
            raise RuntimeError("the contracts did not get their periods back")
        cr.commit()
    runner.log(
        f"  invoicing jobs, {capacity} at a time: {result['invoices']} invoices "
        f"in {result['wall_s']:.1f} s ({result['invoices_per_s']}/s)"
    )
    return result


# ---------------------------------------------------------------- knowledge base
KB_QUERIES = {
    "en_word": "printer",
    "en_words": "toner cartridge",
    "ja_word": "プリンター",
    "ja_2chars": "印刷",
    "ru_inflected": "принтера",
}


def measure_kb_search(runner, portal_uid):
    """The knowledge-base search as a client (record rules applied): the
    /helpdesk/kb results (up to 100 articles, as kb_index asks) and the
    suggestions of the new-request form (5), per query language. Needs the
    articles of datagen's make_articles."""

    def search(text, suggest):
        def fn(cr):
            env = runner.env(cr, portal_uid, {"lang": "ja_JP"})
            Article = env["helpdesk.article"]
            t0 = time.perf_counter()
            q0 = cr.sql_log_count
            if suggest:
                found = Article._portal_suggest(text)
            else:
                found = Article._fulltext_query(text, limit=100)
            found.mapped("name")
            return time.perf_counter() - t0, cr.sql_log_count - q0, len(found)

        return fn

    with runner.registry.cursor() as cr:
        articles = runner.env(cr)["helpdesk.article"].search_count([])
    out = {"articles": articles}
    for key, text in KB_QUERIES.items():
        out[f"search_{key}"] = dict(runner.median(search(text, False)), query=text)
        out[f"suggest_{key}"] = dict(runner.median(search(text, True)), query=text)
    return out
