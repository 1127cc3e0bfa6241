"""The page tells each figure its screen's pixel ratio: a figure drawn at the pixels it is shown at.

An explorer's image is rendered at the screen's device pixels per CSS pixel
(`course_lib.widgets._panel.FigurePanel`). The page reports ``window.devicePixelRatio`` through
a hidden number box (`PIXEL_RATIO_SCRIPT`, a short script beside the figure): a 1x screen or
projector gets a 1x image (a quarter of the pixels to draw, encode, send and decode: the slider
answers sooner), a high-DPI screen or a zoomed page up to 2x (`MAX_PIXEL_RATIO`). Until the page
reports, and where no script runs (a static export), the image is 2x
(`course_lib.figures.plotting.PIXEL_RATIO`).
"""

from __future__ import annotations

__all__ = ["MAX_PIXEL_RATIO", "PIXEL_RATIO_CLASS", "PIXEL_RATIO_SCRIPT"]

#: DOM class of the hidden number box that receives the page's device pixel ratio.
PIXEL_RATIO_CLASS = "course-pixel-ratio"
#: The sharpest image sent: 2 device pixels per CSS pixel (beyond that, only bytes grow).
MAX_PIXEL_RATIO = 2.0

# Tells the kernel the page's devicePixelRatio (times a CSS zoom of the explorer) through the
# panel's hidden number box, now and whenever it changes (another screen, a zoomed page).
PIXEL_RATIO_SCRIPT = r"""
(function (element) {
  const started = Date.now();
  const send = () => {
    const box = element.closest('.%(explorer)s');
    const inputs = box ? box.querySelectorAll('.%(cls)s input') : [];
    if (!inputs.length) {
      if (Date.now() - started < 20000) setTimeout(send, 50);
      return;
    }
    // A page that zooms the explorer (presenter mode's CSS zoom) shows each CSS pixel larger.
    const ratio = String((window.devicePixelRatio || 1) * (box.currentCSSZoom || 1));
    for (const input of inputs) {
      if (input.value === ratio) continue;
      input.value = ratio;
      input.dispatchEvent(new Event('change', {bubbles: true}));
    }
    matchMedia('(resolution: ' + (window.devicePixelRatio || 1) + 'dppx)')
      .addEventListener('change', send, {once: true});
  };
  send();
})(element);
"""
