"""The one atomic writer of the package: folders and files appear complete or not at all.

Everything is written under a hidden temporary name beside the target
(``.<name>.partial-<pid>``) and renamed into place at the end, so an interrupted run,
report or sweep leaves no half-written result under the final name. SIGTERM is handled like
Ctrl-C while writing; leftovers of processes killed hard are removed by the next writer into
the same folder (:func:`remove_stale`). A rename never replaces what another process wrote. Run folders, sweep
scenario folders, the sweep table, the sweep charts and the report all go through here.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import RunExistsError

PARTIAL = ".partial-"
"""Marker in the name of a temporary folder or file: ``.<name>.partial-<pid>@<host>``."""
HOST = re.sub(r"[^\w-]", "_", socket.gethostname()) or "localhost"
"""This machine, in temporary names: a runs folder shared by several machines (NFS) holds
temporary folders whose process ids mean nothing here."""


def _owner() -> str:
    return f"{os.getpid()}@{HOST}"


def partial_path(target: Path) -> Path:
    """The hidden temporary name of ``target`` for this process."""
    target = Path(target)
    return target.parent / f".{target.name}{PARTIAL}{_owner()}"


def is_partial(path: Path) -> bool:
    """Whether ``path`` is a temporary name written by :func:`partial_path`."""
    name = Path(path).name
    return name.startswith(".") and PARTIAL in name


_LEFTOVER = re.compile(
    r"^\.(?P<name>.+)\.(?:partial|old)-(?P<pid>\d+)(?:@(?P<host>[\w-]+))?(?:\.[^.]*)?$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary folders and files (``.<name>.partial-<pid>@<host>``,
    ``.<name>.old-<pid>@<host>``) that processes of this machine no longer running left in
    ``folder``.

    A process killed hard (SIGKILL, power loss) cannot clean up after itself; the next run,
    sweep or report writing into the same folder does it. Leftovers of live processes and
    of other machines are kept. Returns the paths removed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    removed = []
    for path in folder.iterdir():
        m = _LEFTOVER.match(path.name)
        if m and m["host"] in (None, HOST) and not _alive(int(m["pid"])):
            _remove(path)
            removed.append(path)
    return removed


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Inside the block, SIGTERM raises KeyboardInterrupt as Ctrl-C does, so the temporary
    files are removed (main thread only; another handler set by the caller is kept)."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL):
        yield
        return
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)


@contextmanager
def atomic_folder(target: Path, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary folder that becomes ``target`` only if the block completes.

    Parameters
    ----------
    target : pathlib.Path
        The final folder.
    overwrite : bool
        Replace an existing ``target``; otherwise an existing one is an error, checked
        both before the block and at the rename.

    Raises
    ------
    RunExistsError
        ``target`` exists and ``overwrite`` is false.
    """
    target = Path(target)
    if target.exists() and not overwrite:
        raise RunExistsError(f"run folder {target} already exists: choose another --run-id "
                             "or pass --overwrite")
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target.parent)
    tmp = partial_path(target)
    with _sigterm_as_interrupt():
        _remove(tmp)
        tmp.mkdir()
        try:
            yield tmp
            _commit_folder(tmp, target, overwrite)
        finally:
            _remove(tmp)


def _commit_folder(tmp: Path, target: Path, overwrite: bool) -> None:
    """Rename ``tmp`` to ``target``; without ``overwrite`` a folder that appeared meanwhile
    (another process) is left alone and reported."""
    if overwrite and target.exists():
        old = target.parent / f".{target.name}.old-{_owner()}"
        _remove(old)
        target.rename(old)
        tmp.rename(target)
        _remove(old)
        return
    try:
        if target.exists():
            raise FileExistsError(target)
        tmp.rename(target)
    except OSError as exc:
        if not target.exists():
            raise
        raise RunExistsError(f"run folder {target} was created by another process while "
                             "this one was writing: choose another --run-id") from exc


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary file name that replaces ``path`` if the block completes.

    For writers that want a file name (``DataFrame.to_parquet``, ``Figure.savefig``);
    the temporary name keeps ``path``'s suffix so format detection by suffix works.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(path.parent)
    tmp = partial_path(path)
    tmp = tmp.with_name(tmp.name + path.suffix)
    with _sigterm_as_interrupt():
        try:
            yield tmp
            os.replace(tmp, path)
        finally:
            _remove(tmp)


def atomic_file(path: Path, data: bytes | str) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; returns ``path``."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)
