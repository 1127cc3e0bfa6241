"""Build the offline course website, what `make site` runs: jupyter-book 1.x, then a link check.

1. Stage site/_build/src: site/ (config, table of contents, intro, vendored front-end code), the
   lessons, the exercises and docs/instructors/ if it exists. A table-of-contents entry whose
   file is missing is dropped (and reported), so the build tolerates a part not yet written.
2. ``jupyter-book build --all``: every lesson is executed afresh (figures and widget snapshots
   saved; ``--all`` so that a change in course_lib cannot leave a stale page); the
   widget renderer and MathJax are served from the site's _static/vendor, not a CDN.
3. Check the HTML in site/_build/html (:func:`check_site`): every internal link, image, script
   and stylesheet resolves to a file of the site, every ``#anchor`` to an id in its page, and
   no page loads a script, stylesheet or font from another host. Any problem fails the build.

    python tools/build_site.py              # build and check
    python tools/build_site.py --check-only # check an existing build
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
BUILD = SITE / "_build"
SOURCE = BUILD / "src"
HTML = BUILD / "html"
STAGED = ("notebooks", "exercises", "docs/instructors")

__all__ = ["check_site", "main", "stage"]


def _existing(entry: dict, source: Path) -> bool:
    if "file" in entry:
        return any((source / f"{entry['file']}{ext}").is_file() for ext in ("", ".md", ".ipynb"))
    if "glob" in entry:
        return any(source.glob(entry["glob"]))
    return True


_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def _outside_links_as_text(staged: Path, source: Path) -> None:
    """In a staged Markdown page, a link to a repository file that is not on the website
    (e.g. ``../../README.md#grading-a-class``) becomes its text and the file's name. A link to
    a file that does not exist is left alone: the link check reports it."""
    original = ROOT / staged.relative_to(source)

    def replace(match: re.Match) -> str:
        text, url = match.groups()
        parts = urlsplit(url)
        if parts.scheme or not parts.path:
            return match.group(0)
        target = (original.parent / unquote(parts.path)).resolve()
        if not target.is_relative_to(ROOT) or not target.exists():
            return match.group(0)
        where = target.relative_to(ROOT)
        if (source / where).exists():
            return match.group(0)  # on the website
        anchor = f"#{parts.fragment}" if parts.fragment else ""
        return f"{text} (`{where.as_posix()}{anchor}` in the repository)"

    staged.write_text(_MD_LINK.sub(replace, staged.read_text(encoding="utf-8")), encoding="utf-8")


def stage(source: Path = SOURCE) -> list[str]:
    """Copy what the book is built from into ``source``; return the TOC entries dropped."""
    if source.exists():
        shutil.rmtree(source)
    shutil.copytree(SITE, source, ignore=shutil.ignore_patterns("_build"))
    for folder in STAGED:
        if (ROOT / folder).is_dir():
            shutil.copytree(
                ROOT / folder, source / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
            )
    for page in (source / "docs").rglob("*.md"):
        _outside_links_as_text(page, source)
    toc = yaml.safe_load((source / "_toc.yml").read_text(encoding="utf-8"))
    dropped = []
    for part in toc["parts"]:
        kept = [c for c in part["chapters"] if _existing(c, source)]
        dropped += [str(c.get("file") or c.get("glob")) for c in part["chapters"] if c not in kept]
        part["chapters"] = kept
    toc["parts"] = [p for p in toc["parts"] if p["chapters"]]
    (source / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    return dropped


class _Links(HTMLParser):
    """The ids of a page and its references: (tag, attribute, url)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) is not None:
                self.refs.append((tag, key, attrs[key]))


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parser


def _pages(html: Path) -> list[Path]:
    """The site's pages (not the theme's template fragments under _static)."""
    return [p for p in html.rglob("*.html") if p.relative_to(html).parts[0] != "_static"]


def check_site(html: Path = HTML) -> list[str]:
    """Broken internal references and off-site assets in the built site, as messages."""
    pages = {p.resolve(): _parse(p) for p in _pages(html)}
    problems = []
    for page, parsed in sorted(pages.items()):
        name = page.relative_to(html.resolve())
        for tag, attr, url in parsed.refs:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                # A link to another site is fine; loading code or styles from one is not.
                if tag in ("script", "img") or (tag == "link" and attr == "href" and (
                    "stylesheet" in url or url.endswith((".css", ".js", ".woff2")))):  # fmt: skip
                    problems.append(f"{name}: <{tag} {attr}> loads {url} from another host")
                continue
            if parts.scheme in ("mailto", "data", "javascript") or not (
                parts.path or parts.fragment
            ):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{name}: <{tag} {attr}={url!r}> points to a missing file")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{name}: {url!r}: no id {parts.fragment!r} in that page")
    return problems


def build(source: Path = SOURCE) -> None:
    env = dict(os.environ)
    # The lessons' kernels import this checkout's course_lib, and draw as a student's would.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("MPLBACKEND", None)
    if (BUILD / "out").exists():
        shutil.rmtree(BUILD / "out")  # no page left over from a part since removed
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(source)]
    command += ["--path-output", str(BUILD / "out"), "--all", "--warningiserror", "--keep-going"]
    if subprocess.call(command, env=env) != 0:
        raise SystemExit("error: jupyter-book failed (see above)")
    if HTML.exists():
        shutil.rmtree(HTML)
    shutil.move(BUILD / "out" / "_build" / "html", HTML)
    # Files the lessons write beside themselves when run (lesson 03's SBML model, which its
    # page links to) go beside their pages.
    for written in (source / "notebooks").glob("*.xml"):
        shutil.copy2(written, HTML / "notebooks" / written.name)


def _size(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check-only", action="store_true", help="check site/_build/html only")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if not args.check_only:
        for entry in stage():
            print(f"note: {entry} is in site/_toc.yml but not in this checkout: left out")
        build()
    problems = check_site()
    for problem in problems:
        print(f"broken: {problem}")
    pages = len(_pages(HTML))
    print(
        f"{HTML.relative_to(ROOT)}: {pages} pages, {_size(HTML):.1f} MB, "
        f"{len(problems)} link problems, {time.monotonic() - started:.0f} s"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
