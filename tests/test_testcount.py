"""The counting rules of `scripts/helpdesk test` (scripts/testcount.py), on small
fake Odoo logs and junit reports: no database needed."""

import importlib.util
import re

import pytest

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location(
    "testcount", ROOT / "scripts" / "testcount.py"
)
testcount = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(testcount)

T = "2026-01-05 10:00:00,000 4242"
ADDON = "helpdesk_demo"

TEST_MODULE = """
from odoo.tests import HttpCase, TransactionCase, tagged


class Shared:
    def test_inherited(self):
        pass


@tagged("post_install", "-at_install")
class TestOne(Shared, TransactionCase):
    def test_a(self):
        pass

    def test_b(self):
        pass

    def helper(self):
        pass


class TestTwo(TransactionCase):
    allow_inherited_tests_method = True

    def test_c(self):
        pass


class TestThree(TestTwo):
    def test_d(self):
        pass


@tagged("-standard", "external")
class TestOutside(HttpCase):
    def test_network(self):
        pass
"""


@pytest.fixture
def addons(tmp_path):
    """An addon whose tests define 5 tests Odoo runs: TestOne 2 (the inherited
    one is not collected), TestTwo 1, TestThree 2 (inherits, allowed), the
    external test not run by default; test_unused is not imported."""
    tests = tmp_path / ADDON / "tests"
    tests.mkdir(parents=True)
    (tests / "__init__.py").write_text("from . import test_demo\n")
    (tests / "test_demo.py").write_text(TEST_MODULE)
    (tests / "test_unused.py").write_text(
        "class TestNope(TransactionCase):\n    def test_x(self):\n        pass\n"
    )
    return tmp_path


def _log(*lines):
    return "\n".join(f"{T} {line}" for line in lines) + "\n"


def _started(cls, method, module="test_demo"):
    return f"INFO db odoo.addons.{ADDON}.tests.{module}: Starting {cls}.{method} ..."


ALL_STARTED = [
    _started("TestOne", "test_a"),
    _started("TestOne", "test_b"),
    _started("TestTwo", "test_c"),
    _started("TestThree", "test_c"),
    _started("TestThree", "test_d"),
]
RESULT = (
    "{level} db odoo.tests.result: {failed} failed, 0 error(s) of {run} tests "
    "when loading database 'db'"
)


def _summarize(addons_dir, log, junit=None, pytest_dir=None, allow=()):
    lines = []
    counts = testcount.summarize(
        log,
        junit,
        addons_dir,
        pytest_dir,
        addons=(ADDON,),
        allow=allow,
        out=lines.append,
    )
    return counts, lines


def test_expected_tests_follow_odoo_loader(addons):
    expected = testcount.expected_odoo_tests(addons / ADDON)
    assert expected == {
        ("test_demo", "TestOne"): 2,
        ("test_demo", "TestTwo"): 1,
        ("test_demo", "TestThree"): 2,
    }


def test_tests_inherited_from_another_addons_mixin_count(addons):
    other = addons / "helpdesk_other" / "tests"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text("")
    (other / "test_shared.py").write_text(
        "class SharedMixin:\n"
        "    allow_inherited_tests_method = True\n\n"
        "    def test_shared(self):\n"
        "        pass\n"
    )
    tests = addons / ADDON / "tests"
    (tests / "__init__.py").write_text("from . import test_demo, test_reuse\n")
    (tests / "test_reuse.py").write_text(
        "from odoo.addons.helpdesk_other.tests.test_shared import SharedMixin\n\n\n"
        "class TestReuse(SharedMixin, TransactionCase):\n"
        "    def test_own(self):\n"
        "        pass\n"
    )
    expected = testcount.expected_odoo_tests(addons / ADDON)
    assert expected[("test_reuse", "TestReuse")] == 2


def test_complete_run_passes(addons):
    log = _log(*ALL_STARTED, RESULT.format(level="INFO", failed=0, run=5))
    (passed, failed, skipped, ok), lines = _summarize(addons, log)
    assert (passed, failed, skipped, ok) == (5, 0, 0, True)
    assert lines[-1] == "5 passed, 0 failed, 0 skipped"


