"""Headless Chromium (the Debian package) driven through its command line, for the site's browser tests and
for screenshots: ``python tests/chromium.py site/zh/index.html shot.png [width] [height]``.

The browser is started cut off from the network (no background networking, updates or sync) with a fresh
profile. Chinese is drawn with the Noto Sans SC the project already installs from PyPI (a fontconfig file
adds its folder), so a machine without system CJK fonts renders the pages as a reader's device would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["find_chromium", "dump_dom", "screenshot"]

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--disable-extensions", "--mute-audio"]


def find_chromium() -> str | None:
    """The chromium executable, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _env(tmp: Path) -> dict[str, str]:
    from ipcompare.report.fonts import sans_path

    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{sans_path().parent}</dir><cachedir>{tmp / 'fc-cache'}</cachedir></fontconfig>", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(tmp)}


def _run(args: list[str], timeout: float = 60) -> subprocess.CompletedProcess:
    exe = find_chromium()
    if exe is None:
        raise FileNotFoundError("chromium not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="ipc-chromium-") as d:
        tmp = Path(d)
        cmd = [exe, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=_env(tmp), check=False)


def url_of(path: Path | str, query: str = "", fragment: str = "") -> str:
    """A file:// URL with an optional ?query and #fragment."""
    return Path(path).resolve().as_uri() + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def dump_dom(url: str, budget_ms: int = 5000) -> str:
    """The DOM after the page's scripts ran, as HTML."""
    res = _run([f"--virtual-time-budget={budget_ms}", "--dump-dom", url])
    if res.returncode != 0 or "<html" not in res.stdout:
        raise RuntimeError(f"chromium --dump-dom {url} failed ({res.returncode}): {res.stderr[-500:]}")
    return res.stdout


def screenshot(url: str, png: Path, width: int = 1280, height: int = 2000) -> Path:
    """A PNG of the page at ``width`` × ``height`` CSS pixels."""
    res = _run([f"--screenshot={Path(png).resolve()}", f"--window-size={width},{height}", url])
    if res.returncode != 0 or not Path(png).exists():
        raise RuntimeError(f"chromium --screenshot {url} failed ({res.returncode}): {res.stderr[-500:]}")
    return Path(png)


if __name__ == "__main__":
    page, out = sys.argv[1], Path(sys.argv[2])
    w, h = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (1280, 2000)
    if "://" not in page:
        rest, _, fragment = page.partition("#")
        path, _, query = rest.partition("?")
        page = url_of(path, query, fragment)
    print(screenshot(page, out, w, h))
