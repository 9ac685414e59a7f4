"""The one atomic writer (siting.outputs.atomic): complete or nothing, never another's."""

from __future__ import annotations

import pytest

from siting.errors import RunExistsError
from siting.outputs.atomic import atomic_file, atomic_folder, atomic_path, is_partial


def test_folder_appears_only_when_complete(tmp_path):
    target = tmp_path / "runs" / "r1"
    with atomic_folder(target) as tmp:
        (tmp / "a.csv").write_text("x\n1\n")
        assert not target.exists() and is_partial(tmp)
    assert [p.name for p in target.iterdir()] == ["a.csv"]
    assert [p.name for p in target.parent.iterdir()] == ["r1"]


def test_interrupted_folder_leaves_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt), atomic_folder(tmp_path / "r1") as tmp:
        (tmp / "a.csv").write_text("x\n")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_folder_made_meanwhile_by_another_process_is_kept(tmp_path):
    # two runs picked the same name: the other one finished first; its result must survive
    target = tmp_path / "r1"
    with pytest.raises(RunExistsError, match="another process"), atomic_folder(target) as tmp:
        (tmp / "mine.csv").write_text("mine\n")
        target.mkdir()
        (target / "theirs.csv").write_text("theirs\n")
    assert [p.name for p in tmp_path.iterdir()] == ["r1"]
    assert [p.name for p in target.iterdir()] == ["theirs.csv"]


def test_overwrite_replaces(tmp_path):
    target = tmp_path / "r1"
    target.mkdir()
    (target / "old.csv").write_text("old\n")
    with pytest.raises(RunExistsError), atomic_folder(target):
        pass
    with atomic_folder(target, overwrite=True) as tmp:
        (tmp / "new.csv").write_text("new\n")
    assert [p.name for p in target.iterdir()] == ["new.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["r1"]


def test_file_replaced_atomically(tmp_path):
    path = tmp_path / "t.parquet"
    atomic_file(path, "one")
    with pytest.raises(KeyboardInterrupt), atomic_path(path) as tmp:
        assert tmp.suffix == ".parquet" and is_partial(tmp)
        tmp.write_text("half")
        raise KeyboardInterrupt
    assert path.read_text() == "one"
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]
