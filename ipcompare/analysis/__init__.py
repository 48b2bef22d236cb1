"""Comparisons and gap analyses that compare only like with like (DESIGN §4).

One comparability model (:mod:`ipcompare.analysis.comparability`) decides every comparison; every result row
says whether it is comparable and which caveats apply. Functions are pure: a :class:`~ipcompare.dataset.Dataset`
in, a DataFrame or a number out.

- :mod:`.pool` — the rows compared (cities + national benchmarks) and the rule that resolves conflicts
- :mod:`.denominators` — population and GDP with their vintages; per-capita and per-GDP intensities
- :mod:`.compare`, :mod:`.gaps`, :mod:`.growth`, :mod:`.checks`
"""

from ipcompare.analysis.checks import consistency_checks, coverage
from ipcompare.analysis.comparability import RULES, Rules, Verdict, caveat_text, is_absolute, verdict
from ipcompare.analysis.compare import compare
from ipcompare.analysis.denominators import (
           IncomparableError,
           MissingDenominator,
           gdp,
           intensity,
           per_capita,
           population,
)
from ipcompare.analysis.gaps import gaps, split_members
from ipcompare.analysis.growth import align_year, baseline_pairs, project, required_growth
from ipcompare.analysis.pool import CONFLICT_RULE, NATIONAL, national_benchmarks


def __getattr__(name: str):
    # ipcompare.progress memoises with analysis.memo: imported here on first use, not at import, so that either
    # module can be imported first.
    if name == "progress":
        from ipcompare.progress import progress

        return progress
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["IncomparableError", "MissingDenominator", "NATIONAL", "RULES", "Rules", "Verdict", "CONFLICT_RULE",
           "verdict", "is_absolute", "caveat_text", "compare", "per_capita", "population", "gdp", "intensity",
           "required_growth", "project", "baseline_pairs", "align_year", "gaps", "split_members", "coverage", "consistency_checks",
           "national_benchmarks", "progress"]
