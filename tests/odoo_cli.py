"""Run Odoo's own command line (server, shell) on scratch databases, for tests
that need committed data, several cursors or module (un)installation."""

import configparser
import shutil
import subprocess
import textwrap
import uuid
from contextlib import contextmanager
from pathlib import Path


def run(cmd, **kw):
    result = subprocess.run(
        cmd, check=False, capture_output=True, text=True, timeout=900, **kw
    )
    assert result.returncode == 0, (
        f"{cmd}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


def odoo(env, db, *args, command="server", stdin=None):
    cmd = [env["HELPDESK_PY"], "-m", "odoo", command, "-c", env["HELPDESK_CONF"]]
    return run([*cmd, "-d", db, "--log-level=warn", *args], input=stdin)


def shell(env, db, code):
    """Run Python in `odoo shell`; return the lines it printed starting with RESULT."""
    out = odoo(env, db, "--no-http", command="shell", stdin=textwrap.dedent(code))
    return [line for line in out.splitlines() if line.startswith("RESULT ")]


@contextmanager
def scratch_database(env, prefix):
    """A database copied from the dependency template, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    run(["createdb", "-T", env["HELPDESK_TEMPLATE_DB"], name])
    try:
        yield name
    finally:
        subprocess.run(["dropdb", "--if-exists", name], check=False)
        # Odoo keeps the attachments of a database in its filestore
        conf = configparser.ConfigParser()
        conf.read(env["HELPDESK_CONF"])
        data_dir = conf.get("options", "data_dir", fallback="")
        if data_dir:
            shutil.rmtree(Path(data_dir) / "filestore" / name, ignore_errors=True)
