"""Each addon installs and uninstalls on its own on top of its dependencies.

Works on a scratch database made from the dependency template (the database that
pytest-odoo keeps open cannot be copied), through Odoo's own command line."""

import subprocess
import textwrap
import uuid

import pytest

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


def _run(cmd, **kw):
    result = subprocess.run(
        cmd, check=False, capture_output=True, text=True, timeout=900, **kw
    )
    assert result.returncode == 0, (
        f"{cmd}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


@pytest.fixture(scope="module")
def scratch_db(helpdesk_env):
    name = f"helpdesk_uninstall_{uuid.uuid4().hex[:8]}"
    _run(["createdb", "-T", helpdesk_env["HELPDESK_TEMPLATE_DB"], name])
    yield name
    subprocess.run(["dropdb", "--if-exists", name], check=False)


def _odoo(env, db, *args, command="server", stdin=None):
    cmd = [env["HELPDESK_PY"], "-m", "odoo", command, "-c", env["HELPDESK_CONF"]]
    return _run([*cmd, "-d", db, "--log-level=warn", *args], input=stdin)


def _shell(env, db, code):
    out = _odoo(env, db, "--no-http", command="shell", stdin=textwrap.dedent(code))
    return [line for line in out.splitlines() if line.startswith("RESULT ")]


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
