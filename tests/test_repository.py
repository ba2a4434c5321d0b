"""Checks of the repository itself, without a database: manifests, access rights for
every model, well-formed XML, declared files that exist."""

import ast
import csv
import re
import subprocess

import pytest
from lxml import etree

from .conftest import ROOT

ADDONS = ("helpdesk_service", "helpdesk_billing", "helpdesk_field")


def _manifest(addon):
    return ast.literal_eval((ROOT / "addons" / addon / "__manifest__.py").read_text())


def _models_defined(addon):
    """Models with a table an addon creates (_name without _inherit of the same
    name, abstract models left out)."""
    models = set()
    for path in (ROOT / "addons" / addon).rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            if any(ast.unparse(base).endswith("AbstractModel") for base in node.bases):
                continue  # no table, no access rights
            attrs = {}
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and isinstance(
                    stmt.targets[0], ast.Name
                ):
                    try:
                        attrs[stmt.targets[0].id] = ast.literal_eval(stmt.value)
                    except ValueError:
                        continue
            name = attrs.get("_name")
            inherit = attrs.get("_inherit")
            inherits = [inherit] if isinstance(inherit, str) else (inherit or [])
            if name and name not in inherits:
                models.add(name)
    return models


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest(addon):
    manifest = _manifest(addon)
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest["version"])
    assert manifest["license"] == "AGPL-3"
    assert manifest["author"] == "Helpdesk Service Desk contributors"
    for key in ("name", "summary", "category", "depends"):
        assert manifest.get(key), f"{addon}: manifest key {key} missing"
    assert "description" not in manifest
    assert (ROOT / "addons" / addon / "README.rst").is_file()
    for kind in ("data", "demo"):
        for filename in manifest.get(kind, []):
            assert (ROOT / "addons" / addon / filename).is_file(), (
                f"{addon}: {filename}"
            )


def test_dependencies_run_one_way():
    assert "helpdesk_service" in _manifest("helpdesk_billing")["depends"]
    assert {"account", "contract"} <= set(_manifest("helpdesk_billing")["depends"])
    assert "helpdesk_service" in _manifest("helpdesk_field")["depends"]
    service_depends = set(_manifest("helpdesk_service")["depends"])
    assert not service_depends & {"helpdesk_billing", "helpdesk_field"}
    assert _manifest("helpdesk_service").get("application") is True


@pytest.mark.parametrize("addon", ADDONS)
def test_every_model_has_access_rights(addon):
    models = _models_defined(addon)
    acl = ROOT / "addons" / addon / "security" / "ir.model.access.csv"
    # each addon defines models: finding none means the parser broke
    assert models, f"{addon}: no model found"
    with acl.open() as fh:
        rows = list(csv.DictReader(fh))
    covered = {row["model_id:id"].split(".")[-1] for row in rows}
    for model in models:
        assert "model_" + model.replace(".", "_") in covered, f"{model} has no ACL"
    for row in rows:
        assert row["group_id:id"], f"{row['id']}: access for everybody"


@pytest.mark.parametrize("addon", ADDONS)
def test_xml_well_formed(addon):
    files = list((ROOT / "addons" / addon).rglob("*.xml"))
    for path in files:
        etree.parse(str(path))


def test_no_generated_or_foreign_files_tracked():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for path in tracked:
        assert not path.startswith((".venv/", "var/")), path
        assert "__pycache__" not in path, path
        assert not path.endswith((".pyc", ".log")), path
        assert not path.startswith("odoo/"), path
