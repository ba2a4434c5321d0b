"""Reading what browsers send to our routes. A value no form of ours can send
(a NUL byte, ``nan``, an id past the database's integers) is refused here, as
a 400 or a form error, before it reaches the ORM or PostgreSQL, where it would
end in a 500."""

import math
import re

# the largest id a PostgreSQL integer column holds: a larger one is no record
MAX_ID = 2**31 - 1
# C0 control characters but tab, line feed and carriage return: PostgreSQL
# refuses NUL, XML (QWeb, the HTML sanitizer) refuses the others
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def is_text(value):
    """Whether ``value`` is a string a form field can hold (a file sent
    under a text field's name is not)."""
    return isinstance(value, str) and not CONTROL_CHARS.search(value)


def clean_file_name(name, max_length=200):
    """An uploaded file's name fit to be stored: no control characters, at
    most ``max_length`` characters."""
    return CONTROL_CHARS.sub("", name or "").strip()[:max_length] or "file"


def parse_id(value):
    """The record id ``value`` (an int or its digits) holds, or None when it
    cannot be one (not a number, zero, negative, too large)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if not isinstance(value, int):
        return None
    return value if 0 < value <= MAX_ID else None


def parse_page(page):
    """A pager's page number: 1 unless ``page`` is a valid positive number
    (``portal.pager`` stops at the last page)."""
    return parse_id(page) or 1


def parse_number(value, minimum, maximum):
    """The finite number ``value`` holds within [minimum, maximum], or None
    (``nan``, ``inf``, ``1e400``, text, out of range)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(number) or not minimum <= number <= maximum:
        return None
    return number
