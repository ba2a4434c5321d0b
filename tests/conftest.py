"""Cross-addon tests, run by pytest-odoo on the test database that holds the three
addons (see scripts/helpdesk test). The environment variables below are set by that
command; run by hand, export them the same way."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root():
    return ROOT


@pytest.fixture(scope="session")
def helpdesk_env():
    names = ("HELPDESK_PY", "HELPDESK_CONF", "HELPDESK_TEMPLATE_DB")
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not set: run the tests with 'scripts/helpdesk test'"
        )
    return {name: os.environ[name] for name in names}
