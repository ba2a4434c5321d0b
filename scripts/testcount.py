#!/usr/bin/env python3
"""Exact test counts for `scripts/helpdesk test`, from the Odoo log and the pytest
junit report, checked against the tests the repository holds.

    testcount.py --odoo-log var/log/test-odoo.log --junit var/log/pytest.xml

Rules (each one has a unit test in tests/test_testcount.py):
- a test counts once, however many FAIL/ERROR lines (subtests, tearDown) it has;
- a class whose setUpClass raises SkipTest counts every one of its tests as skipped,
  one whose setUpClass fails counts every one of them as failed (Odoo runs none);
- per addon, fewer tests than the test files define (a `def test_*` in each class
  of the modules tests/__init__.py imports, as Odoo's loader finds them) is a failure;
  for pytest, the `def test_*` of tests/test_*.py, times their parametrize values;
- an ERROR or CRITICAL log line that is neither a test's failure nor listed in the
  allow-list (tests/expected_log_errors.txt, one regex a line) is a failure;
- no junit report (pytest crashed) fails every expected pytest test.
The last line printed is `N passed, N failed, N skipped` (tests only); the exit
code is 1 when anything failed, was skipped or is missing.
"""

import argparse
import ast
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ADDONS = ("helpdesk_service", "helpdesk_billing", "helpdesk_field")

# 2026-01-01 10:00:00,123 4242 ERROR dbname odoo.addons.x.tests.test_y: message
LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL|TEST|RUNBOT) "
    r"(?P<db>\S+) (?P<logger>[\w.]+): (?P<msg>.*)$"
)
TEST_LOGGER = re.compile(r"^odoo\.addons\.(?P<addon>\w+)\.tests\.(?P<module>\w+)$")
STARTING = re.compile(r"^Starting (?P<test>[\w.]+) \.\.\.")
FAILED = re.compile(r"^(?:FAIL|ERROR): (?:Subtest )?(?P<test>\w+\.\w+)")
SKIPPED = re.compile(r"^skipped (?:Subtest )?(?P<test>\w+\.\w+)")
CLASS_LEVEL = re.compile(
    r"^(?:(?P<flavour>FAIL|ERROR): |skipped )(?P<method>setUpClass|tearDownClass) "
    r"\(odoo\.addons\.(?P<addon>\w+)\.tests\.(?P<module>\w+)\.(?P<cls>\w+)\)"
)
# Odoo's own summaries of failed tests, already counted from the test lines
RUNNER_SUMMARY = re.compile(
    r"^(Module \w+: \d+ failures, \d+ errors of \d+ tests"
    r"|At least one test failed when loading the modules\.)"
)
RESULT_LINE = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)


# ---------------------------------------------------------------- expected tests
def _decorator_tags(node):
    tags = []
    for deco in node.decorator_list:
        if (
            isinstance(deco, ast.Call)
            and getattr(deco.func, "id", getattr(deco.func, "attr", "")) == "tagged"
        ):
            tags += [a.value for a in deco.args if isinstance(a, ast.Constant)]
    return tags


def _apply_tags(tags, current):
    for tag in tags:
        if tag.startswith("-"):
            current.discard(tag[1:])
        else:
            current.add(tag)
    return current


def _class_infos(path):
    """{class name: (base names, test method names, tags, allow_inherited)}"""
    tree = ast.parse(path.read_text())
    infos = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        methods = [
            stmt.name
            for stmt in node.body
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
            and stmt.name.startswith("test")
        ]
        allow = any(
            isinstance(stmt, ast.Assign)
            and any(
                getattr(t, "id", "") == "allow_inherited_tests_method"
                for t in stmt.targets
            )
            and getattr(stmt.value, "value", False) is True
            for stmt in node.body
        )
        bases = [ast.unparse(base).split(".")[-1] for base in node.bases]
        infos[node.name] = (bases, methods, _decorator_tags(node), allow)
    return infos


