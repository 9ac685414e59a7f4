"""The words of the report and the maps in English and Korean (``--lang en|ko``).

Names of places and sites come from the data (``name`` / ``name_ko`` columns); the fixed
texts are translated here by :func:`tr`, a small table keyed by the English text (a text
without a Korean entry is shown in English). :data:`LIMITS` names each binding limit of
``binding.csv`` as a planner reads it, and says whether it is a goal of the plan (targets,
commitments) rather than a limit, so that goals are never counted among binding limits.
"""

from __future__ import annotations

import re

import pandas as pd

LANGS = ("en", "ko")
"""Report languages."""

LIMITS: dict[str, tuple[str, str, bool]] = {
    "site_modules_upper": ("site at its maximum size", "부지 최대 규모", False),
    "national_target": ("national capacity target", "국가 목표 용량", True),
    "site_committed": ("committed project", "확정 사업", True),
    "node_headroom": ("grid-node headroom", "변전소 여유 용량", False),
    "province_balance": ("province's spare supply and imports", "시도 공급 여유 및 수입",
                         False),
    "corridor_flow_limit": ("transfer limit between provinces", "시도 간 송전 한계", False),
    "site_renewable_share": ("site's minimum renewable share", "부지 최소 재생에너지 비율",
                             False),
    "zone_potential": ("renewable zone's output", "재생에너지 구역 출력", False),
    "capital_region_cap": ("capital-region cap", "수도권 상한", False),
    "capital_region_floor": ("capital-region minimum", "수도권 하한", False),
    "province_cap": ("cap on one province", "단일 시도 상한", False),
    "host_provinces_lower": ("minimum number of host provinces", "최소 입지 시도 수", False),
    "demand_served": ("demand served in full", "수요 충족", True),
    "site_service_capacity": ("service within a site's capacity", "부지 서비스 용량", False),
}
"""Limit name of ``binding.csv`` -> (English, Korean, is a goal of the plan)."""

GRID_FAMILIES = ("grid", "network", "supply")
"""Families whose limits are grid elements (loading chart, grid-limit count)."""

COSTS = {"capex": ("capital cost", "자본비"), "energy": ("electricity", "전력비"),
         "grid_connection": ("grid connection", "계통 연결"),
         "renewable": ("renewable premium", "재생에너지 할증"),
         "transmission": ("transmission", "송전"), "service": ("serving demand", "서비스"),
         "reinforcement": ("grid reinforcement", "계통 보강"),
         "supply": ("on-site supply", "자체 공급")}
"""Cost component of ``costs.csv`` (column ``<name>_bn_krw_per_yr``) -> (English, Korean)."""

