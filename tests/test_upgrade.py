"""Upgrades are tested from the previous release: the addons of release 18.0.1.4.0
(commit e487367) installed with demo data, then upgraded to the working tree's.

Works on a scratch database made from the dependency template, through Odoo's
own command line (see tests/odoo_cli.py)."""

import ast
import subprocess
import tarfile

import pytest

from .conftest import ROOT
from .odoo_cli import odoo, run, scratch_database

PREVIOUS_RELEASE = "e487367"  # release 18.0.1.4.0
ADDONS = "helpdesk_service,helpdesk_billing,helpdesk_field"

MODULES = (
    "SELECT name, state, latest_version FROM ir_module_module "
    "WHERE name LIKE 'helpdesk\\_%' ORDER BY name"
)
COUNTS = (
    "SELECT (SELECT count(*) FROM helpdesk_ticket), "
    "(SELECT count(*) FROM contract_contract), (SELECT count(*) FROM helpdesk_visit), "
    "(SELECT count(*) FROM helpdesk_site WHERE city IS NOT NULL)"
)
# the records of the previous release, by id (the upgrade may add new demo records)
KEPT = (
    "SELECT (SELECT count(*) FROM helpdesk_ticket WHERE id <= {}), "
    "(SELECT count(*) FROM contract_contract WHERE id <= {}), "
    "(SELECT count(*) FROM helpdesk_visit WHERE id <= {}), "
    # 18.0.1.5.0: a site's address is its contact's
    "(SELECT count(*) FROM helpdesk_site site JOIN res_partner address "
    "ON address.id = site.address_partner_id WHERE site.id <= {} "
    "AND address.city IS NOT NULL)"
)
OLD_SITE_CITIES = "SELECT id, city FROM helpdesk_site ORDER BY id"
SITE_CITIES = (
    "SELECT site.id, address.city FROM helpdesk_site site JOIN res_partner address "
    "ON address.id = site.address_partner_id WHERE site.id <= {} ORDER BY site.id"
)
# 18.0.1.5.0 moved the helpdesk's own skills to hr_skills: the agents' skills
# (one per employee of the agent) and the ticket types' required skills survive
OLD_SKILLS = (
    "SELECT (SELECT count(*) FROM helpdesk_agent_skill), "
    "(SELECT count(*) FROM helpdesk_ticket_type WHERE skill_id IS NOT NULL)"
)
SKILLS = (
    "SELECT (SELECT count(*) FROM hr_employee_skill es "
    "JOIN hr_skill s ON s.id = es.skill_id "
    "JOIN ir_model_data d ON d.model = 'hr.skill.type' AND d.res_id = s.skill_type_id "
    "WHERE d.module = 'helpdesk_service' AND d.name = 'hr_skill_type_helpdesk'), "
    "(SELECT count(*) FROM helpdesk_ticket_type "
    "WHERE skill_id IS NOT NULL AND skill_level_id IS NOT NULL)"
)
LAST_IDS = (
    "SELECT (SELECT max(id) FROM helpdesk_ticket), "
    "(SELECT max(id) FROM contract_contract), (SELECT max(id) FROM helpdesk_visit), "
    "(SELECT max(id) FROM helpdesk_site)"
)


@pytest.fixture(scope="module")
def previous_addons(tmp_path_factory):
    """The previous release's addons, extracted from git."""
    target = tmp_path_factory.mktemp("previous_release")
    archive = target / "addons.tar"
    subprocess.run(
        ["git", "archive", "-o", str(archive), PREVIOUS_RELEASE, "addons"],
        cwd=ROOT,
        check=True,
    )
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / "addons"


def _query(db, sql):
    """Rows of a query, read with psql: faster than starting an Odoo shell."""
    out = run(["psql", "-d", db, "-tAF", "|", "-c", sql])
    return [tuple(line.split("|")) for line in out.splitlines() if line]


def test_upgrade_from_the_previous_release(helpdesk_env, previous_addons):
    env = helpdesk_env
    old_path = f"--addons-path={previous_addons}"
    with scratch_database(env, "helpdesk_upgrade") as db:
        odoo(env, db, old_path, "-i", ADDONS, "--stop-after-init")
        old_modules = _query(db, MODULES)
        installed = {
            (name, version)
            for name, state, version in old_modules
            if state == "installed"
        }
        assert installed == {(name, "18.0.1.4.0") for name in ADDONS.split(",")}
        (old_counts,) = _query(db, COUNTS)
        assert all(int(count) for count in old_counts), "the demo data is there"
        (last_ids,) = _query(db, LAST_IDS)
        old_site_cities = _query(db, OLD_SITE_CITIES)
        (old_skills,) = _query(db, OLD_SKILLS)
        assert all(int(count) for count in old_skills), "the demo has skills"

        # the upgrade itself, with the working tree's addons; its log must be clean
        result = subprocess.run(
            [
                env["HELPDESK_PY"],
                "-m",
                "odoo",
                "server",
                "-c",
                env["HELPDESK_CONF"],
                "-d",
                db,
                "-u",
                ADDONS,
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
            ],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        log = result.stdout + result.stderr
        assert result.returncode == 0, log[-3000:]
        errors = [
            line
            for line in log.splitlines()
            if " ERROR " in line or " CRITICAL " in line
        ]
        assert not errors, "\n".join(errors)

        modules = _query(db, MODULES)
        for addon in ADDONS.split(","):
            manifest = ast.literal_eval(
                (ROOT / "addons" / addon / "__manifest__.py").read_text()
            )
            assert (addon, "installed", manifest["version"]) in modules
        # the job queue the new release depends on
        (queue_job,) = _query(
            db, "SELECT state FROM ir_module_module WHERE name = 'queue_job'"
        )
        assert queue_job == ("installed",)
        (kept,) = _query(db, KEPT.format(*(int(last) for last in last_ids)))
        assert kept == old_counts, "tickets, contracts, visits and sites are all kept"
        site_cities = _query(db, SITE_CITIES.format(int(last_ids[3])))
        assert site_cities == old_site_cities, "every site keeps its city"
        (skills,) = _query(db, SKILLS)
        assert int(skills[0]) >= int(old_skills[0]), "the agents' skills are kept"
        assert skills[1] == old_skills[1], "the ticket types keep their skill"
