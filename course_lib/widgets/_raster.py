"""From a matplotlib figure to PNG bytes, fast enough for a slider: the pixel half of a redraw.

Two costs dominate a redraw once the static background is blitted (`course_lib.widgets._panel`):
the text drawn on top (matplotlib 3.11 lays out and rasterises every glyph of every label
again at each draw) and the PNG encoding of a 2x-dpi image. `GlyphCachingCanvas` rasterises
each glyph once per font and sub-pixel position, so a new label costs only its layout, and
keeps the glyphs of each label it has drawn, so a label drawn again with the same string,
font and sub-pixel position is composited from stored bitmaps; `encode_png` deflates only the
bands of rows that changed since the last frame.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections import OrderedDict

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.ft2font import FT2Font, RenderMode

__all__ = ["GLYPH_CACHE_SIZE", "PNG_BAND_ROWS", "GlyphCachingCanvas", "encode_png"]

#: Labels (string, font, angle, sub-pixel position) whose glyph bitmaps a canvas keeps.
GLYPH_CACHE_SIZE = 512
#: Glyph bitmaps (glyph, font, size, dpi, sub-pixel position) kept for every canvas.
GLYPH_BITMAPS = 8192
_GLYPHS: dict = {}  # `_glyph`'s bitmaps, oldest first
_SUBPIXELS = 64  # FreeType places glyphs in 1/64 pixel (26.6 fixed point)
#: The glyph-level drawing follows matplotlib 3.11's `RendererAgg.draw_text`, which lays a label
#: out with FT2Font's private ``_layout`` and renders glyph by glyph. Where those methods are
#: missing (matplotlib before 3.11, or a later change), text is drawn by matplotlib itself,
#: uncached: the same pixels, only slower.
GLYPH_DRAWING = all(
    hasattr(FT2Font, name) for name in ("_layout", "_set_transform", "_render_glyph")
) and hasattr(RendererAgg, "_prepare_font")


def _font_key(prop) -> tuple:
    return (
        tuple(prop.get_family()),
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_size_in_points(),
        prop.get_file(),
    )


def _glyph(font, size: float, dpi: float, index: int, flags, matrix, x: int, y: int):
    """The bitmap of glyph ``index`` of ``font`` with its origin at ``(x, y)`` (FreeType's
    26.6 fixed point, y up) and its offset from that whole pixel, rendered once per sub-pixel
    position: FreeType's outline coordinates are whole 1/64 px, so a glyph moved by whole
    pixels rasterises to the same bitmap, moved by the same pixels."""
    key = (font, size, dpi, index, flags, matrix, x & 63, y & 63)
    glyph = _GLYPHS.get(key)
    if glyph is None:
        font.set_size(size, dpi)
        font._set_transform(np.array(matrix), [x, y])
        bitmap = font._render_glyph(index, flags, RenderMode.NORMAL)
        glyph = _GLYPHS[key] = (bitmap.buffer, bitmap.left - (x >> 6), bitmap.top - (y >> 6))
        if len(_GLYPHS) > GLYPH_BITMAPS:  # the oldest first: a plain dict keeps their order
            del _GLYPHS[next(iter(_GLYPHS))]
    return glyph


class _GlyphCachingRenderer(RendererAgg):
    """Agg's renderer, drawing plain (not math) text from stored glyph bitmaps.

    A label is laid out as matplotlib lays it out, and each of its glyphs is drawn where
    matplotlib draws it, from a bitmap rendered once per glyph, font and sub-pixel position
    (`_glyph`): a new label costs its layout, not the rasterising of glyphs drawn before. The
    glyphs of each label are also kept with their offsets from the label's whole-pixel origin:
    a label drawn again with the same string, font, angle and fractional position (in
    FreeType's 1/64 px) is composited without a layout.
    """

    def __init__(self, width, height, dpi) -> None:
        super().__init__(width, height, dpi)
        self._labels: OrderedDict = OrderedDict()
        self.hits = self.misses = 0

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not gc.get_antialiased() or not GLYPH_DRAWING:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        extra = () if mtext is None else (mtext.get_fontfeatures(), mtext.get_language())
        key = (
            s,
            _font_key(prop),
            angle,
            self.dpi,
            round(x * _SUBPIXELS) % _SUBPIXELS,
            round(y * _SUBPIXELS) % _SUBPIXELS,
            get_hinting_flag(),
            *extra,
        )
        left, top = math.floor(x), math.floor(y)
        glyphs = self._labels.get(key)
        if glyphs is None:
            self.misses += 1
            glyphs = [
                (image, gx - left, gy - top)
                for image, gx, gy in self._draw_label(gc, x, y, s, prop, angle, *extra)
            ]
            self._labels[key] = glyphs
            if len(self._labels) > GLYPH_CACHE_SIZE:
                self._labels.popitem(last=False)
            return None
        self.hits += 1
        self._labels.move_to_end(key)
        for image, dx, dy in glyphs:
            self._renderer.draw_text_image(image, left + dx, top + dy, 0, gc)
        return None

    def _draw_label(self, gc, x, y, s, prop, angle, features=None, language=None) -> list:
        """Draw ``s`` as `RendererAgg.draw_text` does (same layout, same glyph positions) with
        its glyphs from `_glyph`; the glyph images and the pixel positions they were drawn at.
        """
        font = self._prepare_font(prop)
        flags = get_hinting_flag()
        items = font._layout(s, flags=flags, features=features, language=language)
        size = prop.get_size_in_points()
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        rotation = 0x10000 * np.array([[cos, -sin], [sin, cos]])  # 16.16 fixed point
        matrix = tuple(map(tuple, rotation.round().astype(int).tolist()))
        drawn = []
        height, draw = int(self.height), self._renderer.draw_text_image
        for item in items:  # y is downwards here, upwards in FreeType and in item.y
            gx = round(0x40 * (x + item.x * cos - item.y * sin))
            gy = round(0x40 * (height - y + item.x * sin + item.y * cos))
            image, dx, dy = _glyph(
                item.ft_object, size, self.dpi, item.glyph_index, flags, matrix, gx, gy
            )
            # draw_text_image's y is downwards & the bitmap bottom side
            left, top = (gx >> 6) + dx, height - ((gy >> 6) + dy) + image.shape[0]
            draw(image, left, top, 0, gc)
            drawn.append((image, left, top))
        return drawn


class GlyphCachingCanvas(FigureCanvasAgg):
    """An Agg canvas whose renderer keeps the glyphs of the labels it draws (see module)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _GlyphCachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


#: Rows per band of the PNG: each band is deflated on its own and kept until its pixels change.
PNG_BAND_ROWS = 32
_ADLER = 65521  # the Adler-32 modulus


def _adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from each one's checksum (zlib's
    ``adler32_combine``, which Python's zlib does not expose).

    >>> a, b = b"IL-6 trans-", b"signalling"
    >>> _adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)
    True
    """
    rem = second_length % _ADLER
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % _ADLER
    sum1 = (sum1 + (second & 0xFFFF) + _ADLER - 1) % _ADLER
    sum2 = (sum2 + (first >> 16) + (second >> 16) + _ADLER - rem) % _ADLER
    return sum1 | (sum2 << 16)


def encode_png(rgba, width: int, height: int, cache: dict | None = None) -> bytes:
    """A PNG of an RGBA buffer (``height`` rows of ``width`` pixels), encoded fast.

    The canvas's RGBA rows are stored as they are (no filter, no conversion to RGB: dropping
    the alpha channel costs more than compressing it) and deflated at level 1, in bands of
    `PNG_BAND_ROWS` rows that are compressed independently and joined into one stream. With
    a ``cache`` (a dict kept between calls for one figure), a band whose pixels did not
    change since the last call is not compressed again: a slider step usually redraws only
    part of a figure. A 2x-dpi figure has four times the pixels, so the encoder is a large
    part of a slider move.

    >>> png = encode_png(bytes([255, 0, 0, 255] * 6), 3, 2)
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", png[12:16]
    (True, b'IHDR')
    """
    rows = np.empty((height, 1 + 4 * width), np.uint8)
    rows[:, 0] = 0  # filter type 0 (none) at the start of each row
    rows[:, 1:] = np.frombuffer(rgba, np.uint8).reshape(height, 4 * width)
    cache = {} if cache is None else cache
    if cache.get("size") != (width, height):  # a new figure size: nothing to reuse
        cache.clear()
        cache["size"] = (width, height)
    packed, checksum = [], 1
    for top in range(0, height, PNG_BAND_ROWS):
        band = rows[top : top + PNG_BAND_ROWS]
        kept = cache.get(top)
        if kept is None or not np.array_equal(kept[0], band):
            deflate = zlib.compressobj(1, zlib.DEFLATED, -15)  # raw deflate, fresh window
            data = deflate.compress(band) + deflate.flush(zlib.Z_SYNC_FLUSH)  # byte-aligned
            kept = cache[top] = (band.copy(), data, zlib.adler32(band))
        packed.append(kept[1])
        checksum = _adler32_combine(checksum, kept[2], band.nbytes)
    # zlib header (deflate, 32K window, fastest), the bands, a final empty block, Adler-32
    stream = b"\x78\x01" + b"".join(packed) + b"\x03\x00" + struct.pack(">I", checksum)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", stream),
            _chunk(b"IEND", b""),
        )
    )