def _imported_test_modules(tests_dir):
    """The test_* modules a tests/__init__.py imports (what Odoo's loader sees)."""
    init = tests_dir / "__init__.py"
    if not init.is_file():
        return []
    names = []
    for node in ast.walk(ast.parse(init.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:  # from .test_x import Y: the module is imported too
                names.append(node.module.split(".")[0])
            else:
                names += [alias.name for alias in node.names]
    return [n for n in dict.fromkeys(names) if n.startswith("test_")]


def expected_odoo_tests(addon_dir, standard_only=True):
    """{(module, class): number of tests Odoo runs} for one addon.

    Like odoo.tests.loader: classes defined in each imported test_* module, the
    test* methods of the class's own body (inherited ones only with
    allow_inherited_tests_method), tagged 'standard' unless -standard."""
    tests_dir = Path(addon_dir) / "tests"
    all_infos = {}
    # bases come from this addon's tests first, then from the other addons'
    # (a mixin imported from odoo.addons.<other>.tests)
    paths = sorted(tests_dir.glob("*.py")) + sorted(
        path
        for path in Path(addon_dir).parent.glob("*/tests/*.py")
        if path.parent != tests_dir
    )
    for path in paths:
        for name, info in _class_infos(path).items():
            all_infos.setdefault(name, info)
    expected = {}
    for module in _imported_test_modules(tests_dir):
        path = tests_dir / f"{module}.py"
        if not path.is_file():
            continue
        module_infos = _class_infos(path)
        infos = {**all_infos, **module_infos}
        for name, (_bases, methods, _tags, _allow) in module_infos.items():
            chain = _mro(name, infos)
            allow = any(infos[klass][3] for klass in chain)
            tags = {"standard", "at_install"}
            for klass in reversed(chain):
                tags = _apply_tags(infos[klass][2], tags)
            if standard_only and "standard" not in tags:
                continue
            if allow:
                names = set()
                for klass in chain:
                    names |= set(infos[klass][1])
                count = len(names)
            else:
                count = len(set(methods))
            if count and _is_test_case(name, infos):
                expected[(module, name)] = count
    return expected


TEST_CASE_BASES = {
    "TransactionCase",
    "HttpCase",
    "SingleTransactionCase",
    "BaseCase",
    "TestCase",
    "BaseCommon",
    "HttpCaseWithUserPortal",
    "HttpCaseWithUserDemo",
    "TransactionCaseWithUserPortal",
    "TransactionCaseWithUserDemo",
    "MailCommon",
    "AccountTestInvoicingCommon",
    "AccountTestInvoicingHttpCommon",
}


def _mro(name, infos, seen=None):
    """The class and its bases defined in the addon's tests, nearest first."""
    seen = seen if seen is not None else []
    if name in seen or name not in infos:
        return seen
    seen.append(name)
    for base in infos[name][0]:
        _mro(base, infos, seen)
    return seen


def _is_test_case(name, infos, depth=0):
    if name in TEST_CASE_BASES or name.endswith(("Case", "Common")):
        return True
    if name not in infos or depth > 20:
        return False
    return any(_is_test_case(base, infos, depth + 1) for base in infos[name][0])


def _literal_len(node, constants):
    try:
        return len(ast.literal_eval(node))
    except ValueError:
        pass
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    return 1


def expected_pytest_tests(tests_dir):
    """Number of tests pytest collects from tests/test_*.py: each test function
    (and test method of Test* classes) times the values of its parametrize marks."""
    total = 0
    for path in sorted(Path(tests_dir).glob("test_*.py")):
        tree = ast.parse(path.read_text())
        constants = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    continue
                if isinstance(target, ast.Name) and isinstance(
                    value, list | tuple | set | dict
                ):
                    constants[target.id] = len(value)
        functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                functions += [n for n in node.body if isinstance(n, ast.FunctionDef)]
        for func in functions:
            if not func.name.startswith("test"):
                continue
            count = 1
            for deco in func.decorator_list:
                if (
                    isinstance(deco, ast.Call)
                    and ast.unparse(deco.func).endswith("parametrize")
                    and len(deco.args) >= 2
                ):
                    count *= _literal_len(deco.args[1], constants)
            total += count
    return total


# ---------------------------------------------------------------- Odoo log
def load_allow_list(path):
    patterns = []
    if path and Path(path).is_file():
        for line in Path(path).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                patterns.append(re.compile(line))
    return patterns


class _LogCounts:
    """What one Odoo log says about the tests of our addons."""

    def __init__(self, addons, allow):
        self.addons = addons
        self.allow = allow
        self.started = defaultdict(set)  # addon -> {(module, Class.method)}
        self.failed = defaultdict(set)
        self.skipped = defaultdict(set)
        self.class_failed = defaultdict(set)  # addon -> {(module, class)}
        self.class_skipped = defaultdict(set)
        self.unexpected = []
        self.odoo_summary = None

    def feed(self, line):
        match = LOG_LINE.match(line)
        if not match:
            return
        if self._test_line(match["logger"], match["msg"]):
            return
        if match["level"] in ("ERROR", "CRITICAL") and not any(
            pattern.search(line) for pattern in self.allow
        ):
            self.unexpected.append(line)

    def _test_line(self, logger, msg):
        """Count a line of the test runner; True for an expected ERROR line."""
        test_logger = TEST_LOGGER.match(logger)
        ours = bool(test_logger) and test_logger["addon"] in self.addons
        if ours:
            addon, module = test_logger["addon"], test_logger["module"]
            if m := STARTING.match(msg):
                self.started[addon].add((module, m["test"]))
            elif m := FAILED.match(msg):
                self.failed[addon].add((module, m["test"]))
                return True
            elif m := SKIPPED.match(msg):
                self.skipped[addon].add((module, m["test"]))
        m = CLASS_LEVEL.match(msg)
        if (logger == "odoo.tests.suite" or ours) and m and m["addon"] in self.addons:
            if m["method"] == "tearDownClass":
                # the tests ran, the class's clean-up failed: one failure more
                self.failed[m["addon"]].add((m["module"], f"{m['cls']}.tearDownClass"))
            elif m["flavour"]:
                self.class_failed[m["addon"]].add((m["module"], m["cls"]))
            else:
                self.class_skipped[m["addon"]].add((m["module"], m["cls"]))
            return True
        if logger == "odoo.modules.loading" and RUNNER_SUMMARY.match(msg):
            return True
        if logger == "odoo.tests.result" and (m := RESULT_LINE.search(msg)):
            self.odoo_summary = (int(m["run"]), int(m["failed"]) + int(m["errors"]))
            return True
        return False

    def tally(self, addon, expected):
        """{run, failed, skipped, expected, failures} of one addon; a class
        skipped or failed in setUpClass counts each of its expected tests."""
        run = set(self.started[addon])
        fail = set(self.failed[addon])
        skip = set(self.skipped[addon])
        for classes, target in (
            (self.class_failed[addon], fail),
            (self.class_skipped[addon] - self.class_failed[addon], skip),
        ):
            for module, cls in classes:
                for i in range(expected.get((module, cls), 1)):
                    test = (module, f"{cls}.<setUpClass {i}>")
                    run.add(test)
                    target.add(test)
        # a failure without a "Starting" line (tearDownClass): one test more
        run |= fail
        return {
            "run": len(run),
            "failed": len(fail),
            "skipped": len(skip - fail),
            "expected": sum(expected.values()),
            "failures": sorted(f"{m}: {t}" for m, t in fail),
        }


def parse_odoo_log(text, addons, expected, allow=()):
    """Counts per addon from an Odoo --log-level=test log.

    `expected` is {addon: {(module, class): count}}. Returns {"addons": {addon:
    tally}, "unexpected": [ERROR/CRITICAL lines not allowed], "odoo_summary":
    (run, failed + errors) of Odoo's own result line, or None}."""
    counts = _LogCounts(addons, allow)
    for line in text.splitlines():
        counts.feed(line)
    return {
        "addons": {a: counts.tally(a, expected.get(a, {})) for a in addons},
        "unexpected": counts.unexpected,
        "odoo_summary": counts.odoo_summary,
    }


# ---------------------------------------------------------------- pytest
def parse_junit(path):
    """(run, failed, skipped) from a pytest junit file, None if there is none.
    pytest reports a collection error as a test case with an error."""
    if not path or not Path(path).is_file():
        return None
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return None
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    run = failed = skipped = 0
    for case in (c for s in suites for c in s.iter("testcase")):
        run += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None:
            skipped += 1
    return run, failed, skipped


# ---------------------------------------------------------------- report
def summarize(
    log_text,
    junit_path,
    addons_dir,
    pytest_dir,
    addons=DEFAULT_ADDONS,
    allow=(),
    odoo_rc=0,
    pytest_rc=0,
    out=print,
):
    """Print the report; return (passed, failed, skipped, ok)."""
    expected = {a: expected_odoo_tests(Path(addons_dir) / a) for a in addons}
    parsed = parse_odoo_log(log_text, addons, expected, allow)
    ok = True
    passed = failed = skipped = 0
    for addon in addons:
        r = parsed["addons"][addon]
        passed += r["run"] - r["failed"] - r["skipped"]
        failed += r["failed"]
        skipped += r["skipped"]
        out(
            f"{addon}: {r['run']} run of {r['expected']} expected, "
            f"{r['failed']} failed, {r['skipped']} skipped"
        )
        for failure in r["failures"]:
            out(f"  failed: {failure}")
        if r["run"] < r["expected"]:
            missing = r["expected"] - r["run"]
            out(f"  {missing} test(s) of {addon} did not run: counted as failed")
            failed += missing
            ok = False
    summary = parsed["odoo_summary"]
    if summary is None:
        out("Odoo printed no test result line: the run did not finish")
        ok = False
    elif summary[0] == 0:
        out("Odoo ran no test")
        ok = False
    if odoo_rc and not failed:
        out(f"Odoo exited with {odoo_rc} without a failed test")
        ok = False
    for line in parsed["unexpected"]:
        out(f"unexpected log line: {line}")
    if parsed["unexpected"]:
        out(
            f"{len(parsed['unexpected'])} ERROR/CRITICAL log line(s) outside the "
            "allow-list (tests/expected_log_errors.txt)"
        )
        ok = False

    if pytest_dir is not None:
        p_expected = expected_pytest_tests(pytest_dir)
        # the tests may run in several pytest processes, one report each
        paths = junit_path if isinstance(junit_path, list | tuple) else [junit_path]
        reports = [parse_junit(path) for path in paths]
        p_run = p_failed = p_skipped = 0
        for path, junit in zip(paths, reports, strict=True):
            if junit is None:
                out(f"pytest wrote no report {path}: its tests count as failed")
                continue
            p_run += junit[0]
            p_failed += junit[1]
            p_skipped += junit[2]
        out(
            f"pytest: {p_run} run of {p_expected} expected, {p_failed} failed, "
            f"{p_skipped} skipped"
        )
        if p_run < p_expected:
            out(f"  {p_expected - p_run} pytest test(s) did not run: counted as failed")
            p_failed += p_expected - p_run
            p_run = p_expected
        if pytest_rc and not p_failed:
            out(f"pytest exited with {pytest_rc} without a failed test")
            ok = False
        passed += p_run - p_failed - p_skipped
        failed += p_failed
        skipped += p_skipped
    if failed:
        ok = False
    if skipped:
        out("skipped tests count as failures (a tour skips when Chromium is missing)")
        ok = False
    out(f"{passed} passed, {failed} failed, {skipped} skipped")
    return passed, failed, skipped, ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--odoo-log", required=True)
    parser.add_argument(
        "--junit",
        action="append",
        help="pytest junit report (absent: crashed); repeat for several pytest runs",
    )
    parser.add_argument("--no-pytest", action="store_true")
    parser.add_argument("--addons-dir", default=str(ROOT / "addons"))
    parser.add_argument("--pytest-dir", default=str(ROOT / "tests"))
    parser.add_argument(
        "--allow", default=str(ROOT / "tests" / "expected_log_errors.txt")
    )
    parser.add_argument("--addons", default=",".join(DEFAULT_ADDONS))
    parser.add_argument("--odoo-rc", type=int, default=0)
    parser.add_argument("--pytest-rc", type=int, default=0)
    args = parser.parse_args(argv)
    log_path = Path(args.odoo_log)
    text = log_path.read_text(errors="replace") if log_path.is_file() else ""
    *_counts, ok = summarize(
        text,
        args.junit,
        args.addons_dir,
        None if args.no_pytest else args.pytest_dir,
        addons=tuple(a for a in args.addons.split(",") if a),
        allow=load_allow_list(args.allow),
        odoo_rc=args.odoo_rc,
        pytest_rc=args.pytest_rc,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
