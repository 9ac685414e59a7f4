"""Unit conversions of the model's cost terms."""

HOURS_PER_YEAR = 8760.0
GWH_PER_MW_YEAR = HOURS_PER_YEAR / 1000.0
BN_KRW_PER_GWH_AT_1_KRW_PER_KWH = 1e-3
"""1 GWh at 1 KRW/kWh costs 1e6 KRW = 1e-3 bn KRW."""
