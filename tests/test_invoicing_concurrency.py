"""Two invoicing runs at once bill each work line once: two real cursors on
committed data (helpdesk_billing)."""

import pytest

from .odoo_cli import odoo, scratch_database, shell

SETUP = """
from odoo import Command
company = env.company
Journal = env["account.journal"]
if not Journal.search([("type", "=", "sale"), ("company_id", "=", company.id)]):
    env["account.chart.template"].try_loading(
        "generic_coa", company=company, install_demo=False
    )
client = env["res.partner"].create({"name": "Concurrent client", "is_company": True})
Product = env["product.product"]
fee = Product.create({"name": "Fee", "type": "service", "list_price": 100})
drum = env["product.product"].create(
    {"name": "Drum", "type": "service", "list_price": 80, "is_helpdesk_work": True}
)
line = {
    "product_id": fee.id, "name": "Fee", "quantity": 1, "uom_id": fee.uom_id.id,
    "price_unit": 100.0, "date_start": "2025-01-01", "recurring_rule_type": "monthly",
    "recurring_interval": 1, "recurring_invoicing_type": "post-paid",
}
contract = env["contract.contract"].create({
    "name": "Concurrent contract", "partner_id": client.id, "date_start": "2025-01-01",
    "recurring_rule_type": "monthly", "recurring_invoicing_type": "post-paid",
    "contract_line_ids": [Command.create(line)],
})
team = env["helpdesk.team"].create({"name": "Concurrency desk"})
tickets = env["helpdesk.ticket"].create([
    {"name": f"Ticket {i}", "partner_id": client.id, "team_id": team.id,
     "date_received": "2025-01-10 09:00:00"}
    for i in range(5)
])
env["helpdesk.ticket.work"].create([
    {"ticket_id": t.id, "product_id": drum.id, "date": "2025-01-15"}
    for t in tickets for _i in range(4)
])
env.cr.commit()
print("RESULT", contract.id, len(tickets.work_ids), tickets.contract_id == contract)
"""

TWO_CURSORS = """
from datetime import date
from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
registry = env.registry
cid = {cid}
with registry.cursor() as cr1, registry.cursor() as cr2:
    env1 = api.Environment(cr1, SUPERUSER_ID, {{}})
    env2 = api.Environment(cr2, SUPERUSER_ID, {{}})
    first = env1["contract.contract"].browse(cid)._recurring_create_invoice()
    # the second run (the cron) starts while the first has not committed yet
    second = env2["contract.contract"].browse(cid)._recurring_create_invoice()
    # the contract form's button (NOWAIT) tells its user
    try:
        with cr2.savepoint():
            env2["contract.contract"].browse(cid).recurring_create_invoice()
        nowait = "invoiced"
    except UserError:
        nowait = "refused"
    cr1.commit()
    cr2.commit()
    print("RESULT", len(first), len(second), nowait)
"""

STALE_SNAPSHOT = """
from datetime import date
from odoo import SUPERUSER_ID, api
registry = env.registry
cid = {cid}
contract = env["contract.contract"].browse(cid)
ticket = contract.helpdesk_ticket_ids[:1]
drum = ticket.work_ids[:1].product_id
env["helpdesk.ticket.work"].create(
    [{{"ticket_id": ticket.id, "product_id": drum.id, "date": "2025-01-20"}}] * 3
)
env.cr.commit()
with registry.cursor() as cr3, registry.cursor() as cr4:
    env3 = api.Environment(cr3, SUPERUSER_ID, {{}})
    env4 = api.Environment(cr4, SUPERUSER_ID, {{}})
    # the second run reads (takes its snapshot) before the first commits
    env4["contract.contract"].browse(cid).read(["name"])
    env3["contract.contract"].browse(cid)._helpdesk_invoice_period(
        date(2025, 1, 1), date(2025, 1, 31), date(2025, 1, 31)
    )
    cr3.commit()
    try:
        env4["contract.contract"].browse(cid)._helpdesk_invoice_period(
            date(2025, 1, 1), date(2025, 1, 31), date(2025, 1, 31)
        )
        env4.flush_all()
        outcome = "passed"
    except Exception as exc:
        outcome = type(exc).__name__
    cr4.rollback()
    print("RESULT", outcome)
"""

CHECK = """
from datetime import date
cid = {cid}
contract = env["contract.contract"].browse(cid)
works = contract.helpdesk_ticket_ids.work_ids
moves = env["account.move"].search([("helpdesk_contract_id", "=", cid)])
lines = env["account.move.line"].search(
    [("helpdesk_work_id", "in", works.ids), ("parent_state", "!=", "cancel")]
)
fee_lines = moves.invoice_line_ids.filtered("contract_line_id")
count = len(moves.invoice_line_ids)
jan = (date(2025, 1, 1), date(2025, 1, 31))
contract._helpdesk_invoice_period(*jan, jan[1])
env.flush_all()
moves.invalidate_recordset()
billed = len(set(lines.helpdesk_work_id.ids))
print("RESULT", len(moves), len(works), len(lines), billed)
print("RESULT", len(fee_lines), count == len(moves.invoice_line_ids))
"""


@pytest.fixture(scope="module")
def billing_db(helpdesk_env):
    with scratch_database(helpdesk_env, "helpdesk_invoicing_concurrency") as name:
        odoo(
            helpdesk_env,
            name,
            "-i",
            "helpdesk_billing",
            "--without-demo=all",
            "--stop-after-init",
        )
        yield name


def test_two_runs_invoice_each_work_line_once(helpdesk_env, billing_db):
    (setup,) = shell(helpdesk_env, billing_db, SETUP)
    _, cid, works, assigned = setup.split()
    assert (works, assigned) == ("20", "True")
    (counts,) = shell(helpdesk_env, billing_db, TWO_CURSORS.format(cid=cid))
    assert counts == "RESULT 1 0 refused", "the second run skips the locked contract"
    (stale,) = shell(helpdesk_env, billing_db, STALE_SNAPSHOT.format(cid=cid))
    assert stale in (
        "RESULT SerializationFailure",
        "RESULT UniqueViolation",
        "RESULT IntegrityError",
    ), f"a run on a stale snapshot must fail, not bill twice: {stale}"
    totals, fee = shell(helpdesk_env, billing_db, CHECK.format(cid=cid))
    assert totals == "RESULT 1 23 23 23", "one invoice, every work line billed once"
    assert fee == "RESULT 1 True", "one fee line, and a rerun adds nothing"
