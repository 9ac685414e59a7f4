"""The README's set-up: warnings policy of the suite."""

from __future__ import annotations

import warnings

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
