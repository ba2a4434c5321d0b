"""Packaging and documentation checks, without a database: the generated README.rst
and Apps page of each addon are current with their readme/ fragments, manifests
state facts only, every addon builds as a wheel with whool, and the contributors'
pre-commit hooks run the checks of the test command."""

import ast
import importlib.util

import pytest
import yaml

from .conftest import ROOT

ADDONS = ("helpdesk_service", "helpdesk_billing", "helpdesk_field")


def _gen_readme():
    spec = importlib.util.spec_from_file_location(
        "gen_readme", ROOT / "scripts" / "gen_readme.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _manifest(addon):
    return ast.literal_eval((ROOT / "addons" / addon / "__manifest__.py").read_text())


def test_generated_readmes_are_current():
    stale = [str(p.relative_to(ROOT)) for p in _gen_readme().stale_files(ADDONS)]
    assert not stale, f"run scripts/helpdesk readme: {stale} are out of date"


def test_readme_generation_follows_the_fragments(tmp_path, monkeypatch):
    gen = _gen_readme()
    addon = tmp_path / "addons" / "x_addon"
    (addon / "readme").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(
        repr(
            {
                "name": "X addon",
                "summary": "Does x",
                "version": "18.0.1.0.0",
                "license": "AGPL-3",
                "author": "Someone",
                "depends": ["base"],
            }
        )
    )
    (addon / "readme" / "DESCRIPTION.md").write_text("Does `x` well.\n")
    (addon / "readme" / "USAGE.md").write_text(
        "Use it:\n\n1. *Menu > Item*;\n2. press **Go**.\n\n"
        "## Sub part\n\n![A shot](../static/description/shot.png)\n\n"
        "```\nraw text\n```\n"
    )
    (addon / "readme" / "CONTRIBUTORS.md").write_text("- Ann (Example Co)\n")
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    monkeypatch.setattr(gen, "ADDONS_DIR", tmp_path / "addons")
    assert gen.main([]) == 0
    rst = (addon / "README.rst").read_text()
    html = (addon / "static" / "description" / "index.html").read_text()
    assert "Does ``x`` well." in rst
    # OCA's layout: fragment sections '=', their `## ...` '-', credits '-'
    assert "Usage\n=====\n\nUse it:\n\n1. *Menu > Item*;\n2. press **Go**." in rst
    assert "Sub part\n--------\n" in rst
    # the image, relative to readme/ in the fragment, is relative to the addon here
    assert "image:: static/description/shot.png" in rst
    assert "../static" not in rst
    assert "::\n\n   raw text\n" in rst
    assert "Authors\n-------\n\n* Someone" in rst
    assert "Contributors\n------------\n\n- Ann (Example Co)" in rst
    # Odoo serves a relative image of the Apps page from static/description/
    assert 'src="shot.png"' in html
    assert 'alt="A shot"' in html
    assert gen.main(["--check"]) == 0
    (addon / "readme" / "USAGE.md").write_text("Use it twice.\n")
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0
    assert gen.main(["--check"]) == 0
    # one format only: a reStructuredText fragment is refused, not silently ignored
    (addon / "readme" / "CONFIGURE.rst").write_text("Configure\n---------\n")
    assert gen.main([]) == 2
    assert gen.main(["--check"]) == 2
    assert "Configuration" not in (addon / "README.rst").read_text()


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_facts(addon):
    manifest = _manifest(addon)
    # no invented addresses: the project has no public website yet
    assert "website" not in manifest
    assert manifest["development_status"] in (
        "Alpha",
        "Beta",
        "Production/Stable",
        "Mature",
    )
    for image in manifest.get("images", []):
        assert (ROOT / "addons" / addon / image).is_file(), image
    assert (ROOT / "addons" / addon / "static" / "description" / "icon.png").is_file()
    fragments = {p.name for p in (ROOT / "addons" / addon / "readme").iterdir()}
    assert {"DESCRIPTION.md", "USAGE.md", "CONTRIBUTORS.md"} <= fragments
    assert not [name for name in fragments if not name.endswith(".md")]
    pyproject = (ROOT / "addons" / addon / "pyproject.toml").read_text()
    assert 'build-backend = "whool.buildapi"' in pyproject


def test_pre_commit_hooks_run_the_test_command_checks():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    for hook_id in ("ruff", "ruff-format", "pylint-odoo", "oca-checks-odoo-module"):
        assert hook_id in hooks, hook_id
        assert hooks[hook_id]["entry"].startswith(".venv/bin/"), hook_id
    assert hooks["gen-readme"]["entry"] == ".venv/bin/python scripts/gen_readme.py"
    assert "--rcfile=.pylintrc" in hooks["pylint-odoo"]["entry"]
    assert all(repo["repo"] == "local" for repo in config["repos"])
