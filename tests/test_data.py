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
    cols = [c for c in table_schema(table)["column"] if c != key]
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
