"""Provenance coverage: every value of a table kept beside a ``provenance.csv`` names its source.

A data folder that ships a ``provenance.csv`` (like the project's ``data/``) promises that
every number in it has a source or a stated assumption. This module keeps that promise at
load time, so a row added without provenance is an input error instead of passing silently.
A planner's own folder without a ``provenance.csv`` is not checked.

``provenance.csv`` has one row per (table, column, row id), or row id ``*`` for a whole
column (a specific row overrides ``*``):

``table,column,row_id,source_ids,kind,note``

- ``table``: the table's name in the model file's ``[data]`` (``sites``, ``provinces``, ...);
- ``source_ids``: ``;``-separated ids of ``sources.csv`` (``ASSUMPTION`` for an assumption);
- ``kind``: ``source``, ``derived`` or ``assumption``; an assumption states its reasoning
  in ``note``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from ..errors import Problem
from .schema import key_column, table_schema

PROVENANCE = "provenance.csv"
SOURCES = "sources.csv"
COLUMNS = ("table", "column", "row_id", "source_ids", "kind", "note")
KINDS = ("source", "derived", "assumption")
ASSUMPTION = "ASSUMPTION"


def check_provenance(tables: dict[str, pd.DataFrame], paths: dict[str, Path],
                     lines: dict[str, pd.Series]) -> tuple[list[Problem], dict[str, str]]:
    """Check that a ``provenance.csv`` beside the tables covers every value of them.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Typed tables, each indexed by its identifier column.
    paths : dict of str to pathlib.Path
        File of each table (as named by the model file).
    lines : dict of str to pandas.Series
        Line number in the file of each row, indexed by the row id.

    Returns
    -------
    (list of Problem, dict of str to str)
        The problems found (none for a folder without ``provenance.csv``) and the SHA-256 of
        every provenance and sources file read, keyed by path.
    """
    from .tables import read_raw

    problems: list[Problem] = []
    hashes: dict[str, str] = {}
    folders: dict[Path, list[str]] = {}
    for table in tables:
        folders.setdefault(paths[table].parent, []).append(table)
    for folder, names in folders.items():
        path = folder / PROVENANCE
        if not path.is_file():
            continue
        hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        prov, probs = read_raw(path, str(path))
        probs += [] if prov is None else _missing_columns(prov, str(path), COLUMNS)
        if probs:
            problems += probs
            continue
        prov = prov.assign(line=range(2, len(prov) + 2))
        prov = prov[prov["table"].str.strip().isin(names)]
        problems += _entries(prov, folder, str(path), hashes)
        for table in names:
            problems += _coverage(tables[table], table, prov, str(paths[table]),
                                  lines[table], str(path))
    return problems, hashes


def _missing_columns(df: pd.DataFrame, file: str, needed: tuple[str, ...]) -> list[Problem]:
    return [Problem(file, f"required column '{c}' is missing",
                    f"give the file the header {','.join(needed)}", column=c)
            for c in needed if c not in df.columns]


def _entries(prov: pd.DataFrame, folder: Path, file: str, hashes: dict[str, str]
             ) -> list[Problem]:
    """Each entry names known sources, an allowed kind, and an assumption says why."""
    from .tables import read_raw

    src_path = folder / SOURCES
    if not src_path.is_file():
        return [Problem(file, f"no {SOURCES} beside it, so its source ids cannot be checked",
                        f"add {SOURCES} (source_id,publisher,title,date,url,licence,note) "
                        "listing every source id it cites")]
    hashes[str(src_path)] = hashlib.sha256(src_path.read_bytes()).hexdigest()
    sources, probs = read_raw(src_path, str(src_path))
    probs += [] if sources is None else _missing_columns(sources, str(src_path), ("source_id",))
    if probs:
        return probs
    known = set(sources["source_id"].str.strip()) | {ASSUMPTION}
    problems = []
    for r in prov.itertuples():
        ids = [s.strip() for s in r.source_ids.split(";") if s.strip()]
        kind = r.kind.strip()
        if not ids:
            problems.append(Problem(file, "entry names no source", f"give the source_id of "
                                    f"{SOURCES}, or {ASSUMPTION} with the reasoning in note",
                                    r.line, "source_ids", r.source_ids))
        for sid in ids:
            if sid not in known:
                problems.append(Problem(file, f"source id not in {SOURCES}", f"add it to "
                                        f"{SOURCES} (publisher, title, date, url) or correct "
                                        "the id", r.line, "source_ids", sid))
        if kind not in KINDS:
            problems.append(Problem(file, "not an allowed kind", f"use one of {list(KINDS)}",
                                    r.line, "kind", r.kind))
        if kind == "assumption" and (ASSUMPTION not in ids or not r.note.strip()):
            problems.append(Problem(file, "an assumption must cite ASSUMPTION and state its "
                                    "reasoning", "put ASSUMPTION in source_ids and the "
                                    "reasoning in note", r.line, "note", r.note))
    return problems


def _coverage(df: pd.DataFrame, table: str, prov: pd.DataFrame, file: str,
              lines: pd.Series, prov_file: str) -> list[Problem]:
    """Every row id x schema column of ``df`` has an entry (its own, or ``*``)."""
    key = key_column(table)
    cols = [c for c in table_schema(table)["column"] if c != key and c in df.columns]
    mine = prov[prov["table"].str.strip() == table]
    rows_of = {c: set(mine.loc[mine["column"].str.strip() == c, "row_id"].str.strip())
               for c in cols}
    problems = [Problem(file, f"column '{c}' has no entry in {prov_file}", f"add a row "
                        f"'{table},{c},*,<source_id>,<kind>,<note>' (or one per row) to "
                        f"{prov_file}", column=c) for c in cols if not rows_of[c]]
    partial = [c for c in cols if rows_of[c] and "*" not in rows_of[c]]
    for row_id in df.index:
        missing = [c for c in partial if str(row_id) not in rows_of[c]]
        if not missing:
            continue
        problems.append(Problem(
            file, f"{key} '{row_id}' has no provenance for {', '.join(missing)}",
            f"add a row per column to {prov_file} ({','.join(COLUMNS)}), e.g. "
            f"'{table},{missing[0]},{row_id},<source_id>,source,<what the source says>' "
            f"naming a source_id of {SOURCES}, or '{table},{missing[0]},{row_id},"
            f"{ASSUMPTION},assumption,<your reasoning>'", int(lines[row_id]),
            missing[0] if len(missing) == 1 else None, str(row_id)))
    return problems
