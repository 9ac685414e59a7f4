"""Interactive map of a run (folium / Leaflet) that works opened from disk, offline.

folium links Leaflet, jQuery, Bootstrap and Font Awesome from CDNs. This map needs only
Leaflet, inlined from the ``django-js-lib-leaflet`` package (Leaflet 1.9.4, BSD-2; it does
not need Django), with the CSS images as data URIs. Popups are bound as HTML strings with
Leaflet's own ``bindPopup`` (folium's ``Popup`` needs jQuery). No tile layer by default: the
province polygons are the basemap; pass ``tiles`` to add one (that needs a network).

Every popup is a ``<div class="siting-popup" data-kind=... data-id=...>`` holding a table
whose cells carry ``data-col`` names, so the numbers can be checked against the CSVs.
"""

from __future__ import annotations

import base64
import html
import importlib.util
import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..errors import SitingError
from . import mapdata
from .atomic import atomic_file
from .fonts import font_face_css
from .mapdata import RunTables
from .style import (
    CANDIDATE,
    CAPITAL,
    SEA,
    SOURCE,
    TECH_NAMES,
    ZONE,
    flow_width,
    loading_colour,
    num,
    pct,
    period_colours,
    province_colours,
)

LEAFLET_PACKAGE = "js_lib_leaflet"
"""Import name of the package whose ``static/js_lib_leaflet`` folder holds Leaflet."""
WEB_SIMPLIFY_M = 400.0
"""Douglas-Peucker tolerance of the province polygons on the web map [m]."""


