"""siting: where South Korea should build its AI data centres, against the power grid.

Stages, each callable alone::

    model = load_model_file("models/korea-2030.toml")   # model file (TOML, pydantic)
    inputs = load_inputs(model)                          # validated tables
    data = prepare(inputs, model)                        # plain numbers
    m = build_model(data)                                # Pyomo model
    report = solve_model(m, model.solver)                # HiGHS
    results = extract_results(m, data, inputs, report)   # DataFrames + KPIs
"""

from .api import Run, run
from .build import build_model
from .config import ModelFile, load_model_file
from .errors import InfeasibleError, InputError, Problem, SitingError
from .inputs import Inputs, load_inputs
from .parameters import ModelData, prepare
from .results import Results, extract_results
from .solve import SolveReport, solve_model

__all__ = ["InfeasibleError", "InputError", "Inputs", "ModelData", "ModelFile", "Problem",
           "Results", "Run", "SitingError", "SolveReport", "build_model", "extract_results",
           "load_inputs", "load_model_file", "prepare", "run", "solve_model"]
__version__ = "0.1.0"
