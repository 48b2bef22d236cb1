"""The static site: ``ipcompare site`` renders the dataset as HTML pages (zh and en) in which every value links
to its highlighted passage in the source document. See :mod:`ipcompare.site.build` and ``links`` (the layout)."""

from ipcompare.site.build import render_site, write_site

__all__ = ["render_site", "write_site"]
