"""Error types that carry planner-readable explanations instead of tracebacks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the inputs, located precisely.

    Parameters
    ----------
    file : str
        File the problem is in (as the user named it).
    message : str
        What is wrong.
    fix : str
        How to fix it.
    row : int, optional
        Line number in the file (the header is line 1), when the problem is in one row.
    column : str, optional
        Column (or model-file key) concerned.
    value : object, optional
        The offending value. It is shown as plain text: numbers without numpy wrappers
        (``126.55``, not ``np.float64(126.55)``) and rounded to 10 significant digits,
        strings quoted, tuples and lists element by element.
    """

    file: str
    message: str
    fix: str
    row: int | None = None
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", line {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        shown = f" (value {plain(self.value)})" if self.value is not None else ""
        return f"{where}: {self.message}{shown}. Fix: {self.fix}"


def plain(value: object) -> str:
    """Text of a value for a message: plain numbers, whatever their numpy type.

    Parameters
    ----------
    value : object
        A number (Python or numpy scalar), string, tuple/list of those, or anything else.

    Returns
    -------
    str
        ``126.55`` for ``np.float64(126.55)``, ``394.8`` for ``394.79999999999995``,
        ``(126.55, 35.8)`` for a tuple of numpy floats, ``'fifty'`` for a string.
    """
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # numpy scalar -> Python scalar
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        return repr(float(f"{value:.10g}"))
    if isinstance(value, tuple | list):
        inner = ", ".join(plain(v) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)


class SitingError(Exception):
    """Base class of every error the tool reports to a planner without a traceback."""


class InputError(SitingError):
    """The inputs (data tables or model file) are invalid; all problems are listed at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [f"{len(self.problems)} input problem(s) found:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class InfeasibleError(SitingError):
    """The scenario cannot be satisfied; the message names the conflicting limits."""

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        lines = ["The scenario is infeasible:"] + [f"  - {r}" for r in self.reasons]
        super().__init__("\n".join(lines))


class NoSolutionError(SitingError):
    """The solver stopped (time or other limit) before finding any feasible plan."""


class RunExistsError(SitingError):
    """A run folder with the requested id already exists."""
