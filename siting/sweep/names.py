"""Scenario folder names that say what the scenario is: ``surplus_share=0.12,corridor_scale=0.8``.

A scenario folder is named by the parameters whose value differs from the base case, in
the order of the sweep file, each as ``name=value`` with the shortest text that reads back
to the same number (``0.12``, ``2`` for 2.0); the base case itself is ``base``. Names are
safe on every common file system (letters, digits, ``_ . - = , + ~``) and unique within a
sweep: a name taken by an earlier scenario of the design (a value listed twice) gets
``~2``, ``~3`` ... . A name longer than :data:`~siting.outputs.runfolder.MAX_NAME` is
tried with four significant digits, then falls back to the scenario id (e.g. a Latin
hypercube over many parameters); :func:`parse_name` reads a name back to the values.

The sweep table keeps the stable ``scenario_id`` (resume-safe) and links each row to its
folder (``folder``, e.g. ``scenarios/surplus_share=0.12``).
"""

from __future__ import annotations

import math
import re

from ..outputs.runfolder import MAX_NAME
from .parameters import same_value

BASE = "base"
"""Folder name of the scenario with every parameter at its base value."""
_SUFFIX = re.compile(r"~\d+$")


def value_text(value: float, digits: int | None = None) -> str:
    """``0.12`` for 0.12, ``2`` for 2.0, ``1e-05``; ``digits`` significant digits if given."""
    v = float(value)
    if math.isnan(v) or math.isinf(v):
        return str(v)
    if digits is not None:
        return f"{v:.{digits}g}"
    text = repr(v)
    return text.removesuffix(".0") if "e" not in text else text


def scenario_name(params: dict[str, float], base_values: dict[str, float],
                  digits: int | None = None) -> str:
    """``name=value`` of every parameter that differs from ``base_values``, joined by
    ``,`` (:data:`BASE` when none does)."""
    parts = [f"{k}={value_text(v, digits)}" for k, v in params.items()
             if not same_value(base_values.get(k), v)]
    return ",".join(parts) or BASE


def scenario_names(design: list[tuple[str, dict[str, float]]],
                   base_values: dict[str, float]) -> dict[str, str]:
    """Folder name of every scenario of a design (``(scenario_id, params)`` in order),
    unique within the design (see the module docstring)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for sid, params in design:
        name = scenario_name(params, base_values)
        if len(name) > MAX_NAME - 6:
            name = scenario_name(params, base_values, digits=4)
        if len(name) > MAX_NAME - 6:
            name = sid
        unique, n = name, 1
        while unique.lower() in taken:  # case-insensitive file systems too
            n += 1
            unique = f"{name}~{n}"
        taken.add(unique.lower())
        out[sid] = unique
    return out


def parse_name(name: str, base_values: dict[str, float]) -> dict[str, float] | None:
    """The parameter values a folder name stands for (base values for the parameters it
    does not name); None for a name that is a scenario id (the fallback)."""
    name = _SUFFIX.sub("", name)
    if name == BASE:
        return dict(base_values)
    values = dict(base_values)
    for part in name.split(","):
        key, sep, text = part.partition("=")
        if not sep:
            return None
        values[key] = float(text)
    return values
