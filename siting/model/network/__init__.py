"""The transmission network of a period as plain tables (data stage, no Pyomo).

:func:`network_cases` builds, per period, the AC network in service with PyPSA, a base
dispatch by merit order (:mod:`.dispatch`), its DC load flow, PyPSA's PTDFs, the branch
limits after the base-overload rule (:mod:`.case`) and the units with spare capacity.
:func:`site_bus` maps candidate sites to their bus (:mod:`.sitebus`).
"""

from .case import NetworkCase, branch_table, network_case, network_cases
from .network import TABLES, branch_flows, pypsa_network, read_network_tables
from .sitebus import site_bus

__all__ = ["TABLES", "NetworkCase", "branch_flows", "branch_table", "network_case",
           "network_cases", "pypsa_network", "read_network_tables", "site_bus"]
