"""The Hangul font of maps and reports: NanumGothic, as shipped by ``koreanize-matplotlib``.

The package is only used as a font carrier: importing it would change matplotlib's global
settings (and it imports ``distutils``, gone in Python 3.12), so its files are located
without importing it.
"""

from __future__ import annotations

import base64
import importlib.util
import io
from functools import cache
from pathlib import Path

from ..errors import SitingError

FAMILY = "NanumGothic"
"""Family name of the bundled font, as matplotlib and CSS know it."""


def font_path(bold: bool = False) -> Path:
    """Path of ``NanumGothic.ttf`` (or ``NanumGothicBold.ttf``).

    Raises
    ------
    SitingError
        When ``koreanize-matplotlib`` is not installed.
    """
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise SitingError("the Hangul font is missing: pip install koreanize-matplotlib")
    name = "NanumGothicBold.ttf" if bold else "NanumGothic.ttf"
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / name
    if not path.is_file():
        raise SitingError(f"the Hangul font {path} is missing: reinstall koreanize-matplotlib")
    return path


@cache
def register_matplotlib() -> list[str]:
    """Make the font known to matplotlib (once); return the font.family list to use.

    NanumGothic covers Hangul, Latin and the symbols the maps use (en dash, proportional
    sign, arrows) except U+2212, so ``axes.unicode_minus`` must be off; a missing glyph
    makes matplotlib warn (and the tests fail).
    """
    from matplotlib import font_manager

    for bold in (False, True):
        font_manager.fontManager.addfont(str(font_path(bold)))
    return [FAMILY]


def font_face_css(text: str, bold: bool = True) -> str:
    """``@font-face`` rules with the font subset to the characters of ``text``, inlined.

    Keeps a self-contained HTML report small (a few tens of kB instead of 9 MB) and gives
    WeasyPrint and browsers without a Korean system font the same glyphs. Without
    ``bold``, only the regular weight is embedded (browsers synthesize bold).
    """
    rules = []
    for weight in ("normal", "bold") if bold else ("normal",):
        data = _subset(font_path(weight == "bold"), "".join(sorted(set(text))))
        b64 = base64.b64encode(data).decode("ascii")
        rules.append(f"@font-face {{ font-family: '{FAMILY}'; font-weight: {weight}; "
                     f"src: url(data:font/ttf;base64,{b64}) format('truetype'); }}")
    return "\n".join(rules)


def _subset(path: Path, chars: str) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]
    options.hinting = False
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]  # hinting sources
    font = subset.load_font(str(path), options)
    try:
        sub = subset.Subsetter(options)
        sub.populate(text=chars + " 0123456789")
        sub.subset(font)
        buf = io.BytesIO()
        font.save(buf)
    finally:
        font.close()
    return buf.getvalue()
