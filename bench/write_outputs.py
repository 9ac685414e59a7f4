"""Where the time of writing a run folder goes, as shares of the whole run.

Usage (from the repository root)::

    python bench/write_outputs.py [models/korea-2030.toml] [--repeat 3]

Solves the model once (``siting.api.load`` + ``solve_data``), then times each part of
:func:`siting.outputs.runfolder.write_run` separately (tables, GeoPackage, drawing the print
map, exporting PNG and SVG, building and saving the web map), ``--repeat`` times in one
process; the first repeat carries the one-off costs (imports, the boundary bundle, the font),
the later ones show what caching leaves. Prints seconds and, since the machine is shared,
each part as a ratio of the solve time measured in the same process: read the ratios.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _timed(out: dict, key: str, fn):
    t = time.perf_counter()
    value = fn()
    out[key] = out.get(key, 0.0) + time.perf_counter() - t
    return value


def one_write(model, inputs, results) -> dict[str, float]:
    """Seconds of each part of writing one run folder (into a temporary folder)."""
    from siting.outputs import plot, webmap
    from siting.outputs.mapdata import from_results
    from siting.outputs.runfolder import output_tables, write_geopackage

    r: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _timed(r, "tables_csv", lambda: [df.to_csv(folder / f"{n}.csv", index=False)
                                         for n, df in output_tables(results, inputs).items()])
        _timed(r, "geopackage", lambda: write_geopackage(folder / "results.gpkg", inputs,
                                                         results))
        tables = _timed(r, "map_tables", lambda: from_results(results, inputs, model, "bench"))
        fig = _timed(r, "print_map_draw", lambda: plot.plot_map(tables))
        _timed(r, "print_map_png_svg", lambda: plot.save_maps(fig, folder))
        m = _timed(r, "web_map_build", lambda: webmap.web_map(tables))
        _timed(r, "web_map_save", lambda: webmap.save_web_map(m, folder / "map.html"))
    r["write_total"] = sum(r.values())
    return r


def measure(model_file: Path, repeat: int) -> dict:
    """Seconds of load, solve and of each write part, per repeat."""
    from siting.api import load, solve_data

    t = time.perf_counter()
    model, inputs, data = load(model_file)
    load_s = time.perf_counter() - t
    solved = solve_data(data, inputs)
    rows = [one_write(model, inputs, solved.results) for _ in range(repeat)]
    solve_s = solved.timings["solve"]
    return {"model": str(model_file), "load_s": round(load_s, 3), "solve_s": round(solve_s, 3),
            "repeats": [{k: round(v, 3) for k, v in r.items()} for r in rows],
            "ratio_to_solve_first": {k: round(v / solve_s, 3) for k, v in rows[0].items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", nargs="?", default=str(ROOT / "models" / "korea-2030.toml"))
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    res = measure(Path(args.model), args.repeat)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
