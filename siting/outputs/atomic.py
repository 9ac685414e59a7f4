"""The one atomic writer of the package: folders and files appear complete or not at all.

Everything is written under a hidden temporary name beside the target
(``.<name>.partial-<pid>``) and renamed into place at the end, so an interrupted run,
report or sweep leaves no half-written result under the final name. SIGTERM is handled like
Ctrl-C while writing; leftovers of processes killed hard are removed by the next writer into
the same folder (:func:`remove_stale`). A rename never replaces what another process wrote. Run folders, sweep
scenario folders, the sweep table, the sweep charts and the report all go through here.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError, Problem, RunExistsError, SitingError

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


class OutputError(SitingError):
    """A result could not be written (disk full, no permission, read-only disk, name too
    long, a file where a folder should be); nothing half-written is left behind."""


_FIXES = {
    errno.ENOSPC: "the disk is full: free space on it or choose another --runs-dir",
    errno.EDQUOT: "the disk quota is used up: free space or choose another --runs-dir",
    errno.EACCES: "this user may not write there: choose a writable --runs-dir or change "
                  "the folder's permissions",
    errno.EPERM: "this user may not write there: choose a writable --runs-dir or change "
                 "the folder's permissions",
    errno.EROFS: "the disk is mounted read-only: choose a --runs-dir on a writable disk",
    errno.ENAMETOOLONG: "a name is too long for this file system: choose a shorter "
                        "--run-id (or model or sweep name)",
    errno.ENOTDIR: "a part of the path is a file, not a folder: give a folder as --runs-dir",
}


def output_error(exc: OSError, folder: Path, what: str = "the run folder") -> OutputError:
    """An :class:`OutputError` naming ``folder``, the file and the fix for ``exc``."""
    fix = _FIXES.get(exc.errno, "check the free space and the permissions of the folder, "
                                "or choose another --runs-dir")
    where = f" ({exc.filename})" if exc.filename else ""
    return OutputError(f"could not write {what} {folder}: {exc.strerror or exc}{where}; "
                       f"nothing was left half-written. Fix: {fix}")


@contextmanager
def write_errors_reported(folder: Path, what: str = "the run folder") -> Iterator[None]:
    """Inside the block, an :class:`OSError` (``ENOSPC``, ``EACCES``, ``EROFS``,
    ``ENAMETOOLONG`` ...) becomes an :class:`OutputError` naming ``folder`` and the fix."""
    try:
        yield
    except OSError as exc:
        raise output_error(exc, Path(folder), what) from exc


def _name_max(folder: Path) -> int:
    """Longest file name the file system of ``folder`` allows [bytes] (255 if unknown)."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows) or no limit
        return 255


def check_writable(target: Path, file: str = "--run-id", column: str = "run_id") -> None:
    """Check before solving that ``target`` (a run or sweep folder) can be written.

    The nearest existing parent must be a folder in which this process can create, write
    and remove a file (a probe, removed at once), and the temporary name of ``target``
    (:func:`partial_path`) must fit the file system's name limit (``PC_NAME_MAX``, in
    bytes: a Hangul letter takes 3). Nothing is left behind.

    Parameters
    ----------
    target : pathlib.Path
        The folder to be written.
    file, column : str
        Where the folder name came from (an option, or a sweep file and its key), for
        the error.

    Raises
    ------
    InputError
        The name is too long for the file system.
    OutputError
        A part of the path is a file, or the folder cannot be written.
    """
    target = Path(target)
    existing = target.parent.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"cannot create {target.parent}: {existing} is a file, not a "
                          f"folder. Fix: {_FIXES[errno.ENOTDIR]}")
    limit, longest = _name_max(existing), len(partial_path(target).name.encode("utf-8"))
    if longest > limit:
        spare = limit - (longest - len(target.name.encode("utf-8")))
        raise InputError([Problem(
            file, f"too long for this file system: {len(target.name.encode('utf-8'))} "
            f"bytes in UTF-8, and {existing} allows {spare} for a folder name (its limit "
            f"of {limit} bytes less the temporary suffix)", "choose a shorter name (a "
            "Hangul letter takes 3 bytes)", column=column, value=target.name)])
    try:
        fd, probe = tempfile.mkstemp(prefix=".siting-probe-", dir=existing)
        try:
            os.write(fd, b"x")
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        raise output_error(exc, target.parent, "into the folder") from exc
