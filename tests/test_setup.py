"""The README's set-up: its commands are CI's, install.sh's system step, skips without
optional system libraries, the warnings policy of the suite, import cost."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest


def test_our_warnings_fail_the_suite():
    for module in ("siting.model.solve", "siting", "test_setup"):
        with pytest.raises(UserWarning):
            warnings.warn_explicit("ours", UserWarning, "x.py", 1, module=module)


def test_a_third_party_warning_about_itself_does_not_fail_the_suite():
    # WeasyPrint 70 warns when libharfbuzz-subset is missing; no defect of ours. The
    # filters are the suite's own (catch_warnings copies them): "error" would raise here.
    with warnings.catch_warnings(record=True) as seen:
        warnings.warn_explicit("HarfBuzz-Subset will be required", DeprecationWarning,
                               "ffi.py", 528, module="weasyprint.text.ffi")
    assert [str(w.message) for w in seen] == ["HarfBuzz-Subset will be required"]


# --- the README's two commands are what CI runs ---------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> dict[str, str]:
    """The one-line command in the README's ``Install:`` and ``Test:`` code blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = {}
    for label in ("Install", "Test"):
        m = re.search(rf"^{label}:\n\n```bash\n(.*?)\n```", text, re.MULTILINE | re.DOTALL)
        assert m, f"README has no '{label}:' block"
        (out[label],) = m.group(1).splitlines()
    return out


def test_ci_runs_exactly_the_readme_commands():
    lines = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    setup = ["set -euo pipefail", 'cd "$(dirname "$0")/.."']
    cmds = readme_commands()
    assert lines == [*setup, cmds["Install"], cmds["Test"]]
    assert cmds["Install"] == "./install.sh"
    assert os.access(ROOT / "install.sh", os.X_OK) and os.access(ROOT / ".ci" / "run", os.X_OK)


# --- install.sh's system step, with stand-ins for the system tools ---------------------------

PACKAGES = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "chromium"]


def fake_system(tmp_path: Path, installed: set[str], uid: int, debian: bool = True,
                sudo: bool = False) -> dict[str, str]:
    """A PATH of stand-ins: dpkg-query knows ``installed``, id -u gives ``uid``, apt-get
    and apt-cache log their arguments to ``calls``; grep, env and dirname are the real
    ones."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    stubs = {"id": f"echo {uid}",
             "grep": f'exec {shutil.which("grep")} "$@"',
             "env": f'exec {shutil.which("env")} "$@"',
             "dirname": f'exec {shutil.which("dirname")} "$@"'}
    if debian:
        known = " ".join(sorted(installed))
        stubs["dpkg-query"] = (f'for p in {known}; do [ "$p" = "${{@: -1}}" ] && '
                               'printf "install ok installed" && exit 0; done; exit 1')
        stubs["apt-get"] = f'echo "apt-get $*" >> {calls}'
        stubs["apt-cache"] = f'echo "apt-cache $*" >> {calls}'
    if sudo:
        stubs["sudo"] = f'[ "$1" = -n ] && shift; [ "$1" = true ] && exit 0; echo sudo >> {calls}; "$@"'
    for name, body in stubs.items():
        path = bin_dir / name
        path.write_text(f"#!{shutil.which('bash')}\n{body}\n")
        path.chmod(0o755)
    return {"PATH": str(bin_dir), "HOME": str(tmp_path)}


def run_install(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([shutil.which("bash"), str(ROOT / "install.sh"), "--system-only",
                           *args], env=env, capture_output=True, text=True, timeout=60,
                          check=False)


def calls(tmp_path: Path) -> list[str]:
    f = tmp_path / "calls"
    return f.read_text().splitlines() if f.exists() else []


def test_install_as_root_apt_installs_only_what_is_missing(tmp_path):
    env = fake_system(tmp_path, installed={"libpango-1.0-0", "libpangoft2-1.0-0"}, uid=0)
    res = run_install(env)
    assert res.returncode == 0, res.stderr
    installs = [c for c in calls(tmp_path) if c.startswith("apt-get install")]
    assert installs == ["apt-get install -y -qq libharfbuzz-subset0 chromium"], calls(tmp_path)


def test_install_with_passwordless_sudo_uses_it(tmp_path):
    env = fake_system(tmp_path, installed=set(), uid=1000, sudo=True)
    res = run_install(env)
    assert res.returncode == 0, res.stderr
    log = calls(tmp_path)
    assert "apt-get install -y -qq " + " ".join(PACKAGES) in log
    assert log.count("sudo") == log.count("apt-get update -qq") + 1  # every apt-get via sudo


def test_install_without_rights_says_what_to_install_and_goes_on(tmp_path):
    env = fake_system(tmp_path, installed={"chromium"}, uid=1000)
    res = run_install(env)
    assert res.returncode == 0, res.stderr
    assert calls(tmp_path) == []  # nothing attempted
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in res.stderr


def test_install_with_everything_present_changes_nothing(tmp_path):
    env = fake_system(tmp_path, installed=set(PACKAGES), uid=0)
    res = run_install(env)
    assert res.returncode == 0 and res.stderr == "", res.stderr
    assert calls(tmp_path) == []


def test_install_elsewhere_names_the_libraries(tmp_path):
    env = fake_system(tmp_path, installed=set(), uid=0, debian=False)
    res = run_install(env)
    assert res.returncode == 0, res.stderr
    assert "Pango" in res.stderr and "HarfBuzz" in res.stderr and "Chromium" in res.stderr


def test_install_refuses_an_old_python(tmp_path):
    env = fake_system(tmp_path, installed=set(PACKAGES), uid=0)
    old = Path(env["PATH"]) / "python3"
    old.write_text(f"#!{shutil.which('bash')}\n"
                   '[ "$1" = --version ] && echo "Python 3.9.2"; exit 1\n')
    old.chmod(0o755)
    res = subprocess.run([shutil.which("bash"), str(ROOT / "install.sh"), "--no-system"],
                         env=env, capture_output=True, text=True, timeout=60, check=False,
                         cwd=tmp_path)
    assert res.returncode == 1
    assert "Python >= 3.11" in res.stderr and "3.9.2" in res.stderr
    assert not (tmp_path / ".venv").exists()


# --- PDF tests without Pango ----------------------------------------------------------------

NO_PANGO = """
import cffi
_dlopen = cffi.FFI.dlopen
def dlopen(self, name, flags=0):  # what cffi does when libpango is not installed
    if "pango" in str(name):
        raise OSError(f"cannot load library '{name}': cannot open shared object file")
    return _dlopen(self, name, flags)
