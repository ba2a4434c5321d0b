"""Every term of the addons is translated into Japanese and Russian, and the
templates the translations are made from are not behind the code.

DB-free: reads addons/<addon>/i18n/<addon>.pot (exported by Odoo with
`scripts/helpdesk pot`), ja.po and ru.po, and the addons' Python sources."""

import ast
import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("helpdesk_service", "helpdesk_billing", "helpdesk_field")
LANGS = ("ja", "ru")
# what must come through a translation unchanged: format placeholders, QWeb and
# inline-template expressions, HTML tags
PLACEHOLDER = re.compile(
    r"%\([a-z_0-9]+\)[sdf]|%[sdf%]|\{\{.*?\}\}|\{[a-z_0-9]*\}|<[^>]+>", re.DOTALL
)
FIELD_TYPES = {
    "Binary", "Boolean", "Char", "Date", "Datetime", "Float", "Html", "Image",
    "Integer", "Json", "Many2many", "Many2one", "Many2oneReference", "Monetary",
    "One2many", "Reference", "Selection", "Text",
}  # fmt: skip


def _template(addon):
    return polib.pofile(str(ROOT / "addons" / addon / "i18n" / f"{addon}.pot"))


def _literal(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _selection_labels(node):
    if not isinstance(node, ast.List):
        return set()
    return {
        _literal(item.elts[1])
        for item in node.elts
        if isinstance(item, ast.Tuple) and len(item.elts) == 2
    }


def _field_terms(name, node):
    """Label, help and selection labels of a fields.<Type>(...) declaration."""
    args = list(node.args)
    # the positional arguments before the label: comodel, inverse field,
    # relation table and columns
    skip = {"Many2one": 1, "One2many": 2, "Many2many": 4}.get(name, 0)
    args = args[skip:] if len(args) > skip else []
    terms = set()
    if name in ("Selection", "Reference") and args:
        terms |= _selection_labels(args.pop(0))
    if args:
        terms.add(_literal(args[0]))
    for keyword in node.keywords:
        if keyword.arg in ("string", "help"):
            terms.add(_literal(keyword.value))
        elif keyword.arg == "selection":
            terms |= _selection_labels(keyword.value)
    return terms


def _python_terms(addon):
    """The strings of the addon's Python code that Odoo exports: arguments of
    _()/env._()/_lt(), field labels and help texts, selection labels."""
    terms = set()
    for path in (ROOT / "addons" / addon).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", "")
            )
            if name in ("_", "_lt") and node.args:
                terms.add(_literal(node.args[0]))
            elif (
                name in FIELD_TYPES
                and isinstance(func, ast.Attribute)
                and getattr(func.value, "id", "") == "fields"
            ):
                terms |= _field_terms(name, node)
    terms.discard(None)
    return {term for term in terms if term.strip()}


def test_every_term_is_translated_in_japanese_and_russian():
    problems = []
    for addon in ADDONS:
        msgids = {entry.msgid for entry in _template(addon)}
        assert len(msgids) > 100, f"{addon}.pot holds only {len(msgids)} terms"
        for lang in LANGS:
            path = ROOT / "addons" / addon / "i18n" / f"{lang}.po"
            assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
            catalogue = polib.pofile(str(path))
            translated = {e.msgid: e.msgstr for e in catalogue if e.msgstr.strip()}
            for msgid in sorted(msgids - set(translated)):
                problems.append(f"{addon}/{lang}: not translated: {msgid[:70]!r}")
            for msgid in sorted(set(translated) - msgids):
                problems.append(f"{addon}/{lang}: not in {addon}.pot: {msgid[:70]!r}")
            for msgid, msgstr in translated.items():
                if sorted(PLACEHOLDER.findall(msgid)) != sorted(
                    PLACEHOLDER.findall(msgstr)
                ):
                    problems.append(
                        f"{addon}/{lang}: placeholders differ in {msgid[:70]!r}"
                    )
    assert not problems, "\n".join(problems[:60])


def test_templates_hold_the_python_terms():
    """A new or changed message, field label or help text in Python needs the
    template exported again (`scripts/helpdesk pot`) and translated."""
    missing = []
    for addon in ADDONS:
        msgids = {entry.msgid for entry in _template(addon)}
        terms = _python_terms(addon)
        assert len(terms) > 50, f"only {len(terms)} terms read from {addon}"
        missing += [f"{addon}: {term[:80]!r}" for term in sorted(terms - msgids)]
    assert not missing, "run scripts/helpdesk pot and translate:\n" + "\n".join(
        missing[:60]
    )
