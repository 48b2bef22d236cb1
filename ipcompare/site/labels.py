"""The site's own words in zh and en (data labels come from the registry and the dataset)."""

from __future__ import annotations

__all__ = ["LABELS", "KIND", "MEASURE_WORDS"]

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "site": "ipcompare 城市知识产权规划目标", "home": "首页", "browser": "数据浏览", "reference": "参考数据",
        "other_lang": "English", "other_lang_code": "en",
        "intro": "本站汇集中国城市知识产权规划中的量化目标与基期值，每一个数值都链接到规划原文中的出处（高亮显示）。"
                 "比较只在同一指标、同一口径、同一单位、可比时期之间进行；无法比较的列出原因。",
        "geos": "城市与全国", "plan": "规划", "period": "规划期", "n_targets": "目标数", "n_baselines": "基期值数",
        "headline": "主要目标", "headline_note": "至少三个地区可同口径比较的指标，各地最近目标年的数值；点击数值查看原文出处。",
        "progress": "目标进展", "downloads": "下载数据", "licence": "许可", "cite": "引用格式",
        "licence_text": "数据采用 CC BY 4.0 许可，注明出处即可自由使用。引文摘自政府文件，依《著作权法》第五条不受著作权保护。",
        "version": "数据版本", "file": "文件", "size": "大小", "what": "内容",
        "key_findings": "要点", "comparisons": "一、与可比城市及全国比较", "targets": "二、主要量化目标",
        "growth": "三、从基期到目标所需的增速", "checks": "四、一致性检查", "not_compared": "五、未比较的指标及原因",
        "statements": "附：规划全部量化表述", "pdf": "PDF 报告", "no_comparison": "没有与可比城市或全国同口径、同时期的目标。",
        "no_growth": "规划未给出与目标同口径的基期值，无法计算所需增速。",
        "growth_intro": "基期值由规划本身给出，与目标同一指标、同一口径；计数与人均存量按复合年增长率，得分与占比按每年变化计算。",
        "all_compared": "所有目标均已比较。", "indicator": "指标", "comparable": "可同口径比较",
        "incomparable": "不可比较及原因", "why": "原因", "all_obs": "在数据浏览中查看该指标的全部观测值",
        "target": "目标", "baseline": "基期值", "geo": "地区", "value": "数值", "year": "年份", "measure": "口径",
        "kind": "类型", "quote": "原文", "commitment": "承诺", "flags": "标记", "mentions": "提及次数",
        "filter_all": "全部", "sort": "排序", "shown": "显示", "rows": "行", "reset": "重置",
        "doc_meta": "文件信息", "issuer": "发布机关", "date": "发布日期", "source": "来源", "grade": "来源等级",
        "sha256": "SHA-256", "doc_text": "原文（高亮处为已提取的量化表述，点击 ↗ 查看对应观测值）",
        "computed": "计算值，无单一原文出处", "chart_note": "点击条形或数值查看原文出处。",
        "indicators": "指标", "documents": "原文", "ref_intro": "来自规划以外的数值（人口、GDP、全国实际值与目标），每行附来源网址、发布者、日期与原文。",
        "not_usable": "不使用", "publisher": "发布者", "note": "说明", "progress_none": "",
        "bench_nation": "全国", "no_js": "筛选与排序需要 JavaScript；未启用时显示全部行。",
        "print_note": "", "statement": "表述", "no_value": "（OCR无法辨认）", "nation_page": "全国规划", "status": "进展", "indicators_note": "按类别列出有观测值的指标，括号内为设定该指标的地区数。",
    },
    "en": {
        "site": "ipcompare: targets of Chinese cities' IP plans", "home": "Home", "browser": "Browse the data",
        "reference": "Reference data", "other_lang": "中文", "other_lang_code": "zh",
        "intro": "The quantified targets and baselines of Chinese cities' intellectual-property (知识产权) plans, each "
                 "value linked to the exact words of the plan it comes from, highlighted. Values are compared only "
                 "like with like (same indicator, measure, unit and period); what is not compared is listed with "
                 "the reason.",
        "geos": "Cities and the nation", "plan": "Plan", "period": "Period", "n_targets": "Targets",
        "n_baselines": "Baselines", "headline": "Headline targets",
        "headline_note": "Indicators comparable on the same basis in at least three places, each place's latest "
                         "target; click a value to see its source passage.",
        "progress": "Progress where known", "downloads": "Download the data", "licence": "Licence",
        "cite": "Cite as",
        "licence_text": "Data licensed CC BY 4.0: reuse freely with attribution. The quotes are excerpts of "
                        "Chinese government documents, outside copyright under Article 5 of the PRC Copyright Law.",
        "version": "Dataset version", "file": "File", "size": "Size", "what": "Contents",
        "key_findings": "Key findings", "comparisons": "1. Against comparable peers and the nation",
        "targets": "2. Main quantified targets", "growth": "3. Growth required from baseline to target",
        "checks": "4. Consistency checks", "not_compared": "5. Not compared, and why",
        "statements": "Annex: all quantified statements of the plan", "pdf": "PDF report",
        "no_comparison": "No target is comparable on the same basis and period with peers or the nation.",
        "no_growth": "The plan gives no baseline on the same basis as its targets, so no required growth can be "
                     "computed.",
        "growth_intro": "Baselines as the plan states them, same indicator and basis; compound growth for counts "
                        "and per-capita stocks, change per year for scores and shares.",
        "all_compared": "Every target was compared.", "indicator": "Indicator", "comparable": "Comparable",
        "incomparable": "Not comparable, and why", "why": "Why", "all_obs": "All observations of this indicator "
        "in the data browser", "target": "target", "baseline": "baseline", "geo": "Place", "value": "Value",
        "year": "Year", "measure": "Measure", "kind": "Kind", "quote": "Source text", "commitment": "Commitment",
        "flags": "Flags", "mentions": "Mentions", "filter_all": "all", "sort": "Sort", "shown": "Showing",
        "rows": "rows", "reset": "Reset", "doc_meta": "Document", "issuer": "Issuer", "date": "Issued",
        "source": "Source", "grade": "Source grade", "sha256": "SHA-256",
        "doc_text": "Text (highlighted: the quantified statements read from it; ↗ opens the observation)",
        "computed": "computed value, no single source passage", "chart_note": "Click a bar or value to see its "
        "source passage.", "indicators": "Indicators", "documents": "Source documents",
        "ref_intro": "Values from outside the plans (population, GDP, national actuals and targets), each with its "
                     "URL, publisher, date and quote.",
        "not_usable": "not used", "publisher": "Publisher", "note": "Note", "progress_none": "",
        "bench_nation": "the nation", "no_js": "Filtering and sorting need JavaScript; without it every row is "
        "shown.", "print_note": "", "statement": "Statement", "no_value": " (unreadable in OCR)",
        "nation_page": "National plan", "status": "Status",
        "indicators_note": "Indicators with observations, by group; in brackets the number of places that set them.",
    },
}

KIND = {"zh": {"target": "目标", "baseline": "基期值"}, "en": {"target": "target", "baseline": "baseline"}}
MEASURE_WORDS = {"zh": {"firm": "约束", "aspirational": "力争"}, "en": {"firm": "firm", "aspirational": "aspirational"}}
