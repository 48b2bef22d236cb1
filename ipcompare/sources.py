"""Grading where a number was published: official, official_press, mirror or unknown.

Documents are graded by hand in ``data/raw/documents.yaml`` (with what was searched); reference rows, which are
many, by this rule on the URL's host. The rule is deliberately strict: only government sites and named state
media count; a repost of an official page on any other site is a mirror, however faithful it looks.
"""

from __future__ import annotations

from urllib.parse import urlparse

__all__ = ["grade_url", "GRADES"]

GRADES = ("official", "official_press", "mirror", "unknown")

# Government sites: every *.gov.cn host (ministries, provincial and city governments, statistics bureaus).
_OFFICIAL_SUFFIXES = (".gov.cn",)
# State media: Xinhua, People's Daily, Guangming Daily, China Economic Net, Science and Technology Daily, CCTV,
# China News Service, and the Party-run city papers cited here (郑州日报/中原网, 青岛新闻网).
_PRESS_SUFFIXES = ("news.cn", "xinhuanet.com", "people.com.cn", "gmw.cn", "ce.cn", "stdaily.com", "cctv.com",
                   "chinanews.com.cn", "zynews.cn", "qingdaonews.com")


def _matches(host: str, suffixes: tuple[str, ...]) -> bool:
    return any(host == s.lstrip(".") or host.endswith("." + s.lstrip(".")) for s in suffixes)


def grade_url(url: str | None) -> str:
    """The grade of a source URL by its host.

    >>> grade_url("http://tj.jiangsu.gov.cn/2019/nj03/nj0306.htm"), grade_url("https://epaper.gmw.cn/x.htm")
    ('official', 'official_press')
    >>> grade_url("https://maigoo.com/news/688394.html"), grade_url("unknown"), grade_url("https://notgov.cn/")
    ('mirror', 'unknown', 'mirror')
    """
    host = (urlparse(url).hostname or "") if url and url.startswith(("http://", "https://")) else ""
    if not host:
        return "unknown"
    if _matches(host, _OFFICIAL_SUFFIXES):
        return "official"
    if _matches(host, _PRESS_SUFFIXES):
        return "official_press"
    return "mirror"
