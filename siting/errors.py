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
        The offending value, shown with ``repr``.
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
        shown = f" (value {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.message}{shown}. Fix: {self.fix}"


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
