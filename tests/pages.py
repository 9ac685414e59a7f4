"""Helpers to check HTML pages: tables by id, popups of the web map, headless Chromium."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="needs Debian's chromium (apt-get install chromium)")


def pdf_missing() -> str | None:
    """Why WeasyPrint cannot make a PDF here (what to install), or None when it can."""
    from siting.errors import SitingError
    from siting.outputs.report import load_weasyprint

    try:
        load_weasyprint()
    except SitingError as exc:
        return str(exc)
    return None


PDF_MISSING = pdf_missing()
needs_pdf = pytest.mark.skipif(PDF_MISSING is not None, reason=f"needs WeasyPrint's system "
                               f"libraries: {PDF_MISSING}")


class TableParser(HTMLParser):
    """Collect every ``<table id=...>`` as a list of rows ``{data-col: cell text}``, and
    every ``src``/``href`` attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[dict[str, str]]] = {}
        self.links: list[str] = []
        self._table: str | None = None
        self._row: dict[str, str] | None = None
        self._col: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.links += [a[k] for k in ("src", "href") if k in a]
        if tag == "table":
            self._table = a.get("id", f"table{len(self.tables)}")
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self._row = {}
        elif tag == "td" and self._row is not None:
            self._col = a.get("data-col", str(len(self._row)))
            self._row[self._col] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self._col = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._col is not None and self._row is not None:
            self._row[self._col] += data


def parse(page: str) -> TableParser:
    p = TableParser()
    p.feed(page)
    return p


def number(text: str) -> float:
    """'1,234.5' -> 1234.5; '12.5 %' -> 0.125."""
    t = text.strip().replace(",", "")
    return float(t[:-1]) / 100 if t.endswith("%") else float(t)


def popups(page: str) -> list[str]:
    """HTML strings bound with ``bindPopup`` in a folium page (JSON string literals)."""
    dec = json.JSONDecoder()
    return [dec.raw_decode(page, m.end())[0] for m in re.finditer(r"\.bindPopup\(", page)
            if page[m.end()] == '"']


def popup_tables(page: str, kind: str) -> dict[str, list[dict[str, str]]]:
    """Rows of the table in each popup of ``kind``, keyed by the popup's data-id."""
    out = {}
    for html in popups(page):
        m = re.match(rf'<div class="siting-popup" data-kind="{kind}" data-id="([^"]+)"', html)
        if m:
            assert m.group(1) not in out, f"two popups for {kind} {m.group(1)}"
            (rows,) = parse(html).tables.values()
            out[m.group(1)] = rows
    return out


def chromium(url: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    """Run headless Chromium offline on a file, with console messages logged to stderr."""
    with tempfile.TemporaryDirectory() as profile:
        cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
               "--enable-logging=stderr", "--v=0", *args, Path(url).resolve().as_uri()]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              check=False)


def console_messages(stderr: str) -> list[str]:
    """Lines Chromium logged for the page's console (errors, uncaught exceptions, logs)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
