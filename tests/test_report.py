"""``siting report``: a self-contained HTML report and PDF whose numbers match the run's
CSVs, for the tiny grid case and the default scenario."""

from __future__ import annotations

import base64
import json
import re
import shutil
import tomllib

import pandas as pd
import pytest
from pages import PDF_MISSING, chromium, console_messages, needs_chromium, needs_pdf, number, parse
from typer.testing import CliRunner

from siting.cli import app
from siting.outputs import atomic, report, words


@pytest.fixture(scope="module")
def tiny_report(tiny_run_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny_report")
    return report.write_report(tiny_run_dir, out_dir=out, pdf=PDF_MISSING is None)


@pytest.fixture(scope="module")
def default_report(default_run_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("default_report")
    return report.write_report(default_run_dir, out_dir=out, pdf=PDF_MISSING is None)


def tables(paths) -> dict[str, list[dict[str, str]]]:
    return parse(paths[0].read_text(encoding="utf-8")).tables


def check_tables(paths, run_dir) -> dict[str, list[dict[str, str]]]:
    t = tables(paths)
    kpis = pd.read_csv(run_dir / "kpis.csv").set_index("period")
    shown = {r["kpi"]: r for r in t["kpis"]}
    for key, label, _ in report.KPI_ROWS:
        for p in kpis.index:
            tol = 5.1e-4 if key.endswith("share") else 0.051
            assert number(shown[label][f"p{p}"]) == pytest.approx(kpis.at[p, key], abs=tol), \
                (key, p)
    prov = pd.read_csv(run_dir / "provinces.csv")
    assert {r["province_id"] for r in t["provinces"]} == set(prov["province_id"])
    for r in t["provinces"]:
        for x in prov[prov["province_id"] == r["province_id"]].itertuples():
            assert number(r[f"it_{x.period}"]) == pytest.approx(x.it_mw, abs=0.051)
    sites = pd.read_csv(run_dir / "sites.csv")
    built = sites[sites["it_mw"] > 0]
    assert {r["site_id"] for r in t["sites"]} == set(built["site_id"])
    for r in t["sites"]:
        s = sites[sites["site_id"] == r["site_id"]]
        assert int(r["first_period"]) == s.loc[s["it_mw"] > 0, "period"].min()
        for x in s.itertuples():
            assert number(r[f"it_mw_{x.period}"]) == pytest.approx(x.it_mw, abs=0.051)
    binding = pd.read_csv(run_dir / "binding.csv")
    goal = binding["limit"].map(words.is_goal)
    for shown_rows, rows in ((t["binding"], binding[~goal]), (t["goals"], binding[goal])):
        assert len(shown_rows) == len(rows)
        for r, b in zip(shown_rows, rows.itertuples(), strict=True):
            assert (r["limit"], r["id"], int(r["period"])) == (words.limit_name(b.limit),
                                                               b.id, b.period)
            assert number(r["value"]) == pytest.approx(b.value, abs=0.051)
    # planner words only: no internal limit name, no "value/bound" header
    assert not {r["limit"] for r in t["binding"] + t["goals"]} & set(binding["limit"])
    assert "national capacity target" not in {r["limit"] for r in t["binding"]}
    manifest = json.loads((run_dir / "manifest.json").read_text())
    solver = {r["item"]: r["value"] for r in t["solver"]}
    assert solver["status"] == manifest["status"]
    assert number(solver["MIP gap"]) == pytest.approx(manifest["mip_gap"], abs=5e-7)
    return t


def test_tiny_report_tables_match_the_csvs(tiny_report, tiny_run_dir):
    t = check_tables(tiny_report, tiny_run_dir)
    flows = {(r["corridor_id"], r["from_province"]): r for r in t["flows"]}
    assert number(flows[("Chungnam-Jeonnam", "Chungnam")]["loading"]) == pytest.approx(1.0)
    assert number(flows[("Seoul-Chungnam", "Seoul")]["f_2030"]) == pytest.approx(60.0)
    assert t["sources"] == []  # the tiny case has no sources.csv


def test_default_report_tables_match_the_csvs(default_report, default_run_dir):
    check_tables(default_report, default_run_dir)


def test_report_shows_the_resolved_settings(default_report, default_run_dir):
    model = tomllib.loads((default_run_dir / "model.toml").read_text())
    shown = tables(default_report)["assumptions"]
    rows = {r["key"]: r["value"] for r in shown}
    # settings in planner words: the described ones show their description, not the key
    described = {r["key"]: r["setting"] for r in shown}
    assert described["economics.discount_rate"] != "economics.discount_rate"
    assert float(rows["economics.discount_rate"]) == model["economics"]["discount_rate"]
    assert rows["constraints.targets.values"] == "2027: 300, 2030: 1100, 2035: 2400"
    assert rows["data.sites"] == model["data"]["sites"]


def test_report_cites_the_sources_of_the_data_tables(default_report, default_run_dir):
    model = tomllib.loads((default_run_dir / "model.toml").read_text())
    # the resolved model file names its tables relative to itself (the run folder)
    folder = (default_run_dir / model["data"]["sites"]).parent
    prov = pd.read_csv(folder / "provenance.csv", keep_default_na=False)
    prov = prov[prov["table"].isin(model["data"])]  # only the tables the model file names
    cited = set(prov["source_ids"].str.split(";").explode().str.strip())
    rows = tables(default_report)["sources"]
    assert {r["source_id"] for r in rows} == cited
    src = pd.read_csv(folder / "sources.csv", keep_default_na=False).set_index("source_id")
    for r in rows:
        assert r["url"] == src.at[r["source_id"], "url"]
    assert all(r["state"] == "unchanged" for r in tables(default_report)["inputs"])


def test_report_is_self_contained(tiny_report):
    page = tiny_report[0].read_text(encoding="utf-8")
    links = parse(page).links
    assert links and all(x.startswith(("#", "data:")) for x in links), links
    imgs = [x for x in links if x.startswith("data:image/svg+xml;base64,")]
    svg = base64.b64decode(imgs[0].split(",", 1)[1]).decode("utf-8")  # the first page's map
    assert 'id="province-Chungnam"' in svg and 'id="site-A"' in svg
    assert re.search(r"@font-face \{ font-family: 'NanumGothic'; font-weight: bold", page)


@needs_pdf
def test_pdf_has_pages_and_embeds_the_hangul_font(tiny_report, default_report):
    from pypdf import PdfReader

    for paths in (tiny_report, default_report):
        pdf = paths[1]
        assert pdf.name == "report.pdf" and pdf.read_bytes()[:5] == b"%PDF-"
        reader = PdfReader(pdf)
        assert len(reader.pages) >= 1
        fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
                 for f in page["/Resources"].get_object()["/Font"].get_object().values()}
        assert any("NanumGothic" in f for f in fonts), fonts
    pages = [p.extract_text() for p in PdfReader(default_report[1]).pages]
    assert "Decision" in pages[0] and "Solver" not in pages[0]
    assert all(any(h in p for p in pages) for h in ("Key figures", "Sites built", "Solver",
                                                    "Data sources and inputs"))


def test_report_reads_only_the_run_folder(tiny_run_dir, tmp_path):
    moved = tmp_path / "elsewhere" / "tiny"
    shutil.copytree(tiny_run_dir, moved)
    (html,) = report.write_report(moved, pdf=False)
    assert html == moved / "report.html"
    assert "Decision" in html.read_text(encoding="utf-8")


def test_report_is_written_atomically(tiny_run_dir, tmp_path, monkeypatch):
    first = report.write_report(tiny_run_dir, out_dir=tmp_path, pdf=False)[0]
    before = first.read_bytes()

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        report.write_report(tiny_run_dir, out_dir=tmp_path, pdf=False)
    assert first.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_cli_report(tiny_run_dir, tmp_path):
    res = CliRunner().invoke(app, ["report", str(tiny_run_dir), "--out-dir", str(tmp_path),
                                   "--no-pdf"])
    assert res.exit_code == 0, res.output
    assert "report.html" in res.output and (tmp_path / "report.html").exists()
    res = CliRunner().invoke(app, ["report", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "does not exist" in res.output
    assert "Traceback" not in res.output
    res = CliRunner().invoke(app, ["report", str(tiny_run_dir.parent)])
    assert res.exit_code == 2 and "sweep" in res.output


@needs_chromium
def test_report_renders_in_chromium(default_report, tmp_path):
    shot = tmp_path / "report.png"
    res = chromium(default_report[0], f"--screenshot={shot}", "--window-size=1280,2000")
    assert res.returncode == 0, res.stderr[-2000:]
    assert console_messages(res.stderr) == []
    assert shot.stat().st_size > 50_000  # a rendered page, not a blank one
    dom = chromium(default_report[0], "--dump-dom").stdout
    assert dom.count("<table") == sum(1 for _ in re.finditer(r"<table", default_report[0]
                                                             .read_text(encoding="utf-8")))
    assert 'id="kpis"' in dom and "강원특별자치도" in dom
