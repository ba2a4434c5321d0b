"""Each addon installs and uninstalls on its own on top of its dependencies.

Works on a scratch database made from the dependency template (the database that
pytest-odoo keeps open cannot be copied), through Odoo's own command line."""

import pytest

from .odoo_cli import odoo as _odoo
from .odoo_cli import scratch_database
from .odoo_cli import shell as _shell

STATE = """
modules = env["ir.module.module"].search([("name", "like", "helpdesk_%")])
print("RESULT", sorted((m.name, m.state) for m in modules))
models = env["ir.model"].search([("model", "like", "helpdesk.%")])
print("RESULT", sorted(models.mapped("model")))
"""

UNINSTALL = """
module = env["ir.module.module"].search([("name", "=", "{name}")])
module.button_immediate_uninstall()
env.cr.commit()
"""


@pytest.fixture(scope="module")
def scratch_db(helpdesk_env):
    with scratch_database(helpdesk_env, "helpdesk_uninstall") as name:
        yield name


def test_install_then_uninstall_field_then_billing(helpdesk_env, scratch_db):
    env, db = helpdesk_env, scratch_db
    addons = "helpdesk_service,helpdesk_billing,helpdesk_field"
    _odoo(env, db, "-i", addons, "--stop-after-init")
    states, _models = _shell(env, db, STATE)
    assert "('helpdesk_field', 'installed')" in states
    assert "('helpdesk_billing', 'installed')" in states

    _shell(env, db, UNINSTALL.format(name="helpdesk_field"))
    states, models = _shell(env, db, STATE)
    assert "('helpdesk_field', 'uninstalled')" in states
    assert "('helpdesk_billing', 'installed')" in states
    assert "helpdesk.ticket" in models
    leftovers = _shell(
        env,
        db,
        """
        if env["res.groups"].search([("name", "=", "Field engineer")]):
            print("RESULT field engineer group left behind")
        """,
    )
    assert not leftovers

    _shell(env, db, UNINSTALL.format(name="helpdesk_billing"))
    states, models = _shell(env, db, STATE)
    assert "('helpdesk_billing', 'uninstalled')" in states
    assert "('helpdesk_service', 'installed')" in states
    after = _shell(
        env,
        db,
        """
        print("RESULT", "client_contract_count" in env["helpdesk.ticket"]._fields)
        ticket = env["helpdesk.ticket"].create({"name": "still works"})
        print("RESULT", ticket.ticket_ref.startswith("HD-"))
        """,
    )
    assert after == ["RESULT False", "RESULT True"]

    # and back: billing and field install again on top of the service addon
    _odoo(env, db, "-i", "helpdesk_billing,helpdesk_field", "--stop-after-init")
    states, _models = _shell(env, db, STATE)
    assert "('helpdesk_field', 'installed')" in states
    assert "('helpdesk_billing', 'installed')" in states
