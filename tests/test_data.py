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
