"""``make audit``: what a phone reader gets, measured with the real tools.

Builds the site, serves it with gzip as any static host does, and reports Lighthouse (mobile) for
the main page types, the Nu HTML checker's errors in our own markup and in Material's, and
LinkChecker over the whole site. axe-core runs in the test suite (tests/test_browser.py).
Needs Debian's chromium and Java; the npm tools come from tests/audit/package-lock.json.
"""

from __future__ import annotations

import argparse
import collections
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(__file__).resolve().parent / "node_modules"
PAGES = {"home": "", "case": "cases/jiushengci-fengchao/", "browse": "browse/", "metric": "metrics/hongxin-wuye-xiaoqu/",
         "data": "data/", "edit": "edit/",
         "compare": "compare/?c=jiushengci-fengchao,lishu-xingfu-shequ-shitang,jilin-hongxin-wuye"}
CHECKED_MARKUP = {**PAGES, "lesson": "lessons/wuye-zhili/", "404": "404.html"}
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
                " --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Material's own markup: the hidden checkboxes that drive its drawer, search and table of contents.
MATERIAL_MARKUP = ("Attribute “autocomplete” is only allowed", "The value of the “for” attribute of the “label”")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        compressible = path.suffix in (".html", ".css", ".js", ".json", ".svg", ".xml")
        if not path.is_file() or not compressible or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def lighthouse(url: str, out: Path) -> dict[str, object]:
    subprocess.run([str(TOOLS / ".bin" / "lighthouse"), url, "--quiet", "--form-factor=mobile",
                    f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}", "--output=json",
                    f"--output-path={out}"], check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                   capture_output=True)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {"scores": [round(report["categories"][name]["score"] * 100) for name in CATEGORIES],
            "lcp": audits["largest-contentful-paint"]["displayValue"], "weight": audits["total-byte-weight"]["numericValue"]}


def nu_errors(files: list[Path]) -> dict[str, collections.Counter[str]]:
    jar = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
                            capture_output=True, text=True)
    found: dict[str, collections.Counter[str]] = {str(file): collections.Counter() for file in files}
    for message in json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]:
        whose = "Material" if message["message"].startswith(MATERIAL_MARKUP) else "ours"
        found[message["url"].removeprefix("file:")][whose] += 1
    return found


def linkcheck(url: str) -> str:
    checker = shutil.which("linkchecker")
    if checker is None:
        return "LinkChecker not installed (pip install linkchecker)"
    result = subprocess.run([checker, "--no-status", "--ignore-url=^https?://(?!127\\.0\\.0\\.1)", "-o", "text", url],
                            capture_output=True, text=True)
    return next((line for line in result.stdout.splitlines() if "links in" in line), result.stdout[-300:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--links", action="store_true", help="also run LinkChecker over the whole site (minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict", "-d", str(site)], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        print("Lighthouse (mobile, gzip)       perf a11y best seo   LCP      bytes")
        for name, path in PAGES.items():
            found = lighthouse(base + path, Path(scratch) / f"{name}.json")
            scores = " ".join(f"{score:>4}" for score in found["scores"])  # type: ignore[union-attr]
            print(f"  {name:<29} {scores}   {found['lcp']:<8} {int(found['weight']) // 1024} KB")  # type: ignore[call-overload]
        # The markup checked is the file behind each address (a comparison's cases come in by script).
        addresses = (path.partition("?")[0] for path in CHECKED_MARKUP.values())
        files = [site / (path if path.endswith(".html") else path + "index.html") for path in addresses]
        print("Nu HTML checker errors          ours  Material")
        for (name, _), counts in zip(CHECKED_MARKUP.items(), nu_errors(files).values()):
            print(f"  {name:<29} {counts['ours']:>4}  {counts['Material']:>8}")
        if args.links:
            print("LinkChecker:", linkcheck(base))
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
