"""The extractor: a plan's text in, candidate statements and the list of skipped numbers out.

Pure: no I/O. One document at a time, so a corpus is streamed, never held; one big document is read in parts
(``Extractor.stream``, parts.py), so it is streamed too.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import chain

from ipcompare.extract.candidates import NumberToken, Scanner, Skip
from ipcompare.extract.context import Candidate, DocContext, PlanPeriod, YearTally, is_lead_phrase, period_from_heading
from ipcompare.extract.parts import CARRIED, LOOKAHEAD, PART_SIZE, Carry, split_parts
from ipcompare.extract.tables import read_tables
from ipcompare.extract.view import TextView, build_view
from ipcompare.extract.vocab import Vocabulary
from ipcompare.registry import Registry, load_registry

__all__ = ["Extraction", "Extractor", "Part", "extract_text"]


@dataclass
class Extraction:
    """What the extractor found in one document."""

    doc_id: str
    candidates: list[Candidate]
    skipped: list[Skip]
    period: PlanPeriod | None

    def rows(self, start: int = 1) -> list[dict]:
        """Candidates as rows in the curated-statement columns plus confidence and reasons, numbered from
        ``start`` (a later part of a streamed document continues the numbering)."""
        return [c.row(i) for i, c in enumerate(self.candidates, start=start)]

    def skip_counts(self) -> Counter:
        return Counter(s.reason for s in self.skipped)


@dataclass
class Part:
    """What the extractor found in one part of a document (offsets in the whole text), with the text around it."""

    extraction: Extraction
    text: str
    offset: int
    before: str  # up to 40 characters before the part
    after: str  # up to parts.LOOKAHEAD characters after it


@dataclass
class _PartView:
    offset: int
    text: str
    after: str
    view: TextView  # the view of text + after
    n_len: int  # view positions of ``text``: view.norm[:n_len]


class Extractor:
    """Holds the compiled vocabulary and scanner; ``extract`` is then called once per document."""

    def __init__(self, registry: Registry | None = None, drop_aliases: frozenset[str] | set[str] = frozenset()):
        self.registry = registry if registry is not None else load_registry()
        self.vocab = Vocabulary(self.registry, drop_aliases)
        self.scanner = Scanner(self.registry)

    def extract(self, text: str, doc_id: str = "", period: PlanPeriod | None = None,
                part_size: int = PART_SIZE) -> Extraction:
        """Candidates and skipped numbers of one plan's text; ``period`` overrides the inferred plan span.

        A long text is read in parts of about ``part_size`` characters (``stream``); the result is the same.
        """
        candidates: list[Candidate] = []
        skipped: list[Skip] = []
        for part in self.stream(lambda: (text,), doc_id, period, part_size):
            candidates.extend(part.extraction.candidates)
            skipped.extend(part.extraction.skipped)
            period = part.extraction.period
        return Extraction(doc_id, candidates, skipped, period)

    def stream(self, open_chunks: Callable[[], Iterable[str]], doc_id: str = "", period: PlanPeriod | None = None,
               part_size: int = PART_SIZE) -> Iterator[Part]:
        """Extract one document part by part (parts.py), holding one part and the next one's first characters.

        ``open_chunks()`` gives the text in chunks of any size; it is called a second time only when neither
        ``period`` nor the plan's heading gives the plan's span, which is then read from the whole text first.
        """
        views = self._views(open_chunks(), part_size)
        first = next(views, None)
        if first is None:
            return
        if period is None:
            period = period_from_heading(first.view)
        if period is None:
            tally = YearTally().add(first.view.norm[: first.n_len])
            second = next(views, None)
            if second is None:
                views = iter(())
            else:
                for pv in chain((second,), views):
                    tally.add(pv.view.norm[: pv.n_len])
                views = self._views(open_chunks(), part_size)
                first = next(views)
            period = tally.period()
        carry = Carry()
        for pv in chain((first,), views):
            extraction, next_carry = self._part(pv, doc_id, period, carry)
            yield Part(extraction, pv.text, pv.offset, carry.before, pv.after)
            carry = next_carry

    @staticmethod
    def _views(chunks: Iterable[str], size: int) -> Iterator[_PartView]:
        """Views of the parts; a part whose view does not end a sentence (or, first, is too short to hold the
        plan's heading) is joined to the next one, so a part's view is always a slice of the whole text's view."""
        parts = split_parts(chunks, size)
        pending, nxt = next(parts, None), next(parts, None)
        first = True
        while pending is not None:
            offset, text = pending
            after = nxt[1][:LOOKAHEAD] if nxt is not None else ""
            view = build_view(text + after)
            n_len = len(view.norm) - (len(build_view(after).norm) if after else 0)
            if after and (not 0 < n_len or view.norm[n_len - 1] not in "\n。!?" or (first and n_len < 400)):
                pending, nxt = (offset, text + nxt[1]), next(parts, None)
                continue
            yield _PartView(offset, text, after, view, n_len)
            first = False
            pending, nxt = nxt, next(parts, None)

    def _part(self, pv: _PartView, doc_id: str, period: PlanPeriod | None,
              carry: Carry) -> tuple[Extraction, Carry]:
        """Candidates and skipped numbers of one part (offsets in the whole text), and what it leaves the next."""
        view, n_len, size = pv.view, pv.n_len, len(pv.text)
        tokens: list[NumberToken] = []
        skipped: list[Skip] = []
        for item in self.scanner.scan(view, None if carry.first else 0, carry.in_book):
            if isinstance(item, NumberToken):
                tokens.append(item)  # those of the look-ahead too: the context sees what follows a number
            elif item.start < size:
                skipped.append(item)
        table_candidates, cells, table = read_tables(pv.text, self.vocab, period, carry.table)
        if cells:  # numbers read from an indicator table are not read again as prose
            starts = [c.start for c in cells]

            def in_cell(o: int) -> bool:
                i = bisect_right(starts, o) - 1
                return i >= 0 and cells[i].start <= o < cells[i].end

            tokens = [t for t in tokens if not in_cell(view.start(t.num_start))]
            skipped = [s for s in skipped if not in_cell(s.start)]
        ctx = DocContext(view, self.vocab, tokens, period, carry)
        candidates: list[Candidate] = []
        text = view.text
        for t in tokens:
            if t.num_start >= n_len:
                break
            found = ctx.resolve(t)
            if found:
                candidates.extend(found)
            else:
                a, b = view.start(t.num_start), view.end(t.end)
                skipped.append(Skip(a, b, text[a:b], "phrase"))
        if table_candidates:
            candidates = sorted(candidates + table_candidates, key=lambda c: (c.value_start, c.value_end))
        skipped.sort(key=lambda s: (s.start, s.end))
        off = pv.offset
        if off:
            for c in candidates:
                c.quote_start += off
                c.quote_end += off
                c.value_start += off
                c.value_end += off
            skipped = [Skip(s.start + off, s.end + off, s.text, s.reason) for s in skipped]
        out = _carry_out(ctx, carry, n_len, pv.text, period)
        out.table = table
        return Extraction(doc_id, candidates, skipped, period), out


def _carry_out(ctx: DocContext, carry: Carry, n_len: int, text: str, period: PlanPeriod | None) -> Carry:
    """The state the next part needs: the section heading, its last lead year phrase, an open 《, text before."""
    heads = [h for h in ctx.headings if h[0] < n_len]
    top = next((h for h in reversed(heads) if h[3]), None)
    last = heads[-1] if heads else None
    out = Carry(first=False, issue_year=ctx.issue_year, in_book=ctx.in_book(n_len),
                before=(carry.before + text[-40:])[-40:])
    out.top = (CARRIED, *top[1:]) if top else None
    out.heading = (CARRIED, *last[1:]) if last is not None and last is not top else None
    lo = ctx.section_start(n_len - 1)
    start = period.start if period else None
    for ph in reversed(ctx.phrases[bisect_left(ctx.phrase_pos, lo) : bisect_left(ctx.phrase_pos, n_len)]):
        if is_lead_phrase(ph, start):
            out.lead = replace(ph, start=CARRIED, end=CARRIED)
            out.lead_text = carry.lead_text if ph.start < 0 else ctx.s[ph.start : ph.end]
            break
    return out


def extract_text(text: str, doc_id: str = "", registry: Registry | None = None) -> Extraction:
    """Convenience: extract from one text with the project's registry."""
    return Extractor(registry).extract(text, doc_id)
