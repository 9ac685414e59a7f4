"""Markdown tables of a benchmark result (``bench/run.py``)."""

from __future__ import annotations

import math


def _effort(value) -> str:
    return "from the model files (0.3)" if value is None else f"{value:g}"


def _f(x, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    if isinstance(x, str):
        return x
    return f"{x:,.{digits}f}"


def _ratio(a, b) -> str:
    if a is None or b is None or not b:
        return "-"
    return f"{a / b:.2f}"


def _rel(a, b) -> str:
    """Relative difference of two objectives."""
    if a is None or b is None or not (math.isfinite(a) and math.isfinite(b)):
        return "-"
    return f"{(a - b) / max(abs(b), 1e-10):+.1e}"


def _err(d: dict | None) -> str | None:
    return None if d is None else d.get("error")


def markdown(result: dict) -> str:
    """Three tables: where the time goes per size, the ratios, the OR-Library instances."""
    mc = result["machine"]
    st = result["settings"]
    lines = [f"Command: `{result['command']}` (started {result['started']})", "",
             (f"Machine: {mc['nproc']} cores, {mc['memory_gb']} GB, {mc['cpu']}; Python "
              f"{mc['python']}, Pyomo {mc['pyomo']}, HiGHS {mc['highs']}, linopy "
              f"{mc['linopy'] or 'not installed'}."), "",
             (f"Settings: relative gap {st['gap']:g}, {st['threads']} threads, time limit "
              f"{st['time_limit_s']:g} s per solve, seed {st['seed']}, HiGHS "
              f"mip_heuristic_effort "
              f"{_effort(st.get('heuristic_effort'))}."), "",
             "### Where the time goes (seconds; one process per size)", "",
             ("| sites | periods | columns | rows | nonzeros | load | build | Pyomo->HiGHS | "
              "HiGHS | load solution | extract | end to end | non-solver share | peak MB | "
              "objective [bn KRW] | gap | status |"),
             "|" + "---|" * 17]
    for row in result["sizes"]:
        p = row["pipeline"]
        if _err(p):
            lines.append(f"| {row['size']} | " + f"error: {p['error']} |" + " |" * 15)
            continue
        share = 1.0 - p["highs_s"] / p["end_to_end_s"]
        lines.append(
            f"| {p['sites']:,} | {p['periods']} | {p['cols']:,} | {p['rows']:,} | "
            f"{p['nonzeros']:,} | {_f(p['load_s'])} | {_f(p['build_s'])} | "
            f"{_f(p['to_highs_s'])} | {_f(p['highs_s'])} | {_f(p['load_solution_s'])} | "
            f"{_f(p['extract_s'])} | {_f(p['end_to_end_s'])} | {share:.1%} | "
            f"{_f(p['peak_mb'], 0)} | {_f(p['objective'], 1)} | {p['gap']:.2e} | "
            f"{p['status']} |")
    lines += ["", "### Ratios, measured side by side in this run", "",
              ("| sites | (a) end to end | HiGHS alone on MPS (read + solve) | (a) ratio | "
               "MPS objective vs ours | (b) re-solve | rebuild + solve | (b) ratio | "
               "(c) Pyomo build + to HiGHS | linopy build + to HiGHS | (c) ratio | "
               "linopy objective vs ours |"), "|" + "---|" * 12]
    for row in result["sizes"]:
        p = row["pipeline"]
        if _err(p):
            continue
        mps = row.get("mps") or {}
        lin = row.get("linopy") or {}
        ok_mps = not _err(mps) and "total_s" in mps
        ok_lin = not _err(lin) and "build_s" in lin
        ours_build = p["build_s"] + p["to_highs_s"]
        lin_build = lin["build_s"] + lin.get("to_highs_s", 0.0) if ok_lin else None
        lines.append(
            f"| {p['sites']:,} | {_f(p['end_to_end_s'])} | "
            f"{_f(mps['total_s']) if ok_mps else _err(mps) or '-'} | "
            f"{_ratio(p['end_to_end_s'], mps.get('total_s')) if ok_mps else '-'} | "
            f"{_rel(mps.get('objective'), p['objective']) if ok_mps else '-'} | "
            f"{_f(p.get('resolve_s'))} | {_f(p.get('rebuild_s'))} | "
            f"{_ratio(p.get('resolve_s'), p.get('rebuild_s'))} | {_f(ours_build)} | "
            f"{_f(lin_build) if ok_lin else _err(lin) or '-'} | "
            f"{_ratio(ours_build, lin_build) if ok_lin else '-'} | "
            f"{_rel(lin.get('objective'), p['objective']) if ok_lin else '-'} |")
    if result.get("orlib"):
        lines += ["", "### OR-Library capacitated facility location (gap 1e-7)", "",
                  ("| instance | published optimum | core objective | direct objective | "
                   "core build | core Pyomo->HiGHS | core HiGHS | core total | direct build | "
                   "direct HiGHS | direct total | core / direct |"), "|" + "---|" * 12]
        for r in result["orlib"]:
            c, d = r["core"], r["direct"]
            if _err(c) or _err(d):
                lines.append(f"| {r['instance']} | error: {_err(c) or _err(d)} |" + " |" * 10)
                continue
            lines.append(
                f"| {r['instance']} | {_f(r['published'], 3)} | {_f(c['objective'], 3)} | "
                f"{_f(d['objective'], 3)} | {_f(c['build_s'])} | {_f(c['to_highs_s'])} | "
                f"{_f(c['highs_s'])} | {_f(c['total_s'])} | {_f(d['build_s'])} | "
                f"{_f(d['highs_s'])} | {_f(d['total_s'])} | "
                f"{_ratio(c['total_s'], d['total_s'])} |")
    return "\n".join(lines) + "\n"
