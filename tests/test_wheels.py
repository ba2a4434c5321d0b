"""The addons install like every OCA addon: as pip wheels `odoo-addon-<name>`.

Builds the three wheels with the `whool` backend (installed in the virtualenv from
requirements.txt, so the build needs no network), installs them with `--no-deps`
into a scratch target directory, then installs the three modules from that target
into a scratch database: the repository's addons directory is not on the addons
path, so whatever a wheel forgets to ship (data, views, templates, static assets,
translations, migrations) fails here."""

import ast
import os
import shutil
import subprocess
import zipfile

import pytest

from .conftest import ROOT
from .odoo_cli import run, scratch_database

ADDONS = ("helpdesk_service", "helpdesk_billing", "helpdesk_field")

CHECKS = """
import odoo
from odoo.modules.module import get_module_path
from odoo.tools.misc import file_path
ours, target, repo = {ours!r}, {target!r}, {repo!r}
mods = env["ir.module.module"].search([("name", "in", list(ours))])
print("RESULT states", sorted((m.name, m.state) for m in mods))
print("RESULT paths", sorted({{get_module_path(n).startswith(target) for n in ours}}))
print("RESULT repo on path", any(p.startswith(repo) for p in odoo.addons.__path__))
env["res.lang"]._activate_lang("ja_JP")
mods._update_translations(["ja_JP"])
ticket = env["ir.model"]._get("helpdesk.ticket").with_context(lang="ja_JP")
print("RESULT ja", ticket.name)
Asset = env["ir.asset"]
assets = Asset._get_asset_paths("web.assets_frontend", Asset._get_asset_params())
print("RESULT asset", any(
    a[0].startswith("/helpdesk_field/static/src/") and a[1].startswith(target)
    for a in assets
))
icon = file_path("helpdesk_field/static/description/icon.png")
print("RESULT icon", icon.startswith(target))
page = mods.filtered(lambda m: m.name == "helpdesk_field").description_html
print("RESULT apps page", "/helpdesk_field/static/description/" in page)
"""


def _version(addon):
    manifest = (ROOT / "addons" / addon / "__manifest__.py").read_text()
    return ast.literal_eval(manifest)["version"]


def _release_files(addon):
    """The files a release of the addon holds: those git tracks, plus the new ones
    not ignored (what the next commit holds); on a clean clone, exactly `git
    ls-files`, which whool packs."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT / "addons" / addon,
        capture_output=True,
        check=True,
    ).stdout.decode()
    files = {f for f in out.split("\0") if f}
    return {f for f in files if (ROOT / "addons" / addon / f).is_file()}


@pytest.fixture(scope="module")
def wheels(helpdesk_env, tmp_path_factory):
    """{addon: (wheel path, release files)}, built from a copy of each addon's
    release files (listed once: the working tree may change meanwhile)."""
    src = tmp_path_factory.mktemp("src")
    dist = tmp_path_factory.mktemp("dist")
    files = {addon: _release_files(addon) for addon in ADDONS}
    for addon in ADDONS:
        for name in files[addon]:
            (src / addon / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / "addons" / addon / name, src / addon / name)
    env = dict(os.environ, WHOOL_POST_VERSION_STRATEGY_OVERRIDE="none")
    py = helpdesk_env["HELPDESK_PY"]
    pip = [py, "-m", "pip", "--disable-pip-version-check"]
    run(
        [*pip, "wheel", "--no-deps", "--no-index", "--no-build-isolation", "-q"]
        + ["-w", str(dist)]
        + [str(src / addon) for addon in ADDONS],
        env=env,
    )
    return {
        addon: (
            dist / f"odoo_addon_{addon}-{_version(addon)}-py3-none-any.whl",
            files[addon],
        )
        for addon in ADDONS
    }


@pytest.mark.parametrize("addon", ADDONS)
def test_wheel_ships_every_file(wheels, addon):
    wheel, files = wheels[addon]
    assert wheel.is_file(), f"{wheel.name} not built"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = zf.read(
            f"odoo_addon_{addon}-{_version(addon)}.dist-info/METADATA"
        ).decode()
    prefix = f"odoo/addons/{addon}/"
    shipped = {n[len(prefix) :] for n in names if n.startswith(prefix)}
    assert shipped == files - {"pyproject.toml"}
    for folder in ("i18n/ja.po", "i18n/ru.po", "static/description/index.html"):
        assert folder in shipped, folder
    assert any(n.startswith("migrations/18.0.") for n in shipped)
    assert f"Name: odoo-addon-{addon}\n" in metadata
    assert "Requires-Dist: odoo==18.0.*" in metadata
    if addon == "helpdesk_billing":
        assert "Requires-Dist: odoo-addon-helpdesk_service==18.0.*" in metadata
        assert "Requires-Dist: odoo-addon-contract>=18.0.2.6,<18.1dev" in metadata
    if addon == "helpdesk_service":
        assert "Requires-Dist: holidays>=0.60,<1" in metadata


def test_install_from_wheels(helpdesk_env, wheels, tmp_path):
    env = helpdesk_env
    target = tmp_path / "site"
    run(
        [env["HELPDESK_PY"], "-m", "pip", "install", "--disable-pip-version-check"]
        + ["-q", "--no-deps", "--no-index", "--target", str(target)]
        + [str(wheel) for wheel, _files in wheels.values()]
    )
    addons_dir = target / "odoo" / "addons"
    for addon in ADDONS:
        assert (addons_dir / addon / "__manifest__.py").is_file()
    # like a pip install into Odoo's environment: found on the odoo.addons
    # namespace, and the repository's addons directory nowhere on the path
    proc_env = dict(os.environ, PYTHONPATH=str(target))
    odoo = [env["HELPDESK_PY"], "-m", "odoo"]
    opts = ["-c", env["HELPDESK_CONF"], f"--addons-path={addons_dir}"]
    with scratch_database(env, "helpdesk_wheels") as db:
        run(
            [*odoo, "server", *opts, "-d", db, "--log-level=warn", "--stop-after-init"]
            + ["-i", ",".join(ADDONS), "--max-cron-threads=0"],
            env=proc_env,
        )
        code = CHECKS.format(ours=ADDONS, target=str(target), repo=str(ROOT / "addons"))
        out = run(
            [*odoo, "shell", *opts, "-d", db, "--log-level=warn", "--no-http"],
            input=code,
            env=proc_env,
        )
    results = [line for line in out.splitlines() if line.startswith("RESULT ")]
    assert results == [
        "RESULT states " + str(sorted((addon, "installed") for addon in ADDONS)),
        "RESULT paths [True]",
        "RESULT repo on path False",
        "RESULT ja ヘルプデスクチケット",
        "RESULT asset True",
        "RESULT icon True",
        "RESULT apps page True",
    ]
