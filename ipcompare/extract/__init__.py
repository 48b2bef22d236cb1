"""Draft the statements of a plan automatically: every quantified phrase with its quote, offsets and reading.

``ipcompare extract PATH`` (see ``cli``) reads a plan as text, HTML or PDF (``readers``), finds every number
(``candidates``), reads its context (``context``) with the registry's vocabulary (``vocab``), and lists each
number it skips with the reason (``audit``). How it works and how well: docs/extractor.md.
"""

from ipcompare.extract.candidates import SKIP_REASONS, Skip
from ipcompare.extract.context import Candidate, PlanPeriod
from ipcompare.extract.extractor import Extraction, Extractor, extract_text

__all__ = ["Candidate", "Extraction", "Extractor", "PlanPeriod", "SKIP_REASONS", "Skip", "extract_text"]
