"""Sphinx extension for the course website (site/_config.yml: sphinx.local_extensions).

``jupyterlab_slug`` (myst_heading_slug_func): heading anchors as JupyterLab makes them (the heading text with spaces as hyphens, case kept),
so the lessons' links such as ``glossary.ipynb#IL-6R`` land on the same heading on the site as
in JupyterLab.
"""

from __future__ import annotations


def jupyterlab_slug(text: str) -> str:
    """'classic signalling' -> 'classic-signalling'; 'IL-6R' stays 'IL-6R'."""
    return "-".join(text.strip().split())


def setup(app):
    return {"parallel_read_safe": True, "parallel_write_safe": True}