cffi.FFI.dlopen = dlopen
"""


def without_pango(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", NO_PANGO + code, *args], capture_output=True,
                          text=True, timeout=300, check=False, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_pdf_tests_skip_without_pango_saying_what_to_install():
    res = without_pango("import sys, pytest; sys.exit(pytest.main(sys.argv[1:]))",
                        "-q", "-rs", "-p", "no:cacheprovider",
                        "tests/test_report.py::test_pdf_has_pages_and_embeds_the_hangul_font")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "1 skipped" in res.stdout
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in res.stdout


def test_report_without_pango_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "report"
    res = without_pango("from siting.cli import app; app(prog_name='siting')",
                        "report", str(tmp_path / "any-run"), "--out-dir", str(out))
    assert res.returncode == 2, res.stderr
    (line,) = res.stderr.strip().splitlines()
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in line and "--no-pdf" in line
    assert res.stdout == "" and not out.exists()


# --- import cost and the lazy names ---------------------------------------------------------

HEAVY = ("pyomo", "pandas", "geopandas", "matplotlib", "highspy", "folium", "weasyprint")


def fresh(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_the_command_line_imports_no_heavy_library():
    res = fresh("import sys, json, siting.cli; "
                f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == []


def test_help_imports_no_heavy_library():
    res = fresh("import sys, json\nfrom siting.cli import app\n"
                "try:\n    app(['--help'], prog_name='siting')\nexcept SystemExit:\n    pass\n"
                f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout.splitlines()[-1]) == []


def test_documented_names_resolve_after_import_siting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    api = readme[readme.index("## Python API"):]
    api = api[:api.index("\n## ", 5)]
    documented = set(re.findall(r"\bsiting(?:\.[A-Za-z_]\w*)+", api))
    names = ["siting.outputs.plot.plot_map", "siting.outputs.webmap.web_map",
             "siting.outputs.report.write_report", "siting.outputs.mapdata.read_run_tables"]
    assert set(names) <= documented
    code = ("import siting, functools, json\n"
            f"names = {sorted(documented)!r} + ['siting.' + n for n in siting.__all__]\n"
            "bad = []\n"
            "for n in names:\n"
            "    try:\n"
            "        functools.reduce(getattr, n.split('.')[1:], siting)\n"
            "    except AttributeError as exc:\n"
            "        bad.append(f'{n}: {exc}')\n"
            "print(json.dumps(bad))")
    res = fresh(code)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == []
