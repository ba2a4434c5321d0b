"""The ORM measurements. Each run gets its own cursor and environment and is rolled
back afterwards, so every run starts from the same data; a first warm-up run is
not counted. Times are medians over the runs (time.perf_counter), with the number
of SQL queries of the median run."""

import statistics
import time
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


def action_domain(env, xmlid):
    """The domain of the action's default search filters (search_default_*)."""
    action = env.ref(xmlid).sudo()
    ctx = safe_eval(action.context or "{}", {"uid": env.uid, "active_id": False})
    names = [
        k[len("search_default_") :]
        for k, v in ctx.items()
        if v and k.startswith("search_default_")
    ]
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


def measure_create(runner, agent_id, n_single, n_batch):
    """Tickets and partners created by an agent, one by one and in batch, in
    the same runs (interleaved), with tracking on as in the UI."""

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
        "partner_single": (case("res.partner", False), n_single),
        "ticket_single": (case("helpdesk.ticket", False), n_single),
        "partner_batch": (case("res.partner", True), n_batch),
        "ticket_batch": (case("helpdesk.ticket", True), n_batch),
    }
    if "project.task" in runner.registry:
        cases["task_single"] = (case("project.task", False), n_single)
        cases["task_batch"] = (case("project.task", True), n_batch)
    # a warm-up round at a tenth of the size (caches, first-use costs), then the
    # runs, the four cases interleaved so that they share the machine's state
    samples = {name: [] for name in cases}
    for run in range(runner.runs + 1):
        for name, (fn, n) in cases.items():
            size = max(1, n // 10) if run == 0 else n
            _s, _q, (seconds, queries) = runner.once(lambda cr, f=fn, k=size: f(cr, k))
            if run:
                samples[name].append((seconds, queries))
        runner.log(f"  create run {run}/{runner.runs} done")
    out = {}
    for name, (_fn, n) in cases.items():
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


def measure_reads(runner, agent_id):
    """List, kanban and grouped reads of the ticket action, as an agent."""
    out = {}

    def prepare(cr):
        env = runner.env(cr, agent_id)
        domain = action_domain(env, "helpdesk_service.helpdesk_ticket_action")
        return env, domain

    def list_page(domain_mode):
        def fn(cr):
            env, domain = prepare(cr)
            if domain_mode == "all":
                domain = []
            spec, _arch, _f = view_spec(env, "helpdesk.ticket", "list")
            t0 = time.perf_counter()
            q0 = cr.sql_log_count
            res = env["helpdesk.ticket"].web_search_read(
                domain, spec, offset=0, limit=LIST_LIMIT, count_limit=COUNT_LIMIT
            )
            return time.perf_counter() - t0, cr.sql_log_count - q0, res["length"]

        return fn

    def kanban(cr):
        env, domain = prepare(cr)
        spec, arch, _f = view_spec(env, "helpdesk.ticket", "kanban")
        Ticket = env["helpdesk.ticket"]
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
            _spec, arch, fields_info = view_spec(env, "helpdesk.ticket", "list")
            t0 = time.perf_counter()
            q0 = cr.sql_log_count
            res = env["helpdesk.ticket"].web_read_group(
                domain, aggregates(arch, fields_info), [field], limit=80, lazy=True
            )
            return time.perf_counter() - t0, cr.sql_log_count - q0, res["length"]

        return fn

    cases = {
        "list_default": list_page("default"),
        "list_all": list_page("all"),
        "kanban": kanban,
        "group_stage": grouped("stage_id"),
        "group_agent": grouped("user_id"),
    }
    for name, fn in cases.items():
        out[name] = runner.median(fn)
        runner.log(f"  {name}: {out[name]['median_s'] * 1000:.1f} ms")
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
        env = runner.env(cr)
        cron = env.ref("helpdesk_service.ir_cron_sla_escalate")
        progress = env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        env.flush_all()
        Line = env["helpdesk.ticket.sla"].with_context(ir_cron_progress_id=progress.id)
        t0 = time.perf_counter()
        q0 = cr.sql_log_count
        handled = batches = 0
        while True:
            done = Line._cron_escalate()
            env.flush_all()
            batches += 1
            handled += done
            if not done or not progress.remaining:
                break
        return time.perf_counter() - t0, cr.sql_log_count - q0, (handled, batches)

    res = runner.median(run)
    res.update(
        open_tickets=open_tickets,
        sla_lines=lines,
        settled_before={"escalated": settled[0], "warned": settled[1]},
        handled=res["result"][0],
        batches=res["result"][1],
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

    def run(cr):
        env = runner.env(cr)
        Move = env["account.move"]
        before = Move.search_count([])
        t0 = time.perf_counter()
        q0 = cr.sql_log_count
        env["contract.contract"].cron_recurring_create_invoice()
        env.flush_all()
        seconds = time.perf_counter() - t0
        queries = cr.sql_log_count - q0
        return seconds, queries, Move.search_count([]) - before

    res = runner.median(run)
    res.update(contracts=due, invoices=res["result"])

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
    return res
