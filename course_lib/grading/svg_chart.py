"""A horizontal bar chart as hand-written SVG, for the class report (no matplotlib here).

Accessible by construction: ``role="img"`` with a ``<title>`` and a ``<desc>`` (the numbers in
words), each bar's label on its left and its count as text on its right, so the colour is
never the only cue; everything is escaped.

>>> svg = bar_chart("q1", "two bars", [("0 points", 3, "#D55E00"), ("1 point", 5, "#009E73")])
>>> svg.count("<rect"), "<title" in svg, ">5 notebooks<" in svg
(2, True, True)
"""

from __future__ import annotations

import hashlib
import html

__all__ = ["bar_chart"]

_LABEL_W, _BAR_W, _COUNT_W, _ROW_H, _PAD = 170, 300, 120, 26, 8


def bar_chart(
    title: str, desc: str, bars: list[tuple[str, int, str]], *, unit: str = "notebook"
) -> str:
    """One bar per (label, count, colour), longest bar = the largest count.

    Parameters
    ----------
    title : str
        The chart's title (shown above it and read by screen readers).
    desc : str
        What the chart shows, with its numbers, in words.
    bars : list of (str, int, str)
        Label, count and fill colour (a CSS colour) of each bar, top to bottom.
    unit : str
        What is counted, singular ("notebook"); an ``s`` is added for other counts than 1.
        The ids of the title and description derive from ``title``: give each chart of a page
        its own title.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    e = html.escape
    n = hashlib.sha256(title.encode("utf-8", "replace")).hexdigest()[:12]
    top = 24
    height = top + len(bars) * _ROW_H + _PAD
    width = _LABEL_W + _BAR_W + _COUNT_W
    largest = max([count for _, count, _ in bars] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="chart{n}-title chart{n}-desc" '
        'font-family="system-ui, sans-serif" font-size="13">',
        f'<title id="chart{n}-title">{e(title)}</title>',
        f'<desc id="chart{n}-desc">{e(desc)}</desc>',
        f'<text x="0" y="15" font-weight="bold" fill="#1a1a1a">{e(title)}</text>',
        f'<line x1="{_LABEL_W}" y1="{top - 4}" x2="{_LABEL_W}" y2="{height - _PAD + 2}" '
        'stroke="#444" stroke-width="1"/>',
    ]
    for row, (label, count, colour) in enumerate(bars):
        y = top + row * _ROW_H
        length = round(_BAR_W * count / largest, 1)
        middle = y + _ROW_H / 2 + 4
        parts += [
            f'<text x="{_LABEL_W - 6}" y="{middle}" text-anchor="end" fill="#1a1a1a">'
            f"{e(label)}</text>",
            f'<rect x="{_LABEL_W}" y="{y + 3}" width="{length}" height="{_ROW_H - 6}" '
            f'fill="{e(colour)}" stroke="#1a1a1a" stroke-width="0.5"/>',
            f'<text x="{_LABEL_W + length + 6}" y="{middle}" fill="#1a1a1a">'
            f"{count} {e(unit)}{'s' * (count != 1)}</text>",
        ]
    parts.append("</svg>")
    return "\n".join(parts)
