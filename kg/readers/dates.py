"""Dates as readers find them, made ISO 8601 (as precise as the parts are valid)."""
from __future__ import annotations

import re

_YMD = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")


def iso_date(year: object, month: object = None, day: object = None) -> str:
    """An ISO 8601 date from parts, as precise as they are valid ("2021", "2021-06",
    "2021-06-03"; "" without a plausible year).

    >>> iso_date(2021, 6, 3), iso_date("2021", "13"), iso_date(None)
    ('2021-06-03', '2021', '')
    """
    try:
        y = int(str(year).strip())
    except (TypeError, ValueError):
        return ""
    if not 1000 <= y <= 2999:
        return ""
    try:
        m = int(str(month).strip()) if month not in (None, "") else 0
        d = int(str(day).strip()) if day not in (None, "") else 0
    except ValueError:
        return str(y)
    if not 1 <= m <= 12:
        return str(y)
    if not 1 <= d <= 31:
        return f"{y}-{m:02d}"
    return f"{y}-{m:02d}-{d:02d}"


def parse_date(text: str) -> str:
    """The ISO date at the start of ``text`` ("2021/06/03/", "2021-06-03 10:00", "2021"), or the
    year found anywhere in it ("June 3, 2021" → "2021"), or "".

    >>> parse_date("2021/06/03/"), parse_date("2021-06"), parse_date("June 3, 2021"), parse_date("n.d.")
    ('2021-06-03', '2021-06', '2021', '')
    """
    text = text.strip()
    match = _YMD.match(text)
    if match:
        return iso_date(*match.groups())
    year = re.search(r"\b(1[5-9]\d\d|2\d\d\d)\b", text)
    return year.group(1) if year else ""
