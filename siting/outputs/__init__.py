"""Stage 5, outputs: the run folder (one writer ``runfolder``, one reader ``reader``, one
atomic writer ``atomic``), one ``style`` (formats, names, colours), maps and reports.

Modules load on first use (``siting.outputs.plot.plot_map``, ``siting.outputs.webmap``,
``siting.outputs.report``), so that matplotlib and folium are imported only for drawing.
"""

from __future__ import annotations

import importlib

_MODULES = ("atomic", "fonts", "mapdata", "plot", "reader", "report", "runfolder", "sections",
            "style", "webmap")


def __getattr__(name: str):
    if name in _MODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'siting.outputs' has no attribute {name!r}")
