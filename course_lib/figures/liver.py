"""Lesson 05 figure: a simulated mouse liver drawn to scale, and its cohort.

`LiverCohort` draws one liver of a simulated DEN/TCPOBOP cohort to scale, the mouse's timeline,
the tumour count of every mouse and the nodule sizes. It is drawn once and updated in place;
``update(...)`` returns a description computed from the data, and ``animated`` lists the
artists that move. Every number comes from `course_lib.models.liver` and is simulated.

>>> fig = LiverCohort()
>>> fig.update(genotype="IL-6 knockout", seed=1)[:46]
'Simulated DEN/TCPOBOP cohort: 20 IL-6 knockout'
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import EllipseCollection
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, Rectangle

from course_lib._text import count_of, format_number
from course_lib.errors import CourseTypeError, CourseValueError
from course_lib.figures.plotting import PALETTE, TEXT_PT, TITLE_PT, finish_figure, new_figure
from course_lib.models.hepatocarcinogenesis import CARCINOGENESIS
from course_lib.models.liver import simulate_cohort
from course_lib.models.mouse import condition

__all__ = ["COUNT_AXIS", "LOBES", "MAX_MICE", "LiverCohort", "nodule_centres"]

#: Schematic lobes of a mouse liver, mm: (centre x, centre y, width, height, angle in degrees).
LOBES: tuple[tuple[float, float, float, float, float], ...] = (
    (-8.5, 0.5, 20.0, 15.0, 15.0),
    (3.0, 4.5, 17.0, 13.0, -10.0),
    (11.5, -3.5, 13.0, 11.0, -25.0),
    (0.0, -8.5, 10.0, 5.5, 0.0),
)
#: Tumours per liver shown on the count axis (a count above it is drawn at the top, as ^).
COUNT_AXIS = 50
#: Largest cohort the figure draws (mice).
MAX_MICE = 200
_F = format_number
_LOW, _HIGH = CARCINOGENESIS.value("detection_diameter"), CARCINOGENESIS.value("largest_diameter")
_EDGES = np.geomspace(_LOW, _HIGH, 14)
_PER_LIVER_AXIS = 14.0
_TUMOUR = PALETTE["vermillion"]
_WINDOW_STYLE = {  # the treatment bar on the timeline (none: no bar)
    "control Fc": {"facecolor": "0.85", "edgecolor": "black", "linestyle": "-", "hatch": ".."},
    "sgp130Fc": {
        "facecolor": PALETTE["bluish green"],
        "edgecolor": "black",
        "linestyle": "-",
        "hatch": "//",
    },
}


def nodule_centres(positions: np.ndarray, diameters_mm: np.ndarray) -> np.ndarray:
    """Where each nodule sits in the drawing, mm: positions in [0, 1)^2 mapped into `LOBES`.

    The first coordinate picks a lobe (in proportion to its area) and a distance from its
    centre, the second an angle; a nodule's centre stays at least its radius inside the lobe
    where the lobe is big enough.

    >>> nodule_centres(np.array([[0.0, 0.0]]), np.array([1.0])).round(1).tolist()
    [[-8.5, 0.5]]
    """
    pos = np.asarray(positions, dtype=float).reshape(-1, 2)
    d = np.asarray(diameters_mm, dtype=float).reshape(-1)
    lobes = np.asarray(LOBES)
    weight = np.cumsum(lobes[:, 2] * lobes[:, 3])
    share = pos[:, 0] * weight[-1]
    i = np.minimum(np.searchsorted(weight, share, side="right"), len(LOBES) - 1)
    start = np.concatenate(([0.0], weight[:-1]))[i]
    r = np.sqrt(np.clip((share - start) / (weight[i] - start), 0.0, 1.0))
    theta = 2 * np.pi * pos[:, 1]
    a = np.clip(lobes[i, 2] / 2 - d / 2, 0.0, None)
    b = np.clip(lobes[i, 3] / 2 - d / 2, 0.0, None)
    x, y = r * np.cos(theta) * a, r * np.sin(theta) * b
    phi = np.radians(lobes[i, 4])
    return np.column_stack(
        (
            lobes[i, 0] + x * np.cos(phi) - y * np.sin(phi),
            lobes[i, 1] + x * np.sin(phi) + y * np.cos(phi),
        )
    )


def _whole(name: str, value: object, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise CourseTypeError(
            f"{name} must be a whole number ({what}); got {value!r} of type "
            f"{type(value).__name__}. Pass an int from {low} to {high}."
        )
    if not low <= int(value) <= high:
        raise CourseValueError(
            f"{name} must be a whole number from {low} to {high} ({what}); "
            f"got {value}. Choose a value in that range."
        )
    return int(value)


class LiverCohort:
    """One simulated liver drawn to scale, the cohort's tumour counts, and the nodule sizes.

    Left: schematic lobes, each nodule a circle of its diameter (mm, with a scale bar) with a
    black outline and a cross at its centre; below, the timeline (DEN, treatment, harvest).
    Middle: tumours per liver of every mouse (dots; dashed line = mean; diamond = the mouse
    drawn). Right: nodules per liver by diameter (hatched, log mm axis; dashed line = median).

    Parameters
    ----------
    genotype, sex, treatment : str
        As in `course_lib.models.liver.condition`.
    treatment_start, harvest_week : float
        Weeks of age (treatment lasts from its start to harvest).
    n : int
        Mice in the cohort (1 to `MAX_MICE`).
    seed : int
        Seed of the cohort (0 or more): the same seed gives the same mice.
    mouse : int
        Which mouse to draw, counted from 1.
    """

    def __init__(self, *, figure: Figure | None = None, **settings) -> None:
        self.figure = figure if figure is not None else new_figure(11.0, 5.2)
        self._draw_liver()
        self._draw_timeline()
        self._draw_counts()
        self._draw_sizes()
        finish_figure(self.figure)

        self.animated = (
            self._nodules,
            self._centres,
            self._liver_note,
            self._window,
            self._harvest,
            self._dots,
            self._over,
            self._chosen,
            self._mean,
            self._mean_text,
            self._bars,
            self._median,
            self._median_text,
        )
        self.description = self.update(**settings)

    def _draw_liver(self) -> None:
        """The lobes, a pool of nodules (circles and their centres), the scale bar and a note."""
        ax = self.ax_liver = self.figure.add_axes((0.01, 0.29, 0.38, 0.64))
        for cx, cy, w, h, angle in LOBES:
            ax.add_patch(
                Ellipse(
                    (cx, cy), w, h, angle=angle, facecolor="#E8CFC0", edgecolor="#6B4A3A", lw=1.2
                )
            )
        self._nodules = EllipseCollection(
            [1.0],
            [1.0],
            [0.0],
            units="xy",
            offsets=[[0, 0]],
            offset_transform=ax.transData,
            facecolors=_TUMOUR,
            edgecolors="black",
            linewidths=0.8,
            alpha=0.85,
        )
        ax.add_collection(self._nodules)
        (self._centres,) = ax.plot([0.0], [0.0], "+", color="black", ms=4, mew=0.9)
        ax.plot([-18, -13], [-12.5, -12.5], color="black", lw=2.5)
        ax.text(-15.5, -13.2, "5 mm", ha="center", va="top", fontsize=TEXT_PT)
        ax.set(xlim=(-19.5, 19.5), ylim=(-15.0, 16.0), aspect="equal")
        ax.axis("off")
        ax.set_title("Simulated liver, to scale (schematic lobes)", fontsize=TITLE_PT, loc="left")
        self._liver_note = ax.text(-19.3, 15.8, "", fontsize=TEXT_PT, va="top")

    def _draw_timeline(self) -> None:
        """The mouse's timeline under the liver: DEN, the treatment bar and the harvest."""
        ax = self.ax_time = self.figure.add_axes((0.05, 0.19, 0.32, 0.05))
        ax.plot([CARCINOGENESIS.value("den_age")], [1.25], "v", color="black", clip_on=False)
        self._window = Rectangle((0, 0.15), 1, 0.7, lw=1.2)
        ax.add_patch(self._window)
        (self._harvest,) = ax.plot([40, 40], [-0.1, 1.1], color="black", lw=3, clip_on=False)
        ax.set(xlim=(0, 60), ylim=(0, 1), yticks=[], xticks=[2, 12, 24, 40, 60])
        ax.spines[["left", "top", "right"]].set_visible(False)
        ax.tick_params(labelsize=TEXT_PT)
        ax.set_xlabel("week of age (▼ DEN, bar = treatment,\n| = harvest)", fontsize=TEXT_PT)

    def _draw_counts(self) -> None:
        """Tumours per liver: a dot per mouse, ^ above the axis, the drawn mouse, the mean."""
        ax = self.ax_counts = self.figure.add_axes((0.47, 0.3, 0.15, 0.6))
        (self._dots,) = ax.plot(
            [0.5],
            [0.0],
            "o",
            color=PALETTE["blue"],
            mec="black",
            mew=0.6,
            ms=5,
            alpha=0.8,
            ls="none",
        )
        (self._over,) = ax.plot(
            [0.5], [COUNT_AXIS], "^", color=PALETTE["blue"], mec="black", ls="none", clip_on=False
        )
        (self._chosen,) = ax.plot(
            [0.5], [0.0], "D", mfc="none", mec="black", mew=1.8, ms=11, ls="none"
        )
        (self._mean,) = ax.plot([0.05, 0.95], [0.0, 0.0], color="black", ls="--", lw=1.8)
        self._mean_text = ax.text(
            1.03, 0.0, "", fontsize=TEXT_PT, va="center", transform=ax.get_yaxis_transform()
        )
        ax.set(xlim=(0, 1), ylim=(-1, COUNT_AXIS), xticks=[])
        ax.set_xlabel("mice (one dot each;\n◇ = drawn)", fontsize=TEXT_PT)
        ax.set_ylabel("tumours per liver (count)")
        ax.set_title("Simulated counts", fontsize=TITLE_PT, loc="left")
        ax.tick_params(labelsize=TEXT_PT)

    def _draw_sizes(self) -> None:
        """Nodules per liver by diameter (hatched stairs), the avascular limit and the median."""
        ax = self.ax_sizes = self.figure.add_axes((0.77, 0.3, 0.21, 0.6))
        self._bars = ax.stairs(
            np.zeros(_EDGES.size - 1),
            _EDGES,
            fill=True,
            color=_TUMOUR,
            alpha=0.8,
            hatch="//",
            edgecolor="black",
            lw=0.8,
        )
        avascular = CARCINOGENESIS.value("avascular_diameter")
        ax.axvline(avascular, color="0.4", ls=":", lw=1.2)
        ax.text(
            -0.3,
            -0.33,
            f"dotted: avascular limit ({_F(avascular)} mm)\ndashed: median",
            transform=ax.transAxes,
            fontsize=TEXT_PT,
            va="top",
            ha="left",
            color="0.25",
        )
        (self._median,) = ax.plot(
            [1.0, 1.0], [0, _PER_LIVER_AXIS * 0.78], color="black", ls="--", lw=1.5
        )
        self._median_text = ax.text(
            0.98, 0.8, "", fontsize=TEXT_PT, ha="right", transform=ax.transAxes
        )
        ax.set(xscale="log", xlim=(_LOW * 0.95, _HIGH * 1.05), ylim=(0, _PER_LIVER_AXIS))
        ax.set_xticks([0.5, 1, 2, 5, 10], ["0.5", "1", "2", "5", "10"])
        ax.set_xlabel("nodule diameter (mm)")
        ax.set_ylabel("nodules per liver (count)")
        ax.set_title("Simulated sizes, all mice", fontsize=TITLE_PT, loc="left")
        ax.tick_params(labelsize=TEXT_PT)

    def update(
        self,
        genotype: str = "wild type",
        sex: str = "male",
        treatment: str = "none",
        treatment_start: float = 2.0,
        harvest_week: float = 40.0,
        n: int = 20,
        seed: int = 1,
        mouse: int = 1,
    ) -> str:
        """Simulate the cohort, redraw, and return the description."""
        n = _whole("n", n, 1, MAX_MICE, "mice in the cohort")
        seed = _whole("seed", seed, 0, 2**32 - 1, "the cohort's random seed")
        mouse = _whole("mouse", mouse, 1, n, f"which of the {n} mice to draw, counted from 1")
        cond = condition(
            genotype=genotype,
            sex=sex,
            treatment=treatment,
            treatment_start=treatment_start,
            harvest_week=harvest_week,
        )
        self.cohort = simulate_cohort(
            n,
            rng=seed,
            genotype=cond.genotype,
            sex=cond.sex,
            treatment=cond.treatment,
            treatment_start=cond.treatment_start,
            harvest_week=cond.harvest_week,
        )
        self.settings = {"n": n, "seed": seed, "mouse": mouse, "condition": cond}
        self.liver = self.cohort.liver(mouse - 1)
        self._move_liver(n, seed, mouse)
        self._move_timeline(cond.treatment, cond.treatment_start, cond.harvest_week)
        self._move_counts(n, mouse)
        self._move_sizes(n)
        self.description = self.describe()
        self.headline = self._headline()
        return self.description

    def _move_liver(self, n: int, seed: int, mouse: int) -> None:
        """The drawn liver's nodules (mouse ``mouse`` of ``n``) at their sizes and places."""
        liver = self.liver
        d = liver.diameters_mm
        xy = nodule_centres(liver.positions, d) if d.size else np.zeros((0, 2))
        self._nodules.set_offsets(xy if d.size else np.zeros((1, 2)))
        size = d if d.size else np.zeros(1)
        self._nodules.set_widths(size)
        self._nodules.set_heights(size)
        self._nodules.set_angles(np.zeros(size.size))
        self._centres.set_data(xy[:, 0], xy[:, 1])
        note = f"mouse {mouse} of {n} (seed {seed}): {liver.count} nodule"
        self._liver_note.set_text(note + "s" * (liver.count != 1))

    def _move_timeline(self, treatment: str, start: float, end: float) -> None:
        """The treatment bar from ``start`` to harvest at ``end`` (weeks), styled by treatment."""
        self._window.set_x(min(start, end))
        self._window.set_width(max(end - start, 0.0))
        self._window.set_visible(treatment in _WINDOW_STYLE)  # no bar without a treatment
        self._window.set(**_WINDOW_STYLE.get(treatment, {}))
        self._harvest.set_xdata([end, end])

    def _move_counts(self, n: int, mouse: int) -> None:
        """A dot per mouse of the cohort (^ above the axis), the drawn mouse and the mean."""
        counts = self.cohort.counts
        x = 0.1 + 0.8 * ((np.arange(n) * 0.6180339887) % 1.0)  # even, repeatable spread
        shown = counts <= COUNT_AXIS
        self._dots.set_data(x[shown], counts[shown])
        self._over.set_data(x[~shown], np.full((~shown).sum(), COUNT_AXIS))
        self._chosen.set_data([x[mouse - 1]], [min(counts[mouse - 1], COUNT_AXIS)])
        mean = float(counts.mean())
        self._mean.set_ydata([mean, mean])
        self._mean_text.set_position((1.03, min(mean, COUNT_AXIS - 3)))
        self._mean_text.set_text(f"mean\n{_F(mean)}")

    def _move_sizes(self, n: int) -> None:
        """Nodules per liver (of ``n`` mice) by diameter, and the median (hidden if none)."""
        all_d = self.cohort.diameters_mm
        per_liver = np.histogram(np.clip(all_d, _LOW, _HIGH), _EDGES)[0] / n
        self._bars.set_data(np.minimum(per_liver, _PER_LIVER_AXIS))
        self._median.set_visible(bool(all_d.size))
        self._median_text.set_visible(bool(all_d.size))
        if all_d.size:
            med = float(np.median(all_d))
            self._median.set_xdata([med, med])
            self._median_text.set_text(f"median {_F(med)} mm")

    def _headline(self) -> str:
        """One short sentence: the cohort's mean count and incidence."""
        cond, c = self.settings["condition"], self.cohort.counts
        mice = count_of(
            c.size, f"{cond.genotype} {cond.sex} mouse", f"{cond.genotype} {cond.sex} mice"
        )
        return (
            f"Mean {_F(c.mean())} tumours per liver in {mice}, incidence "
            f"{_F(100 * self.cohort.incidence)}% (simulated)."
        )

    def describe(self) -> str:
        """The figure's content in a few sentences, from the numbers it plots."""
        cohort, s = self.cohort, self.settings
        cond, c, d = s["condition"], self.cohort.counts, self.cohort.diameters_mm
        treat = (
            "no treatment"
            if cond.treatment == "none"
            else f"{cond.treatment} from week {_F(cond.treatment_start)} of age to harvest"
        )
        if cond.treatment != "none" and cond.treatment_start >= cond.harvest_week:
            treat += " (it would start after harvest, so it was never given)"
        sizes = (
            f"nodule diameters median {_F(np.median(d))} mm, largest {_F(d.max())} mm"
            if d.size
            else "no nodules, so no sizes"
        )
        k, big = self.liver.count, self.liver.diameters_mm[:1]
        liver = (
            f"Drawn: mouse {s['mouse']} with {k} nodule{'s' * (k != 1)}"
            + "".join(f" (largest {_F(x)} mm)" for x in big)
            + "."
        )
        return (
            f"Simulated DEN/TCPOBOP cohort: "
            f"{count_of(s['n'], f'{cond.genotype} {cond.sex} mouse', f'{cond.genotype} {cond.sex} mice')}, {treat}, "
            f"harvest at week {_F(cond.harvest_week)} of age (seed {s['seed']}). Incidence "
            f"{_F(100 * cohort.incidence)}% ({int((c > 0).sum())} of {count_of(c.size, 'mouse', 'mice')} with a "
            f"countable tumour); mean {_F(c.mean())} tumours per liver (range {c.min()} to "
            f"{c.max()}); {sizes}. {liver}"
        )
