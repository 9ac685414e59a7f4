"""Turning unreadable files and pydantic validation errors into located problems.

Used by every reader of a TOML file (model files, sweep files) and of the input tables.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, Problem


def read_text(path: Path, shown: str) -> str:
    """The text of a UTF-8 file (a byte-order mark is dropped).

    Raises
    ------
    InputError
        When the file cannot be read, is not text (NUL bytes, UTF-16) or is not UTF-8;
        a file that decodes as cp949/EUC-KR (common for Korean government files) is named
        as such, with the line of the first byte that is not UTF-8.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(shown, f"cannot be read ({exc.strerror})",
                                  "check the file's permissions")]) from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError([Problem(shown, "is UTF-16 text", "save it as UTF-8")])
    if b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        raise InputError([Problem(shown, "is not a text file (it holds NUL bytes)",
                                  "give a UTF-8 text file", row=line)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        byte = f"byte 0x{data[exc.start]:02x}"
        editor = ("in Excel: Save As > CSV UTF-8" if path.suffix.lower() == ".csv"
                  else "in Notepad: Save As > Encoding UTF-8")
        try:
            data.decode("cp949")
        except UnicodeDecodeError:
            raise InputError([Problem(shown, f"is not UTF-8 text ({byte} is not UTF-8)",
                                      "save it as UTF-8 text", row=line)]) from None
        raise InputError([Problem(
            shown, f"is not UTF-8: it reads as cp949/EUC-KR, the Korean Windows encoding "
            f"({byte} is the first that is not UTF-8)", "save it as UTF-8 (e.g. "
            f"'iconv -f cp949 -t utf-8 {path.name} > utf8-{path.name}', or {editor})",
            row=line)]) from None


def pydantic_problems(file: str, exc: ValidationError, raw: dict,
                      text: str = "") -> list[Problem]:
    """One problem per offending key of a validation error, with its line in ``text``.

    Pydantic reports a value of a union type (``0.2`` or ``{"2030" = 0.2}``) once per
    branch, with the branch's type in the location; the branch names are dropped and a
    branch's "wrong type" error is left out when another branch says what is wrong.
    """
    errs = [(_real_loc(raw, e["loc"], e["type"] == "missing"), e) for e in exc.errors()]
    lines = _key_lines(text)
    out: dict[tuple, Problem] = {}
    for loc, e in errs:
        if e["type"].endswith("_type") and any(
                o is not e and o2[:len(loc)] == loc and not o["type"].endswith("_type")
                for o2, o in errs):
            continue
        row = next((lines[loc[:k]] for k in range(len(loc), 0, -1) if loc[:k] in lines), None)
        out.setdefault(loc, _pydantic_problem(file, e, loc, row))
    return list(out.values())


def _real_loc(raw, loc: tuple, missing: bool) -> tuple:
    """``loc`` without pydantic's union branch names (the parts that are no key of ``raw``;
    the last part of a missing key is kept)."""
    out, node = [], raw
    for k, part in enumerate(loc):
        inside = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node))
        if inside:
            node = node[part]
        elif not (missing and k == len(loc) - 1):
            continue
        out.append(part)
    return tuple(out)


def _key_lines(text: str) -> dict[tuple, int]:
    """Line of every key of a TOML text: table headers (``[[...]]`` counted), dotted keys
    and the keys of one-line inline tables; multi-line strings are skipped."""
    lines: dict[tuple, int] = {}
    table: tuple = ()
    counts: dict[tuple, int] = {}
    in_string = False
    for n, line in enumerate(text.splitlines(), 1):
        body = line.strip()
        quotes = body.count('"""') + body.count("'''")
        if in_string:
            in_string = quotes % 2 == 0
            continue
        in_string = quotes % 2 == 1
        if header := re.match(r"^(\[\[?)\s*([^\]]+?)\s*\]", body):
            table = _key_parts(header.group(2))
            if header.group(1) == "[[":
                counts[table] = counts.get(table, -1) + 1
                table = (*table, counts[table])
            lines.setdefault(table, n)
        elif key := re.match(r"^([\w\-.\"\' ]+?)\s*=(.*)$", body):
            path = table + _key_parts(key.group(1))
            lines.setdefault(path, n)
            for inner in re.finditer(r"[{,]\s*([\w\-\"\']+)\s*=", key.group(2)):
                lines.setdefault(path + _key_parts(inner.group(1)), n)
    return lines


def _key_parts(key: str) -> tuple:
    return tuple(p.strip().strip('"\'') for p in key.split("."))


def _pydantic_problem(file: str, err: dict, loc: tuple, row: int | None) -> Problem:
    key = ".".join(str(x) for x in loc) or None
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        return Problem(file, "unknown key", "remove it or correct its spelling (the "
                       "accepted keys: docs/model-file.md, or run 'siting settings')", row, key,
                       err.get("input"))
    if kind == "missing":
        return Problem(file, "required key is missing", "add it", row, key)
    limits = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=",
              "less_than": "<"}
    msg, fix = err["msg"].removeprefix("Value error, "), "correct the value"
    if kind == "finite_number":
        fix = "write a finite number (TOML's inf and nan are not allowed)"
    elif kind in limits:
        fix = f"use a value {limits[kind]} {fmt_number(next(iter(ctx.values())))}"
    elif kind == "int_parsing_size":
        msg, fix = "number too large", "write a whole number of a plausible size"
    elif kind.startswith("int_"):
        fix = "write a whole number"
    return Problem(file, msg, fix, row, key, err.get("input"))


def fmt_number(x: float) -> str:
    """A limit as people write it: 10,000,000 rather than 1e+07, 0.5 rather than 0.500."""
    x = float(x)
    return f"{x:,.0f}" if x.is_integer() and 1e4 <= abs(x) < 1e15 else f"{x:g}"
