"""siting: where South Korea should build its AI data centres, against the power grid.

Stages, each callable alone, each a subpackage::

    model = load_model_file("models/korea-2030.toml")   # inputs/: model file (TOML, pydantic)
    inputs = load_inputs(model)                          # inputs/: validated tables
    data = prepare(inputs, model)                        # model/: plain numbers
    m = build_model(data)                                # model/: Pyomo model
    report = solve_model(m, model.solver)                # model/: HiGHS
    results = extract_results(m, data, inputs, report)   # results/: DataFrames + KPIs
    # outputs/: run folder, maps (outputs.plot, outputs.webmap), report (outputs.report)

Names are imported on first use, so ``import siting`` (and the command line) stays fast:
``siting.outputs.plot`` or ``siting.build_model`` load their modules when first touched.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "Run": "api", "run": "api",
    "build_model": "model.build",
    "ModelFile": "inputs.model_file", "load_model_file": "inputs.model_file",
    "InfeasibleError": "errors", "InputError": "errors", "Problem": "errors",
    "SitingError": "errors",
    "Inputs": "inputs.tables", "load_inputs": "inputs.tables",
    "ModelData": "model.data", "prepare": "model.data",
    "Results": "results.tables", "extract_results": "results.tables",
    "SolveReport": "model.solve", "solve_model": "model.solve",
}
_SUBPACKAGES = ("api", "cli", "errors", "inputs", "model", "results", "outputs", "sweep",
                "problems")

__all__ = ["InfeasibleError", "InputError", "Inputs", "ModelData", "ModelFile", "Problem",
           "Results", "Run", "SitingError", "SolveReport", "build_model",
           "extract_results", "load_inputs", "load_model_file", "prepare", "run",
           "solve_model"]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    elif name in _SUBPACKAGES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'siting' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | set(_SUBPACKAGES))
