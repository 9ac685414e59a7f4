"""The report a director reads: its first page against the run's CSVs, every built site
named on the maps, the Korean report, and the sweep report (every scenario and every
failure with its relaxation); both reports render in headless Chromium without console
errors."""

from __future__ import annotations

import pandas as pd
import pytest
import tomli_w
from pages import chromium, console_messages, needs_chromium, number, parse
from tiny import default_sites, provinces, write_case

from siting.outputs import plot, reader, report, summary, words
from siting.sweep import run_sweep


@pytest.fixture(scope="module")
def default_en(default_run_dir, tmp_path_factory):
    return report.write_report(default_run_dir, tmp_path_factory.mktemp("en"), pdf=False)[0]


@pytest.fixture(scope="module")
def tiny_ko(tiny_run_dir, tmp_path_factory):
    return report.write_report(tiny_run_dir, tmp_path_factory.mktemp("ko"), pdf=False,
                               lang="ko")[0]


def first_page(page: str) -> str:
    """The HTML of the first section (the page a director reads alone)."""
    return page.split('<section id="sec-decision"', 1)[1].split("</section>", 1)[0]


def check_first_page(html_path, run_dir, lang="en"):
    page = html_path.read_text(encoding="utf-8")
    assert page.index('id="sec-decision"') < page.index('id="sec-charts"') \
        < page.index('id="sec-kpis"') < page.index('id="sec-solver"')
    t = parse(first_page(page)).tables
    kpis = pd.read_csv(run_dir / "kpis.csv").set_index("period")
    rows = {r["kpi"]: r for r in t["decision"]}
    for key, label, _ in summary.DECISION_KPIS:
        for p in kpis.index:
            tol = 5.1e-4 if key.endswith("share") else 0.51
            assert number(rows[words.tr(label, lang)][f"p{p}"]) == pytest.approx(
                kpis.at[p, key], abs=tol), (key, p)
    prov = pd.read_csv(run_dir / "provinces.csv")
    hosts = prov[prov.groupby("province_id")["it_mw"].transform("max") > 0]
    name = hosts["name_ko"] if lang == "ko" else hosts["province_id"]
    for n, x in zip(name, hosts.itertuples(), strict=True):
        assert number(rows[f"{n} [MW]"][f"p{x.period}"]) == pytest.approx(x.it_mw, abs=0.51)
    # the total cost in words equals the sum of the periods' present values (the objective)
    total = words.tr("Total cost over all periods: {v} bn KRW (present value).", lang,
                     v=f"{kpis['present_value_bn_krw'].sum():,.1f}")
    assert total in first_page(page)
    return t


def test_first_page_figures_equal_the_kpis(default_en, default_run_dir):
    t = check_first_page(default_en, default_run_dir)
    binding = pd.read_csv(default_run_dir / "binding.csv")
    shaping = t["shaping"]
    assert 1 <= len(shaping) <= summary.TOP_LIMITS
    # the first limit is the one with the largest marginal value, goals left out
    b = binding[~binding["limit"].map(words.is_goal)]
    best = b.loc[b["marginal_bn_krw_per_unit"].abs().idxmax()]
    assert shaping[0]["limit"] == words.limit_name(best["limit"])
    assert f"{abs(best['marginal_bn_krw_per_unit']):,.3f}" in shaping[0]["worth"]


def test_korean_report_uses_the_korean_names(tiny_ko, tiny_run_dir):
    page = tiny_ko.read_text(encoding="utf-8")
    assert '<html lang="ko">' in page
    check_first_page(tiny_ko, tiny_run_dir, lang="ko")
    assert words.tr("Decision", "ko") in page


@pytest.mark.parametrize("run", ["tiny_run_dir", "default_run_dir"])
def test_every_built_site_is_named_on_the_map_of_each_period(run, request):
    t = reader.read_run_tables(request.getfixturevalue(run))
    for period in t.periods:
        fig = plot.plot_map(t, period=period)
        named = {x.get_gid().removeprefix("sitename-"): x.get_text()
                 for x in fig.axes[0].texts if (x.get_gid() or "").startswith("sitename-")}
        s = t.sites[(t.sites["period"] == period) & (t.sites["it_mw"] > 0)]
        assert set(named) == set(s["site_id"]), period
        for r in s.itertuples():  # the name and the MW of that period
            assert named[r.site_id].startswith(words.short_name(r.name))
            assert named[r.site_id].endswith(f"{r.it_mw:,.0f} MW")


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    """A one-at-a-time sweep of the tiny case with one infeasible scenario (target x100)."""
    base = tmp_path_factory.mktemp("sweep")
    model = {"constraints": {"grid": {"enabled": True, "node_headroom": False}}}
    spare = {"Chungnam": 40 * 8.76, "Jeonnam": 100 * 8.76, "Seoul": 100 * 8.76}
    case = write_case(base / "case", model=model, sites=default_sites(with_capital=True),
                      provinces_df=provinces(spare_gwh=spare))
    doc = {"name": "tiny-oat", "base": str(case), "design": {"method": "oat"},
           "parameters": {"target_scale": {"values": [0.5, 100.0]},
                          "capex_scale": {"values": [2.0]}},
           "run": {"workers": 1, "maps": True}}
    path = base / "tiny-oat.toml"
    path.write_text(tomli_w.dumps(doc))
    run_sweep(path, base / "runs", progress=False)
    return base / "runs" / "tiny-oat"