def test_fewer_tests_than_expected_fail(addons):
    log = _log(*ALL_STARTED[:3], RESULT.format(level="INFO", failed=0, run=3))
    (passed, failed, _skipped, ok), lines = _summarize(addons, log)
    assert not ok
    assert (passed, failed) == (3, 2)
    assert any("2 test(s) of helpdesk_demo did not run" in line for line in lines)


def test_class_skipped_in_setupclass_counts_each_test(addons):
    log = _log(
        *ALL_STARTED[:3],
        "INFO db odoo.tests.suite: skipped setUpClass "
        f"(odoo.addons.{ADDON}.tests.test_demo.TestThree) : Chrome not found",
        RESULT.format(level="INFO", failed=0, run=3),
    )
    (passed, failed, skipped, ok), lines = _summarize(addons, log)
    assert (passed, failed, skipped) == (3, 0, 2)
    assert not ok
    assert lines[-1] == "3 passed, 0 failed, 2 skipped"


def test_setupclass_error_counts_each_test_as_failed(addons):
    log = _log(
        *ALL_STARTED[:2],
        "ERROR db odoo.tests.suite: ERROR: setUpClass "
        f"(odoo.addons.{ADDON}.tests.test_demo.TestTwo)",
        *ALL_STARTED[3:],
        RESULT.format(level="ERROR", failed=1, run=4),
    )
    (passed, failed, skipped, ok), lines = _summarize(addons, log)
    assert (passed, failed, skipped, ok) == (4, 1, 0, False)
    assert lines[-1] == "4 passed, 1 failed, 0 skipped"


def test_a_test_failing_twice_counts_once(addons):
    log = _log(
        *ALL_STARTED,
        f"ERROR db odoo.addons.{ADDON}.tests.test_demo: FAIL: Subtest "
        "TestOne.test_a (i=1)",
        f"ERROR db odoo.addons.{ADDON}.tests.test_demo: FAIL: Subtest "
        "TestOne.test_a (i=2)",
        f"ERROR db odoo.addons.{ADDON}.tests.test_demo: ERROR: TestOne.test_a",
        RESULT.format(level="ERROR", failed=3, run=5),
    )
    (passed, failed, skipped, ok), _lines = _summarize(addons, log)
    assert (passed, failed, skipped, ok) == (4, 1, 0, False)


def test_unexpected_error_line_fails_allowed_one_does_not(addons):
    noisy = "ERROR db odoo.http: Exception during request handling."
    log = _log(*ALL_STARTED, noisy, RESULT.format(level="INFO", failed=0, run=5))
    (passed, failed, _skipped, ok), lines = _summarize(addons, log)
    assert (passed, failed, ok) == (5, 0, False)
    assert any("unexpected log line" in line and "odoo.http" in line for line in lines)
    allow = [re.compile(r"odoo\.http: Exception during request")]
    (passed, failed, _skipped, ok), _lines = _summarize(addons, log, allow=allow)
    assert (passed, failed, ok) == (5, 0, True)


def test_no_result_line_fails(addons):
    # Odoo crashed after two tests: no "N failed ... of N tests" line
    log = _log(*ALL_STARTED[:2])
    (_passed, _failed, _skipped, ok), lines = _summarize(addons, log)
    assert not ok
    assert any("no test result line" in line for line in lines)


def test_allow_list_file_holds_valid_commented_regexes():
    path = ROOT / "tests" / "expected_log_errors.txt"
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    patterns = testcount.load_allow_list(path)
    assert len(patterns) == len([x for x in lines if not x.startswith("#")])
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            assert lines[index - 1].startswith("#"), f"say why: {line}"


PYTEST_MODULE = """
import pytest

NAMES = ("a", "b", "c")


@pytest.mark.parametrize("name", NAMES)
def test_each(name):
    pass


@pytest.mark.parametrize("x", [1, 2])
@pytest.mark.parametrize("y", [1, 2])
def test_grid(x, y):
    pass


def test_plain():
    pass


class TestGroup:
    def test_method(self):
        pass
"""


