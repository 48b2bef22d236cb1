"""What a plan's own text says about itself: title, issuer, document number, date issued and plan period.

Pure: text in, findings out. Each finding carries its evidence (the line it was read from), so ``ipcompare add``
can mark it "read from text" in ``documents.yaml``; what is not found stays empty and is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipcompare.extract.context import infer_plan_period
from ipcompare.extract.view import build_view

__all__ = ["Finding", "read_metadata"]

# How far from the start (and the end) of a text the heading block and the signature are looked for.
_HEAD_LINES = 25
_TAIL_LINES = 15
_TITLE_WORDS = re.compile(r"(规划|方案|纲要|计划|意见|通知|办法|要点|行动)")
_NOT_TITLE = re.compile(r"(访问量|浏览量|来源[:：]|发布时间|首页|当前位置|本文链接|关键词|字号|打印|分享)")
_ISSUER = re.compile(r"^(?P<issuer>.{2,40}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|领导小组|局))"
                     r"(?:关于印发|关于)")
_SIGNATURE = re.compile(r"(?P<issuer>[\u4e00-\u9fff（）()][\u4e00-\u9fff（）() ]{1,60}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|"
                        r"办公室|委员会|领导小组|局))\s*(?P<date>(?:19|20)\d\d年\d{1,2}月\d{1,2}日)?\s*$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（](?:19|20)\d\d[〕\]］)）]\d{1,4}号")
_DATE = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日")


@dataclass(frozen=True)
class Finding:
    """A value read from the text and the evidence it was read from."""

    value: str | tuple[int, int]
    evidence: str


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def _title(head: list[str]) -> Finding | None:
    for i, ln in enumerate(head):
        # Page furniture after the title (| |||| of a web table), a document number and 《》 around it are not the title.
        title = _DOC_NUMBER.sub("", ln.split(" |")[0], count=1).strip()
        if title.startswith("《") and title.endswith("》"):
            title = title[1:-1]
        if 6 <= len(title) <= 90 and _TITLE_WORDS.search(title) and not _NOT_TITLE.search(title):
            # A title wrapped over two lines: the next line closes a bracket or ends the title word.
            if i + 1 < len(head) and len(head[i + 1]) <= 30 and re.search(r"(年[)）]|规划|方案|通知)$", head[i + 1]) \
                    and not _TITLE_WORDS.search(title[-3:]):
                title += head[i + 1]
            return Finding(title, f"line: {ln[:60]}")
    return None


def read_metadata(text: str) -> dict[str, Finding]:
    """Title, issuer, document number, date issued (YYYY-MM-DD) and plan period found in ``text``, by field name
    of ``documents.yaml`` (``title_zh``, ``issuer_zh``, ``document_number``, ``date_issued``, ``plan_period``)."""
    lines = _lines(text)
    head, tail = lines[:_HEAD_LINES], lines[-_TAIL_LINES:]
    out: dict[str, Finding] = {}
    title = _title(head)
    if title:
        out["title_zh"] = title
        m = _ISSUER.match(str(title.value))
        if m:
            out["issuer_zh"] = Finding(m.group("issuer"), f"title: {title.value}")
    for ln in head + tail:
        m = _DOC_NUMBER.search(ln)
        # Only a number on a line of its own or leading the title line: documents cited in the body have them too.
        if m and "document_number" not in out and (m.start() == 0 or len(ln) <= 40):
            out["document_number"] = Finding(m.group(), f"line: {ln[:60]}")
    # The signature (issuer and date on the last lines, or after the opening notice) dates the document.
    for ln in tail + head:
        for part in re.split(r"\s{2,}|。", ln):
            m = _SIGNATURE.search(part.strip()[-80:])
            if m and m.group("date"):
                out.setdefault("issuer_zh", Finding(m.group("issuer"), f"signature: {part.strip()[-60:]}"))
                d = _DATE.search(m.group("date"))
                if d:
                    out.setdefault("date_issued", Finding(f"{d.group(1)}-{int(d.group(2)):02d}-{int(d.group(3)):02d}",
                                                          f"signature: {part.strip()[-60:]}"))
    if "date_issued" not in out:
        for ln in tail:
            d = _DATE.fullmatch(ln)
            if d:
                out["date_issued"] = Finding(f"{d.group(1)}-{int(d.group(2)):02d}-{int(d.group(3)):02d}", f"line: {ln}")
    period = infer_plan_period(build_view(text))
    if period is not None:
        out["plan_period"] = Finding((period.start, period.end), period.source)
    return out
