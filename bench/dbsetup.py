"""Create the benchmark database: a copy of the newest dependency template made by
`scripts/helpdesk test` when there is one (else an empty database), then the three
addons installed without demo data, through Odoo's own command line."""

import os
import shutil
import subprocess
import time
from pathlib import Path

ADDONS = ("helpdesk_service", "helpdesk_billing", "helpdesk_field")


def psql(sql, db="postgres"):
    result = subprocess.run(
        ["psql", "-X", "-d", db, "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return [line for line in result.stdout.splitlines() if line]


def db_exists(db):
    return bool(psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'"))


def newest_template():
    """The newest `helpdesk_deps_%` database (highest oid), or None."""
    rows = psql(
        "SELECT datname FROM pg_database WHERE datname LIKE 'helpdesk\\_deps\\_%' "
        "ORDER BY oid DESC LIMIT 1"
    )
    return rows[0] if rows else None


def addons_installed(db, addons=ADDONS):
    if not db_exists(db):
        return False
    try:
        rows = psql(
            "SELECT count(*) FROM ir_module_module WHERE state = 'installed' "
            f"AND name IN ({', '.join(repr(name) for name in addons)})",
            db=db,
        )
    except subprocess.CalledProcessError:
        return False
    return rows == [str(len(addons))]


def drop_db(db, filestore):
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
    shutil.rmtree(filestore / db, ignore_errors=True)


def filestore_root():
    """Odoo's filestore directory of scripts/helpdesk's data_dir."""
    data_dir = os.environ.get("HELPDESK_DATA_DIR") or (
        Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share"))
        / "helpdesk-odoo"
    )
    return Path(data_dir) / "filestore"


def create_db(db, filestore, log):
    """Fresh `db` from the newest template (with its filestore) or empty. Returns
    the template's name or None."""
    drop_db(db, filestore)
    template = newest_template()
    if not template:
        subprocess.run(["createdb", db], check=True)
        return None
    copy_db(template, db, filestore, log)
    # the template was built with demo data: without this, the modules installed
    # next would load theirs too (Odoo gives new modules the demo flag of their
    # dependencies, --without-demo only applies to a new database)
    psql("UPDATE ir_module_module SET demo = false", db=db)
    return template


def copy_db(template, db, filestore, log):
    """`db` as a copy of `template`, with its filestore."""
    # createdb -T fails while another session is connected to the template
    # (the test suite copies it too): retry a few times
    for attempt in range(10):
        result = subprocess.run(
            ["createdb", "-T", template, db],
            check=False,
            capture_output=True,
            text=True,
        )
        if result.returncode == 0:
            break
        if attempt == 9:
            raise RuntimeError(f"createdb -T {template} failed: {result.stderr}")
        log(f"template {template} busy, retrying ({result.stderr.strip()})")
        time.sleep(3)
    if (filestore / template).is_dir():
        shutil.copytree(filestore / template, filestore / db, symlinks=True)


def install_addons(py, conf, db, logfile, addons=ADDONS):
    cmd = [
        str(py),
        "-m",
        "odoo",
        "-c",
        str(conf),
        "-d",
        db,
        "-i",
        ",".join(addons),
        "--without-demo=all",
        "--stop-after-init",
        "--max-cron-threads=0",
        "--no-http",
        "--log-level=warn",
    ]
    with open(logfile, "w") as fh:
        result = subprocess.run(
            cmd, stdout=fh, stderr=subprocess.STDOUT, check=False, env=os.environ
        )
    if result.returncode != 0:
        tail = Path(logfile).read_text()[-3000:]
        raise RuntimeError(f"installing the addons failed (log {logfile}):\n{tail}")
