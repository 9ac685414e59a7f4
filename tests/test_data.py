"""The shipped data set: every number carries a source or a stated assumption."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from siting.inputs.schema import TABLES, key_column, table_schema

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def provenance():
    return pd.read_csv(DATA / "provenance.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def sources():
    return pd.read_csv(DATA / "sources.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("table", TABLES)
def test_every_value_has_provenance(table, provenance):
    df = pd.read_csv(DATA / f"{table}.csv", dtype=str, keep_default_na=False)
    key = key_column(table)
    prov = provenance[provenance["table"] == table]
    covered_all = set(prov.loc[prov["row_id"] == "*", "column"])
    covered_row = set(zip(prov["column"], prov["row_id"]))
    cols = [c for c in table_schema(table)["column"] if c != key and c in df.columns]
    missing = [(c, r) for c in cols if c not in covered_all
               for r in df[key] if (c, r) not in covered_row]
    assert not missing, f"{table}: values without provenance: {missing[:10]}"


def test_provenance_cites_known_sources(provenance, sources):
    known = set(sources["source_id"])
    cited = {s for ids in provenance["source_ids"] for s in ids.split(";") if s}
    assert cited <= known, f"unknown source ids: {sorted(cited - known)}"
    assert set(provenance["kind"]) <= {"source", "derived", "assumption"}
    assumptions = provenance[provenance["kind"] == "assumption"]
    assert (assumptions["note"].str.len() > 10).all(), "every assumption states its reasoning"


def test_sources_have_citation(sources):
    for col in ("publisher", "title", "date"):
        assert (sources[col].str.strip() != "").all(), col


def test_default_data_is_valid():
    import siting

    model = siting.load_model_file(DATA.parent / "models" / "korea-2030.toml")
    inputs = siting.load_inputs(model)
    assert len(inputs.provinces) == 17
    assert 30 <= len(inputs.sites) <= 80
    assert inputs.provinces["capital_region"].sum() == 3


def test_input_docs_match_schema():
    from siting.inputs.schema import schema_markdown

    doc = (DATA.parent / "docs" / "inputs.md").read_text(encoding="utf-8")
    assert schema_markdown().strip() in doc, "regenerate docs/inputs.md with `siting schema`"


# --- provenance is checked at load time (issue 11) -----------------------------------------
def copy_default(tmp_path, new_site: str | None = None) -> Path:
    """The default model and data copied to tmp_path; optionally a new site row appended."""
    import shutil

    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("derive"))
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "korea-2030.toml"
    shutil.copy(DATA.parent / "models" / "korea-2030.toml", model)
    if new_site:
        sites = pd.read_csv(tmp_path / "data" / "sites.csv", dtype=str, keep_default_na=False)
        row = sites[sites["site_id"] == "gunsan_saemangeum"].assign(site_id=new_site)
        pd.concat([sites, row]).to_csv(tmp_path / "data" / "sites.csv", index=False)
    return model


def load(model: Path):
    import siting

    return siting.load_inputs(siting.load_model_file(model))


def test_new_row_without_provenance_is_an_input_error(tmp_path):
    from siting.errors import InputError

    model = copy_default(tmp_path, new_site="saemangeum_2")
    n = len(pd.read_csv(DATA / "sites.csv"))
    with pytest.raises(InputError) as exc:
        load(model)
    (p,) = exc.value.problems
    assert p.file.endswith("sites.csv") and p.row == n + 2 and p.value == "saemangeum_2"
    assert "no provenance for" in p.message and "max_it_mw" in p.message
    assert "provenance.csv" in p.fix and "sources.csv" in p.fix and "ASSUMPTION" in p.fix


def test_new_row_with_its_provenance_loads(tmp_path):
    model = copy_default(tmp_path, new_site="saemangeum_2")
    prov = pd.read_csv(tmp_path / "data" / "provenance.csv", dtype=str, keep_default_na=False)
    sites = prov[prov["table"] == "sites"]
    per_row = sorted(set(sites["column"]) - set(sites.loc[sites["row_id"] == "*", "column"]))
    extra = pd.DataFrame([("sites", c, "saemangeum_2", "ASSUMPTION", "assumption",
                           "test row: same as gunsan_saemangeum") for c in per_row],
                         columns=prov.columns)
    pd.concat([prov, extra]).to_csv(tmp_path / "data" / "provenance.csv", index=False)
    assert "saemangeum_2" in load(model).sites.index


def test_provenance_must_cite_known_sources(tmp_path):
    from siting.errors import InputError

    model = copy_default(tmp_path)
    path = tmp_path / "data" / "provenance.csv"
    prov = pd.read_csv(path, dtype=str, keep_default_na=False)
    prov.loc[0, "source_ids"] = "NOT_A_SOURCE"
    prov.loc[1, "kind"] = "guess"
    prov.to_csv(path, index=False)
    with pytest.raises(InputError) as exc:
        load(model)
    where = {(p.row, p.column, p.value) for p in exc.value.problems}
    assert where == {(2, "source_ids", "NOT_A_SOURCE"), (3, "kind", "guess")}


def test_folder_without_provenance_is_not_checked(tmp_path):
    model = copy_default(tmp_path, new_site="saemangeum_2")
    (tmp_path / "data" / "provenance.csv").unlink()
    assert "saemangeum_2" in load(model).sites.index


# --- the shipped data and the default model file agree with themselves (issue 11) ----------
MODELS = DATA.parent / "models"


def comment_above(path: Path, key: str) -> str:
    """The block of '#' lines right above the line that sets ``key`` in a TOML file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith(f"{key} ="))
    block = []
    while i > 0 and lines[i - 1].startswith("#"):
        i -= 1
        block.insert(0, lines[i])
    return "\n".join(block)