def _junit(path, cases):
    body = "".join(
        f'<testcase classname="tests.test_demo" name="t{i}">{inner}</testcase>'
        for i, inner in enumerate(cases)
    )
    path.write_text(
        f'<testsuites><testsuite name="pytest" tests="{len(cases)}">{body}'
        "</testsuite></testsuites>"
    )


def test_pytest_expected_counts_parametrized_tests(tmp_path):
    (tmp_path / "test_demo.py").write_text(PYTEST_MODULE)
    (tmp_path / "helpers.py").write_text("def test_not_collected():\n    pass\n")
    assert testcount.expected_pytest_tests(tmp_path) == 3 + 4 + 1 + 1


def test_missing_junit_fails_every_pytest_test(addons, tmp_path):
    pytest_dir = tmp_path / "pytests"
    pytest_dir.mkdir()
    (pytest_dir / "test_demo.py").write_text(PYTEST_MODULE)
    log = _log(*ALL_STARTED, RESULT.format(level="INFO", failed=0, run=5))
    junit = tmp_path / "pytest.xml"
    (passed, failed, skipped, ok), lines = _summarize(
        addons, log, junit=junit, pytest_dir=pytest_dir
    )
    assert (passed, failed, skipped, ok) == (5, 9, 0, False)
    assert any("pytest wrote no report" in line for line in lines)
    # a report with fewer tests than the files define
    _junit(junit, ["", "", "<skipped/>", "<failure/>"])
    (passed, failed, skipped, ok), lines = _summarize(
        addons, log, junit=junit, pytest_dir=pytest_dir
    )
    assert (passed, failed, skipped, ok) == (5 + 2, 1 + 5, 1, False)
    assert lines[-1] == "7 passed, 6 failed, 1 skipped"


def test_reports_of_several_pytest_runs_add_up(addons, tmp_path):
    pytest_dir = tmp_path / "pytests"
    pytest_dir.mkdir()
    (pytest_dir / "test_demo.py").write_text(PYTEST_MODULE)
    log = _log(*ALL_STARTED, RESULT.format(level="INFO", failed=0, run=5))
    first, second = tmp_path / "first.xml", tmp_path / "second.xml"
    _junit(first, [""] * 5)
    _junit(second, ["", "", "<failure/>", ""])
    (passed, failed, skipped, ok), lines = _summarize(
        addons, log, junit=[first, second], pytest_dir=pytest_dir
    )
    assert (passed, failed, skipped, ok) == (5 + 8, 1, 0, False)
    # one run crashed: only its tests are missing, and they count as failed
    second.unlink()
    (passed, failed, skipped, ok), lines = _summarize(
        addons, log, junit=[first, second], pytest_dir=pytest_dir
    )
    assert (passed, failed, skipped, ok) == (5 + 5, 4, 0, False)
    assert any("pytest wrote no report" in line for line in lines)


def test_helpdesk_test_deletes_the_old_report_and_counts_lint_apart():
    script = (ROOT / "scripts" / "helpdesk").read_text()
    body = script[script.index("cmd_test() {") :]
    body = body[: body.index("\n}\n")]
    removal = re.search(r'rm -f [^\n]*"\$junit"', body)
    assert removal, "the old junit report is deleted"
    assert removal.start() < body.index("-m pytest")
    assert "testcount.py" in body
    assert "lint:" in body


@pytest.mark.parametrize(
    "addon", ("helpdesk_service", "helpdesk_billing", "helpdesk_field")
)
def test_repository_addons_expect_tests(addon):
    expected = testcount.expected_odoo_tests(ROOT / "addons" / addon)
    # tests may be inherited from another addon's mixin: bound by all of them
    source = "".join(path.read_text() for path in ROOT.glob("addons/*/tests/*.py"))
    assert 0 < sum(expected.values()) <= source.count("def test")
