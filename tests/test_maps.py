"""Maps of a run folder: the print map (PNG, SVG) and the offline interactive map (HTML),
checked structurally on the tiny grid case and on the default scenario."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from pages import chromium, console_messages, needs_chromium, number, popup_tables, popups

from siting.outputs import mapdata, plot, style

SVG = "{http://www.w3.org/2000/svg}"


def svg_groups(path) -> dict[str, ET.Element]:
    """Every element with an id, comments kept (matplotlib writes each text as a comment)."""
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    root = ET.parse(path, parser).getroot()
    return {el.get("id"): el for el in root.iter() if el.get("id")}


def comments(el: ET.Element) -> list[str]:
    return [c.text.strip() for c in el.iter() if c.tag is ET.Comment]


def strokes(el: ET.Element) -> str:
    return " ".join(p.get("style", "") for p in el.iter(f"{SVG}path"))


def built_sites(run_dir) -> set[str]:
    s = pd.read_csv(run_dir / "sites.csv")
    return set(s.loc[s["it_mw"] > 0, "site_id"])


def check_svg(run_dir) -> dict[str, ET.Element]:
    g = svg_groups(run_dir / "map.svg")
    provinces = pd.read_csv(run_dir / "provinces.csv")["province_id"].unique()
    for pid in provinces:
        assert g[f"province-{pid}"].find(f"{SVG}path") is not None, pid
        # the name is drawn as glyph outlines (with a halo): a text group per province
        assert len(list(g[f"label-{pid}"].iter(f"{SVG}path"))) >= 2, pid
    sites = {k.removeprefix("site-") for k in g if k.startswith("site-")}
    assert sites == built_sites(run_dir)
    for sid in sites:  # one marker each, and its name drawn beside it
        assert len(list(g[f"site-{sid}"].iter(f"{SVG}use"))) == 1, sid
        assert len(list(g[f"sitename-{sid}"].iter(f"{SVG}path"))) >= 2, sid
    cor = pd.read_csv(run_dir / "corridors.csv")
    ends = zip(cor["from_province"], cor["to_province"], strict=True)
    pairs = {"-".join(sorted(p)) for p in ends}
    assert {k.removeprefix("corridor-") for k in g if k.startswith("corridor-")} == pairs
    periods = sorted(cor["period"].unique())
    legend = [t for i in range(4) for t in comments(g[f"legend-{i}"])]
    for p in periods:
        assert f"first built {p}" in legend
    assert {"capital region", "candidate site, not built", "solar", "offshore wind",
            "not yet in service"} <= set(legend)
    assert any(t.startswith("loading 90–100 %") for t in legend)
    for key in ("scalebar", "north-arrow", "title", "source"):
        assert key in g, key
    assert any("km" in t for t in comments(g["scalebar"]))
    (source,) = comments(g["source"])
    assert "NGII" in source and "© OpenStreetMap contributors" in source and "ODbL" in source
    return g


def test_tiny_svg_has_an_element_per_province_site_corridor_and_legend_entry(tiny_run_dir):
    g = check_svg(tiny_run_dir)
    assert "capital-region" in g  # Seoul is a capital-region province
    assert {"zones-solar", "zones-offshore_wind"} <= set(g)
    # Chungnam -> Jeonnam carries 10 MW at its 10 MW limit in 2030: binding colour
    assert f"stroke: {style.LOADING[-1][1]}" in strokes(g["corridor-Chungnam-Jeonnam"])
    assert f"stroke: {style.LOADING[1][1]}" in strokes(g["corridor-Chungnam-Seoul"])  # 60 %
    assert "stroke-dasharray" in strokes(g["corridor-Jeonnam-Seoul"])  # not yet in service


def test_default_svg_has_an_element_per_province_site_corridor_and_legend_entry(
        default_run_dir):
    g = check_svg(default_run_dir)
    assert len([k for k in g if k.startswith("label-")]) == 17


def test_png_is_at_print_resolution(tiny_run_dir, default_run_dir):
    from PIL import Image

    for run_dir in (tiny_run_dir, default_run_dir):
        with Image.open(run_dir / "map.png") as im:
            assert im.info["dpi"] == pytest.approx((plot.DPI, plot.DPI), abs=0.01)
            assert im.width == pytest.approx(7.5 * plot.DPI, abs=2)


def test_every_text_uses_the_hangul_font_and_has_its_glyphs(default_run_dir):
    from matplotlib.ft2font import FT2Font
    from matplotlib.text import Text

    from siting.outputs.fonts import font_path

    fig = plot.plot_map(mapdata.read_run_tables(default_run_dir))
    fonts = {w: FT2Font(str(font_path(w))) for w in (False, True)}
    texts = [t for t in fig.findobj(Text) if t.get_text().strip()]
    assert any("강원특별자치도" in t.get_text() for t in texts)
    for t in texts:
        assert t.get_fontname() == "NanumGothic", t.get_text()
        font = fonts[t.get_fontweight() in ("semibold", "bold", 600, 700)]
        missing = {c for c in t.get_text() if c not in "\n" and not font.get_char_index(ord(c))}
        assert not missing, (t.get_text(), missing)


def check_popups(run_dir) -> str:
    page = (run_dir / "map.html").read_text(encoding="utf-8")
    sites = pd.read_csv(run_dir / "sites.csv")
    tables = popup_tables(page, "site")
    assert set(tables) == set(sites["site_id"])
    for sid, rows in tables.items():
        csv = sites[sites["site_id"] == sid].set_index("period")
        assert [int(r["period"]) for r in rows] == sorted(csv.index)
        for r in rows:
            c = csv.loc[int(r["period"])]
            assert number(r["it_mw"]) == pytest.approx(c["it_mw"], abs=0.051)
            assert number(r["facility_mw"]) == pytest.approx(c["facility_mw"], abs=0.051)
            assert number(r["renewable_share"]) == pytest.approx(c["renewable_share"],
                                                                 abs=5.1e-4)
            assert r["open"] == ("yes" if c["open"] else "no")
    prov = pd.read_csv(run_dir / "provinces.csv")
    ptables = popup_tables(page, "province")
    assert set(ptables) == set(prov["province_id"])
    for pid, rows in ptables.items():
        csv = prov[prov["province_id"] == pid].set_index("period")
        for r in rows:
            c = csv.loc[int(r["period"])]
            for col in ("it_mw", "imports_mw", "exports_mw"):
                assert number(r[col]) == pytest.approx(c[col], abs=0.051), (pid, col)
    zones = pd.read_csv(run_dir / "zones.csv")
    assert set(popup_tables(page, "zone")) == set(zones["zone_id"])
    return page


def test_tiny_web_map_has_one_popup_per_site_with_the_csv_numbers(tiny_run_dir):
    page = check_popups(tiny_run_dir)
    (rows,) = [v for k, v in popup_tables(page, "corridor").items() if k == "Chungnam-Jeonnam"]
    last = [r for r in rows if r["period"] == "2030" and r["direction"] == "Chungnam → Jeonnam"]
    assert [(number(r["flow_mw"]), r["loading"]) for r in last] == [(10.0, "100.0 %")]


def test_default_web_map_has_one_popup_per_site_with_the_csv_numbers(default_run_dir):
    check_popups(default_run_dir)


def test_web_map_is_self_contained(tiny_run_dir):
    page = (tiny_run_dir / "map.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert "Leaflet 1.9.4" in page and "L.map(" in page
    assert "url(images/" not in page  # Leaflet's CSS images inlined
    assert re.search(r"@font-face \{ font-family: 'NanumGothic'.*base64,", page)
    assert "$(" not in page.split("L.map(", 1)[1]  # no jQuery in the map script


@needs_chromium
def test_web_map_renders_offline_in_chromium(tiny_run_dir):
    page = (tiny_run_dir / "map.html").read_text(encoding="utf-8")
    res = chromium(tiny_run_dir / "map.html", "--dump-dom", "--window-size=1280,900")
    assert res.returncode == 0, res.stderr[-2000:]
    assert console_messages(res.stderr) == []
    dom = res.stdout
    # Leaflet drew every layer that has a popup as an interactive SVG path
    assert dom.count("leaflet-interactive") >= len(popups(page))
    labels = re.findall(r'class="siting-label" data-id="([^"]+)"', dom)
    assert sorted(labels) == ["Chungnam", "Jeonnam", "Seoul"]


def test_corridor_layer_merges_directions_and_measures_loading(tiny_run_dir):
    t = mapdata.read_run_tables(tiny_run_dir)
    cor = mapdata.corridor_layer(t, mapdata.province_layer(t)).set_index(["a", "b"])
    cj = cor.loc[("Chungnam", "Jeonnam")]
    assert (cj["source"], cj["flow_mw"], cj["loading"]) == ("Chungnam", 10.0, 1.0)
    sc = cor.loc[("Chungnam", "Seoul")]
    assert (sc["source"], sc["flow_mw"], sc["loading"]) == ("Seoul", 60.0, 0.6)
    assert not cor.loc[("Jeonnam", "Seoul"), "in_service"]
    first = mapdata.corridor_layer(t, mapdata.province_layer(t), period=2027)
    assert first.set_index(["a", "b"]).loc[("Chungnam", "Seoul"), "flow_mw"] == 20.0