def test_sweep_report_lists_every_scenario_and_every_failure(sweep_dir, tmp_path):
    (html,) = report.write_report(sweep_dir, tmp_path, pdf=False)
    t = parse(html.read_text(encoding="utf-8")).tables
    table = pd.read_parquet(sweep_dir / "results.parquet")
    assert sorted(r["scenario_id"] for r in t["scenarios"]) == sorted(table["scenario_id"])
    status = dict(zip(table["scenario_id"], table["status"], strict=True))
    assert all(r["status"] == status[r["scenario_id"]] for r in t["scenarios"])
    bad = table[table["status"] != "optimal"]
    assert len(bad) == 1  # target x100 cannot be met
    assert [r["scenario_id"] for r in t["failures"]] == list(bad["scenario_id"])
    relax = t["failures"][0]["relaxation"]
    assert relax != "n/a"
    # every line of the stored diagnosis is shown
    assert all(line in relax for line in reader_lines(bad["message"].iloc[0]))
    assert {r["key"] for r in t["parameters"]} == {"target_scale", "capex_scale"}


def reader_lines(message: str) -> list[str]:
    from siting.outputs.sweep_report import relaxations

    lines = relaxations(message)
    assert lines and all("needs" in x or "short" in x or "lacks" in x for x in lines), message
    return lines


@needs_chromium
def test_both_reports_render_in_chromium(default_en, sweep_dir, tmp_path):
    (sweep_html,) = report.write_report(sweep_dir, tmp_path, pdf=False)
    for html in (default_en, sweep_html):
        shot = tmp_path / f"{html.parent.name}.png"
        res = chromium(html, f"--screenshot={shot}", "--window-size=1280,2000")
        assert res.returncode == 0, res.stderr[-2000:]
        assert console_messages(res.stderr) == []
        assert shot.stat().st_size > 20_000  # a rendered page, not a blank one


def test_optional_tables_are_shown_when_present(tiny_run_dir, tmp_path):
    import shutil

    run = tmp_path / "tiny"
    shutil.copytree(tiny_run_dir, run)
    # as a network run writes it (limit_use_pct ranks the rows shown, most used first)
    pd.DataFrame({"period": [2030, 2027, 2030], "name": ["L1", "L2", "L3"],
                  "flow_mw": [90.0, 10.0, 0.0], "limit_mw": [100.0, 100.0, 100.0],
                  "limit_use_pct": [90.0, 10.0, 0.0]}).to_csv(
        run / "line_loading.csv", index=False)
    pd.DataFrame({"site_id": ["P"], "period": [2030], "source": ["P:plant"],
                  "kind": ["adjacent_plant"], "supply_mw": [7.5]}).to_csv(
        run / "supply.csv", index=False)
    pd.DataFrame({"reinforcement_id": ["n:transformer"], "in_service_from": [2030],
                  "cost_bn_krw": [8.0]}).to_csv(run / "reinforcements.csv", index=False)
    pd.DataFrame({"site_id": ["P"], "earliest_energised_year": [2029],
                  "critical_path": ["grid connection"]}).to_csv(
        run / "time_to_power.csv", index=False)
    pd.DataFrame({"policy": ["renewable"], "description": ["minimum renewable share"],
                  "total_cost_bn_krw": [3.25]}).to_csv(run / "policy_costs.csv", index=False)
    (html,) = report.write_report(run, tmp_path / "out", pdf=False)
    page = html.read_text(encoding="utf-8")
    t = parse(page).tables
    assert [r["name"] for r in t["line_loading"]] == ["L1", "L2"]  # L3 carries nothing
    assert [r["source"] for r in t["supply"]] == ["P:plant"]
    assert t["reinforcements"][0]["reinforcement_id"] == "n:transformer"
    assert t["time_to_power"][0]["critical_path"] == "grid connection"
    # the policy's cost on the first page, as written
    (row,) = parse(first_page(page)).tables["policy_costs"]
    assert row["policy"] == "minimum renewable share"
    assert number(row["total_cost_bn_krw"]) == pytest.approx(3.25, abs=0.051)
    # the loading chart reads line_loading.csv: L1 at 90 % is the most loaded element
    from siting.outputs.charts import loading_table

    lt = loading_table(pd.read_csv(run / "corridors.csv"), pd.read_csv(run / "line_loading.csv"))
    assert list(lt["element"]) == ["L1", "L2", "L3"] and lt["loading"].iloc[0] == pytest.approx(0.9)
    # and without them the report has none of those tables
    t0 = parse(report.write_report(tiny_run_dir, tmp_path / "plain", pdf=False)[0]
               .read_text(encoding="utf-8")).tables
    assert not {"line_loading", "hosting", "policy_costs", "supply", "reinforcements",
                "time_to_power"} & set(t0)