def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS (images inlined as data URIs).

    Raises
    ------
    SitingError
        When ``django-js-lib-leaflet`` is not installed.
    """
    spec = importlib.util.find_spec(LEAFLET_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SitingError("Leaflet is missing for the offline map: pip install "
                          "django-js-lib-leaflet")
    folder = Path(next(iter(spec.submodule_search_locations))) / "static" / LEAFLET_PACKAGE
    js = (folder / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", js)
    css = (folder / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        data = base64.b64encode((folder / match.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return js, re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)


@cache
def _bind_template():
    """The one compiled template of :func:`_bind` (compiling it per layer took 0.6 s)."""
    from jinja2 import Template

    return Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.{{ this.method }}({{ this.content|tojson }}, "
        "{{ this.options|tojson }});"
        "{% endmacro %}")


def _bind(layer, method: str, content: str, **options) -> None:
    """Bind a popup or tooltip given as an HTML string (no jQuery needed)."""
    from branca.element import MacroElement

    el = MacroElement()
    el._template = _bind_template()
    el.method, el.content, el.options = method, content, options
    layer.add_child(el)


def web_map(t: RunTables, tiles: str | None = None):
    """Interactive map of a run: provinces, corridors, renewable zones, sites, labels.

    Parameters
    ----------
    t : RunTables
        The run's tables.
    tiles : str, optional
        A folium tile name or URL template drawn under the provinces (needs a network).

    Returns
    -------
    folium.Map
    """
    import folium

    prov = mapdata.province_layer(t)
    outline = mapdata.capital_outline(prov)  # the print map's outline, computed once
    prov["geometry"] = prov.simplify(WEB_SIMPLIFY_M, preserve_topology=True)
    m = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25)
    m.default_js, m.default_css = [], []  # inlined below instead of CDN links
    js, css = leaflet_assets()
    root = m.get_root()
    root.header.add_child(folium.Element(f"<style>{css}</style>"), name="leaflet_css")
    root.header.add_child(folium.Element(f"<script>{js}</script>"), name="leaflet_js")
    root.header.add_child(folium.Element(f"<style>{_CSS}</style>"), name="siting_css")
    if tiles:
        folium.TileLayer(tiles).add_to(m)
    _add_provinces(m, t, prov, outline)
    _add_corridors(m, t, prov)
    _add_zones(m, t)
    _add_sites(m, t)
    _add_labels(m, prov)
    folium.LayerControl(collapsed=False).add_to(m)
    root.html.add_child(folium.Element(_legend_html(t, prov)), name="siting_legend")
    x0, y0, x1, y1 = prov.to_crs(mapdata.GEOGRAPHIC_CRS).total_bounds
    m.fit_bounds([[y0, x0], [y1, x1]])
    return m


def save_web_map(m, path: Path) -> Path:
    """Write the map as one HTML file, with the Hangul font subset to its text inlined."""
    page = m.get_root().render()
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda u: chr(int(u.group(1), 16)), page)
    fonts = f"<style>{font_face_css(text, bold=False)}</style>\n</head>"
    return atomic_file(path, page.replace("</head>", fonts, 1))


def _geojson(geom) -> dict:
    """GeoJSON of an EPSG:5179 geometry in degrees, rounded to 5 decimals (~1 m)."""
    g = mapdata.to_geographic(geom)
    g = shapely.transform(g, lambda xy: np.round(xy, 5))
    return {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(g)}


def _latlon(geom) -> list[float]:
    g = mapdata.to_geographic(geom)
    return [round(g.y, 5), round(g.x, 5)]


def _add_provinces(m, t: RunTables, prov, outline) -> None:
    import folium

    fill, _ = province_colours(prov["it_mw"])
    group = folium.FeatureGroup(name=f"Provinces: new IT capacity {t.last}")
    for pid, r in prov.iterrows():
        style = {"fillColor": fill[pid], "color": "#5a5a5a", "weight": 0.8,
                 "fillOpacity": 0.9}
        layer = folium.GeoJson(_geojson(r.geometry), style_function=lambda _, s=style: s,
                               highlight_function=lambda _: {"weight": 2.5, "color": "#222"})
        _bind(layer, "bindPopup", province_popup(t, pid, r), maxWidth=460)
        _bind(layer, "bindTooltip", f"{html.escape(r['name_ko'])} {pid}", sticky=True)
        layer.add_to(group)
    for geom in outline:
        folium.GeoJson(_geojson(geom), interactive=False,
                       style_function=lambda _: {"color": CAPITAL, "weight": 2.2,
                                                 "dashArray": "6 4", "fill": False}
                       ).add_to(group)
    group.add_to(m)


def _add_corridors(m, t: RunTables, prov) -> None:
    import folium

    group = folium.FeatureGroup(name=f"Corridors: flow {t.last}")
    for r in mapdata.corridor_layer(t, prov).itertuples():
        ends = [_latlon(shapely.Point(c)) for c in r.geometry.coords]
        live = bool(r.in_service) and r.flow_mw > 0
        colour = loading_colour(r.loading) if live else "#8a8a8a"
        line = folium.PolyLine(ends, color=colour, weight=1.3 * flow_width(r.flow_mw),
                               opacity=0.9, dash_array=None if r.in_service else "2 4")
        _bind(line, "bindPopup", corridor_popup(t, r.a, r.b), maxWidth=520)
        line.add_to(group)
    group.add_to(m)


def _add_zones(m, t: RunTables) -> None:
    import folium

    group = folium.FeatureGroup(name="Renewable zones", show=True)
    for zid, r in mapdata.zone_layer(t).iterrows():
        marker = folium.CircleMarker(_latlon(r.geometry),
                                     radius=float(2 + np.sqrt(r["potential_mw"]) / 12),
                                     color=ZONE, weight=1.5, fill=False, opacity=0.8)
        _bind(marker, "bindPopup", zone_popup(t, zid, r), maxWidth=420)
        marker.add_to(group)
    group.add_to(m)


def _add_sites(m, t: RunTables) -> None:
    import folium

    colours = period_colours(t.periods)
    group = folium.FeatureGroup(name="Data-centre sites")
    sites = mapdata.site_layer(t).sort_values("it_mw", ascending=False)
    for sid, r in sites.iterrows():
        built = not pd.isna(r["first_period"])
        style = ({"radius": float(3 + 0.9 * np.sqrt(r["it_mw"])), "color": "white",
                  "weight": 1.2, "fill_color": colours[int(r["first_period"])],
                  "fill_opacity": 0.9} if built else
                 {"radius": 3.5, "color": CANDIDATE, "weight": 1, "fill_color": "white",
                  "fill_opacity": 1.0})
        marker = folium.CircleMarker(_latlon(r.geometry), fill=True, **style)
        _bind(marker, "bindPopup", site_popup(t, sid, r), maxWidth=460)
        _bind(marker, "bindTooltip", html.escape(str(r["name"])))
        marker.add_to(group)
    group.add_to(m)


def _add_labels(m, prov) -> None:
    import folium

    group = folium.FeatureGroup(name="Province names")
    for pid, r in prov.iterrows():
        text = shapely.Point(r["text_x"], r["text_y"])
        if r["leader"]:
            folium.PolyLine([_latlon(shapely.Point(r["label_x"], r["label_y"])),
                             _latlon(text)], color="#444", weight=0.8,
                            interactive=False).add_to(group)
        icon = folium.DivIcon(html=f'<div class="siting-label" data-id="{html.escape(pid)}">'
                                   f'{html.escape(r["name_ko"])}<br>{html.escape(pid)}</div>',
                              icon_size=(110, 28), icon_anchor=(55, 14))
        folium.Marker(_latlon(text), icon=icon, interactive=False).add_to(group)
    group.add_to(m)


def _table(rows: list[dict[str, str]], heads: dict[str, str]) -> str:
    """HTML table; ``heads`` maps a data-col name to its header text."""
    th = "".join(f"<th>{html.escape(h)}</th>" for h in heads.values())
    body = "".join(
        "<tr>" + "".join(f'<td data-col="{c}">{html.escape(str(r[c]))}</td>' for c in heads)
        + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _popup(kind: str, ident: str, title: str, lines: list[str], table: str) -> str:
    info = "".join(f"<div>{html.escape(x)}</div>" for x in lines)
    return (f'<div class="siting-popup" data-kind="{kind}" data-id="{html.escape(ident)}">'
            f"<h4>{html.escape(title)}</h4>{info}{table}</div>")


def site_popup(t: RunTables, sid: str, r) -> str:
    """Popup of one site: IT and facility MW, modules and renewable share per period."""
    s = t.sites[t.sites["site_id"] == sid].sort_values("period")
    rows = [{"period": str(int(x.period)), "open": "yes" if x.open else "no",
             "it_mw": num(x.it_mw), "facility_mw": num(x.facility_mw),
             "renewable_mw": num(x.renewable_mw), "renewable_share": pct(x.renewable_share)}
            for x in s.itertuples()]
    heads = {"period": "period", "open": "open", "it_mw": "IT MW",
             "facility_mw": "facility MW", "renewable_mw": "renewable MW avg",
             "renewable_share": "renewable share"}
    first = "never built" if pd.isna(r["first_period"]) else f"first built {r['first_period']}"
    lines = [f"{sid} · {r['province_id']} · {r['kind']} · {first}",
             f"max {num(r['max_it_mw'])} MW IT · grid node {r['grid_node_id']}"]
    return _popup("site", sid, str(r["name"]), lines, _table(rows, heads))


def province_popup(t: RunTables, pid: str, r) -> str:
    """Popup of one province: capacity, load, trade per period."""
    p = t.provinces[t.provinces["province_id"] == pid].sort_values("period")
    rows = [{"period": str(int(x.period)), "it_mw": num(x.it_mw),
             "facility_mw": num(x.facility_mw), "sites_open": str(int(x.sites_open)),
             "grid_load_mw": num(x.grid_load_mw), "imports_mw": num(x.imports_mw),
             "exports_mw": num(x.exports_mw)} for x in p.itertuples()]
    heads = {"period": "period", "it_mw": "IT MW", "facility_mw": "facility MW",
             "sites_open": "sites open", "grid_load_mw": "grid load MW",
             "imports_mw": "imports MW", "exports_mw": "exports MW"}
    cap = "capital region" if r["capital_region"] else "outside the capital region"
    lines = [f"{cap} · spare supply for new load {num(r['spare_mw'])} MW"]
    return _popup("province", pid, f"{r['name_ko']} {pid}", lines, _table(rows, heads))


def corridor_popup(t: RunTables, a: str, b: str) -> str:
    """Popup of the corridors between two provinces: flow and limit per arc and period."""
    c = t.corridors
    c = c[((c["from_province"] == a) & (c["to_province"] == b))
          | ((c["from_province"] == b) & (c["to_province"] == a))]
    rows = [{"corridor_id": x.corridor_id, "direction": f"{x.from_province} → {x.to_province}",
             "period": str(int(x.period)), "flow_mw": num(x.flow_mw),
             "limit_mw": num(x.limit_mw),
             "loading": pct(x.flow_mw / x.limit_mw) if x.in_service and x.limit_mw > 0
             else "not in service"}
            for x in c.sort_values(["corridor_id", "arc_id", "period"]).itertuples()]
    heads = {"corridor_id": "corridor", "direction": "direction", "period": "period",
             "flow_mw": "flow MW", "limit_mw": "limit MW", "loading": "loading"}
    return _popup("corridor", f"{a}-{b}", f"{a} – {b}", [], _table(rows, heads))


def zone_popup(t: RunTables, zid: str, r) -> str:
    """Popup of one renewable zone: potential, average supply and use per period."""
    z = t.zones[t.zones["zone_id"] == zid].sort_values("period")
    rows = [{"period": str(int(x.period)), "supply_avg_mw": num(x.supply_avg_mw),
             "used_mw": num(x.used_mw)} for x in z.itertuples()]
    heads = {"period": "period", "supply_avg_mw": "supply MW avg", "used_mw": "used MW avg"}
    tech = TECH_NAMES.get(r["technology"], r["technology"])
    lines = [f"{tech} · {r['province_id']} · potential {num(r['potential_mw'])} MW"]
    return _popup("zone", zid, str(r["name"]), lines, _table(rows, heads))


def _swatch(colour: str, label: str, shape: str = "box") -> str:
    """One legend row: a coloured box, dot or line, then the label."""
    return f'<i class="{shape}" style="background:{colour}"></i>{html.escape(label)}'


def _legend_html(t: RunTables, prov) -> str:
    """Fixed legend box (bottom right) and title (top left)."""
    _, classes = province_colours(prov["it_mw"])
    rows = [f"<b>New IT capacity by province, {t.last}</b>"]
    rows += [_swatch(c, label) for c, label in classes]
    rows.append('<i class="line" style="background:none;border-top:2px dashed '
                f'{CAPITAL}"></i>capital region')
    rows.append("<b>Sites (colour: first built; size ∝ IT MW)</b>")
    rows += [_swatch(c, str(p), "dot") for p, c in period_colours(t.periods).items()]
    rows.append('<i class="dot" style="background:white;border:1px solid #6e6e6e"></i>'
                "candidate, not built")
    rows.append(f"<b>Corridor loading, {t.last} (width ∝ flow)</b>")
    rows += [_swatch(loading_colour(x), label, "line") for x, label in
             ((0.25, "under 50 %"), (0.7, "50–90 %"), (0.95, "90–100 % (binding)"))]
    rows.append("<b>Renewable zones</b>")
    rows.append(f'<i class="dot" style="background:none;border:2px solid {ZONE}"></i>'
                "circle size ∝ potential")
    rows.append(f'<span class="src">{html.escape(SOURCE)}</span>')
    gap = "" if t.mip_gap is None else f", gap {t.mip_gap:.2%}"
    title = (f"{html.escape(t.name)} — AI data centres {t.periods[0]}–{t.last} "
             f"(status {html.escape(t.status)}{gap})")
    return (f'<div class="siting-title">{title}</div>'
            f'<div class="siting-legend">{"<br>".join(rows)}</div>')


_CSS = f"""
.leaflet-container {{ background: {SEA}; font-family: 'NanumGothic', sans-serif; }}
.leaflet-control-layers {{ font-size: 12px; }}
.siting-popup h4 {{ margin: 0 0 4px; font-size: 13px; }}
.siting-popup table {{ border-collapse: collapse; margin-top: 4px; font-size: 11px; }}
.siting-popup th, .siting-popup td {{ border-bottom: 1px solid #ddd; padding: 2px 6px;
  text-align: right; white-space: nowrap; }}
.siting-label {{ font-size: 10px; font-weight: 600; line-height: 1.15; text-align: center;
  color: #111; pointer-events: none; text-shadow: -1px 0 #fff, 1px 0 #fff, 0 -1px #fff,
  0 1px #fff; }}
.siting-legend {{ position: fixed; bottom: 24px; right: 10px; z-index: 1000;
  background: rgba(255,255,255,.93); padding: 8px 10px; border: 1px solid #9aa7b1;
  border-radius: 4px; font: 11px/1.5 'NanumGothic', sans-serif; max-width: 230px; }}
.siting-legend i {{ display: inline-block; width: 14px; height: 10px; margin-right: 6px;
  border: 1px solid #5a5a5a; vertical-align: middle; }}
.siting-legend i.dot {{ border-radius: 50%; height: 12px; width: 12px; border: 1px solid #fff; }}
.siting-legend i.line {{ height: 4px; border: none; }}
.siting-legend .src {{ display: block; margin-top: 4px; color: #555; font-size: 10px; }}
.siting-title {{ position: fixed; top: 10px; left: 60px; z-index: 1000; font: 600 15px
  'NanumGothic', sans-serif; background: rgba(255,255,255,.9); padding: 4px 10px;
  border-radius: 4px; }}
"""
