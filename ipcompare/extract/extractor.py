"""The extractor: a plan's text in, candidate statements and the list of skipped numbers out.

Pure: no I/O. One document at a time, so a corpus is streamed, never held.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from ipcompare.extract.candidates import NumberToken, Scanner, Skip
from ipcompare.extract.context import Candidate, DocContext, PlanPeriod, infer_plan_period
from ipcompare.extract.tables import read_tables
from ipcompare.extract.view import build_view
from ipcompare.extract.vocab import Vocabulary
from ipcompare.registry import Registry, load_registry

__all__ = ["Extraction", "Extractor", "extract_text"]


@dataclass
class Extraction:
    """What the extractor found in one document."""

    doc_id: str
    candidates: list[Candidate]
    skipped: list[Skip]
    period: PlanPeriod | None

    def rows(self) -> list[dict]:
        """Candidates as rows in the curated-statement columns plus confidence and reasons."""
        return [c.row(i) for i, c in enumerate(self.candidates, start=1)]

    def skip_counts(self) -> Counter:
        return Counter(s.reason for s in self.skipped)


class Extractor:
    """Holds the compiled vocabulary and scanner; ``extract`` is then called once per document."""

    def __init__(self, registry: Registry | None = None, drop_aliases: frozenset[str] | set[str] = frozenset()):
        self.registry = registry if registry is not None else load_registry()
        self.vocab = Vocabulary(self.registry, drop_aliases)
        self.scanner = Scanner(self.registry)

    def extract(self, text: str, doc_id: str = "", period: PlanPeriod | None = None) -> Extraction:
        """Candidates and skipped numbers of one plan's text; ``period`` overrides the inferred plan span."""
        view = build_view(text)
        tokens: list[NumberToken] = []
        skipped: list[Skip] = []
        for item in self.scanner.scan(view):
            if isinstance(item, NumberToken):
                tokens.append(item)
            else:
                skipped.append(item)
        period = period or infer_plan_period(view)
        table_candidates, cells = read_tables(text, self.vocab, period)
        if cells:  # numbers read from an indicator table are not read again as prose
            starts = [c.start for c in cells]

            def in_cell(o: int) -> bool:
                i = bisect_right(starts, o) - 1
                return i >= 0 and cells[i].start <= o < cells[i].end

            tokens = [t for t in tokens if not in_cell(view.start(t.num_start))]
            skipped = [s for s in skipped if not in_cell(s.start)]
        ctx = DocContext(view, self.vocab, tokens, period)
        candidates: list[Candidate] = []
        for t in tokens:
            found = ctx.resolve(t)
            if found:
                candidates.extend(found)
            else:
                a, b = view.start(t.num_start), view.end(t.end)
                skipped.append(Skip(a, b, text[a:b], "phrase"))
        if table_candidates:
            candidates = sorted(candidates + table_candidates, key=lambda c: (c.value_start, c.value_end))
        skipped.sort(key=lambda s: (s.start, s.end))
        return Extraction(doc_id, candidates, skipped, period)


def extract_text(text: str, doc_id: str = "", registry: Registry | None = None) -> Extraction:
    """Convenience: extract from one text with the project's registry."""
    return Extractor(registry).extract(text, doc_id)