def setting(model: dict, key: str):
    for value in model.values():
        if isinstance(value, dict):
            found = value.get(key, setting(value, key))
            if found is not None:
                return found
    return None


@pytest.mark.parametrize("key", ["surplus_share", "corridor_headroom_share",
                                 "capital_region_max_share", "province_max_share"])
def test_share_comments_state_the_values(key):
    # the comment once said 10% beside 0.15 and 35% beside a 2027 value of 0.5
    import tomllib

    path = MODELS / "korea-2030.toml"
    value = setting(tomllib.loads(path.read_text(encoding="utf-8")), key)
    values = set(value.values()) if isinstance(value, dict) else {value}
    text = comment_above(path, key)
    for v in values:
        assert f"{v * 100:g}%" in text, f"{key} = {v}: the comment does not say {v * 100:g}%"


def test_model_files_cite_only_listed_sources(sources):
    import re

    known = set(sources["source_id"])
    for path in [*MODELS.glob("*.toml"), *MODELS.glob("examples/*.toml")]:
        comments = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                             if line.lstrip().startswith("#"))
        cited = set(re.findall(r"\b[A-Z]{1,2}\d{1,2}\b", comments))
        assert cited <= known, f"{path.name} cites {sorted(cited - known)}, not in sources.csv"


def test_discount_rate_is_sourced_or_an_assumption(sources):
    import re

    text = comment_above(MODELS / "korea-2030.toml", "discount_rate")
    cited = set(re.findall(r"\b[A-Z]{1,2}\d{1,2}\b", text)) & set(sources["source_id"])
    assert cited or "ASSUMPTION" in text, text  # it cited guidelines absent from sources.csv


def table(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", dtype={"available_from": int})


def test_no_operating_campus_is_built_as_new(provenance):
    # the data describe 2024-25; a site available before 2025 already operates (Kakao Ansan,
    # 2023), and an operating campus may only offer its announced expansion
    sites = table("sites")
    assert (sites["available_from"] >= 2025).all(), sites.loc[sites["available_from"] < 2025,
                                                               "site_id"].tolist()
    naver = sites.set_index("site_id").loc["sejong_naver_gak"]
    note = provenance[(provenance["column"] == "max_it_mw")
                      & (provenance["row_id"] == "sejong_naver_gak")]["note"].iloc[0]
    assert naver["max_it_mw"] < 270 and "beyond what operates" in note  # 270 = full build, X4


def test_hvdc_receiving_end_sites_connect_in_their_province():
    sites, nodes = table("sites"), table("grid_nodes").set_index("node_id")
    ends = sites[sites["name"].str.contains("HVDC receiving end")]
    assert set(ends["site_id"]) == {"gapyeong", "pyeongtaek_godeok"}
    node_province = ends["grid_node_id"].map(nodes["province_id"])
    assert (node_province == ends["province_id"]).all(), ends[["site_id", "grid_node_id"]]


@pytest.mark.parametrize("province, gap", [("Busan", "Kori"), ("Ulsan", "Saeul 3")])
def test_old_self_sufficiency_is_an_assumption_with_its_gap(provenance, province, gap):
    row = provenance[(provenance["table"] == "provinces")
                     & (provenance["column"] == "generation_gwh")
                     & (provenance["row_id"] == province)].iloc[0]
    assert row["kind"] == "assumption" and "ASSUMPTION" in row["source_ids"].split(";")
    assert "2021" in row["note"] and gap in row["note"]