_KO = {
    "Decision": "결정", "Charts": "그래프", "Tables": "표", "Appendix": "부록",
    "Province": "시도", "Site": "부지", "Total": "합계", "period": "기간",
    "capital-region share of IT MW": "수도권 비중(IT MW)",
    "renewable share of facility energy": "재생에너지 비중",
    "installed IT capacity [MW]": "설치 IT 용량 [MW]",
    "sites open": "운영 부지 수", "host provinces": "입지 시도 수",
    "annual cost [bn KRW/yr]": "연간 비용 [십억 원/년]",
    "present value of the period [bn KRW]": "기간 현재가치 [십억 원]",
    "total cost, present value [bn KRW]": "총비용 현재가치 [십억 원]",
    "IT MW by province": "시도별 IT MW",
    "The limits that shape the plan": "계획을 좌우하는 제약",
    "What relaxing each is worth": "완화의 가치",
    "What would change the answer": "결과를 바꿀 요인",
    "Cost of each policy": "정책별 비용",
    "limit": "제약", "where": "위치", "periods": "기간",
    "worth of one unit more [bn KRW, present value]": "1단위 완화 가치 [십억 원, 현재가치]",
    "unit": "단위", "policy": "정책", "total cost [bn KRW]": "총비용 [십억 원]",
    "Capacity by province and period": "시도·기간별 용량",
    "Annual cost by component": "항목별 연간 비용",
    "Loading of the most loaded grid elements": "부하율 상위 계통 요소",
    "Map": "지도", "Sites built": "건설 부지", "Provinces": "시도",
    "Binding limits": "활성 제약", "Corridor flows": "송전 흐름",
    "Solver": "솔버", "Settings": "설정", "Data sources and inputs": "자료 출처 및 입력",
    "setting": "설정", "value": "값", "key": "키", "name": "이름", "kind": "유형",
    "first built": "최초 건설", "max IT MW": "최대 IT MW", "renewable share": "재생에너지 비중",
    "capital region": "수도권", "yes": "예", "first built {p}": "{p}년 최초 건설",
    "candidate site, not built": "후보지(미건설)", "no flow": "흐름 없음",
    "not yet in service": "미운영", "none": "없음",
    "Data centres (area ∝ IT MW)": "데이터센터 (면적 ∝ IT MW)",
    "New IT capacity by province, {p}": "{p}년 시도별 신규 IT 용량",
    "Corridor flow, {p} (width ∝ MW)": "{p}년 송전 흐름 (폭 ∝ MW)",
    "Renewable zones (area ∝ potential)": "재생에너지 구역 (면적 ∝ 잠재량)",
    "AI data centres and the grid, {p}": "{p}년 AI 데이터센터와 전력망",
    "solar": "태양광", "onshore wind": "육상풍력", "offshore wind": "해상풍력",
    "By {p}: {it} MW of IT capacity at {n} sites in {h} provinces ({where} MW); {cap} in "
    "the capital region, renewable share {re}.":
        "{p}년까지: {h}개 시도 {n}개 부지에 IT 용량 {it} MW ({where} MW); 수도권 {cap}, "
        "재생에너지 비중 {re}.",
    "Total cost over all periods: {v} bn KRW (present value).":
        "전 기간 총비용: {v} 십억 원 (현재가치).",
    "What would change the answer:": "결과를 바꿀 요인:",
    "- One {unit} more for the {limit} at {id} in {p} would save about {v} bn KRW (present "
    "value).": "- {p}년 {id}의 {limit}을(를) 1 {unit} 완화하면 약 {v} 십억 원(현재가치)이 "
    "절감됩니다.",
    "- {n} sites are built to their maximum size in {p} ({sites}): larger sites or more "
    "candidate sites would move capacity.": "- {p}년 {n}개 부지가 최대 규모로 건설됩니다 "
    "({sites}): 부지 규모 확대나 후보지 추가가 용량 배치를 바꿉니다.",
    "- The minimum number of host provinces binds ({note}): a lower minimum would "
    "concentrate capacity.": "- 최소 입지 시도 수 제약이 활성입니다 ({note}): 기준을 낮추면 "
    "용량이 집중됩니다.",
    "- The dearest policy is {p}: without it the plan costs {v} bn KRW less.":
        "- 가장 비용이 큰 정책은 {p}입니다: 이 정책이 없으면 {v} 십억 원이 절감됩니다.",
    "- No limit other than the targets binds.": "- 목표 외에 활성 제약이 없습니다.",
    "not priced (whole modules or sites)": "가격 없음 (모듈·부지 단위 결정)",
    "binding rows": "활성 행 수", "Map by period": "기간별 지도",
    "AI data-centre siting: {name}, run {run}": "AI 데이터센터 입지: {name}, 실행 {run}",
    "Key figures": "주요 지표", "indicator": "지표", "Goals of the plan met exactly "
    "(targets and commitments)": "정확히 달성된 계획 목표 (목표·확정 사업)",
    "loading": "부하율", "under 50 %": "50 % 미만", "90–100 % (binding)": "90–100 % (한계)",
}


def tr(text: str, lang: str = "en", **values) -> str:
    """``text`` in ``lang`` (English when the table has no Korean for it), formatted with
    ``values``."""
    out = _KO.get(text, text) if lang == "ko" else text
    return out.format(**values) if values else out


def limit_name(limit: str, lang: str = "en") -> str:
    """A limit as a planner reads it (the internal name when it is not in :data:`LIMITS`)."""
    words = LIMITS.get(limit)
    if words is None:
        return limit.replace("_", " ")
    return words[1] if lang == "ko" else words[0]


def is_goal(limit: str) -> bool:
    """Whether a limit states a goal of the plan (a target or commitment)."""
    return LIMITS.get(limit, ("", "", False))[2]


def cost_name(component: str, lang: str = "en") -> str:
    """A cost component as a planner reads it."""
    en, ko = COSTS.get(component, (component.replace("_", " "), component))
    return ko if lang == "ko" else en


def short_name(name: str) -> str:
    """A site's name without its qualifiers: the text before the first `` (`` or ``, ``
    (``Solaseado DC Park, Sani-myeon, Haenam (hosts ...)`` -> ``Solaseado DC Park``)."""
    return re.split(r" \(|, | / ", str(name), maxsplit=1)[0].strip() or str(name)


def place_names(df: pd.DataFrame, key: str, lang: str) -> pd.Series:
    """Name per ``key`` in ``lang``: ``name_ko`` for Korean (falling back to the English
    ``name`` or the id when empty), ``name`` (or the id) for English."""
    d = df.drop_duplicates(key).set_index(key)
    en = d["name"].astype(str) if "name" in d else pd.Series(d.index, index=d.index)
    if lang != "ko" or "name_ko" not in d:
        return en
    ko = d["name_ko"].map(lambda v: "" if pd.isna(v) else str(v))
    return ko.where(ko.str.len() > 0, en)
