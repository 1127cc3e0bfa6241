"""Lesson 04's predictions: how the sgp130Fc trap acts in a dish, in blood and in a mouse.

>>> box = transgenic_hepatocyte()
>>> box.choices[0].value = "gone"
>>> box.commit(), box.answers
(True, {0: 'kept'})
"""

from __future__ import annotations

import numpy as np

from course_lib._text import format_number as fmt
from course_lib.models.mouse import signals
from course_lib.models.selectivity import compare_settings
from course_lib.models.therapy import DRUGS, inhibition
from course_lib.widgets.predict import Answer, PredictBox, Question, predict_box

__all__ = ["dish_or_blood", "no_sil6r", "potency", "transgenic_hepatocyte"]

#: sgp130Fc doses of the dish without sIL-6R, nM.
NO_SIL6R_DOSES_NM = (1.0, 100.0, 10_000.0)
#: The mouse serum and drug level of the dish-versus-blood question.
MOUSE_SERUM, MOUSE_LEVEL_UG_ML = "mouse (DEN/TCPOBOP)", 30.0


def _pct(x: float) -> str:
    return f"{fmt(100 * x)}%"


def _no_sil6r() -> Answer:
    res = inhibition("sgp130Fc", NO_SIL6R_DOSES_NM, background={"il6": 0.5, "sil6r": 0.0})
    left = np.asarray(res.classic_remaining)
    key = "same" if np.all(np.abs(left - 1) < 0.02) else ("falls" if left[-1] < 0.98 else "rises")
    kept = ", ".join(_pct(x) for x in left)
    doses = ", ".join(fmt(d) for d in NO_SIL6R_DOSES_NM)
    return Answer(
        key,
        f"With 0.5 nM IL-6 and no sIL-6R, the hepatocyte keeps {kept} of its classic signal at "
        f"{doses} nM sgp130Fc.",
    )


def no_sil6r() -> PredictBox:
    """A dish with IL-6 and no sIL-6R: what does sgp130Fc do to a hepatocyte's classic signal?"""
    q = Question(
        "A hepatocyte in a dish gets IL-6 but there is no sIL-6R at all. As you add more and "
        "more sgp130Fc, its classic STAT3 signal...",
        {
            "falls": "falls: sgp130Fc soaks up IL-6",
            "same": "stays the same at every dose",
            "rises": "rises: sgp130Fc frees gp130",
        },
        _no_sil6r,
        "sgp130Fc is a decoy for the IL-6·sIL-6R complex; without sIL-6R there is no complex to "
        "catch, and it binds neither free IL-6 nor membrane IL-6R.",
    )
    return predict_box([q], title="Predict: sgp130Fc without sIL-6R")


def _potency() -> Answer:
    conc = np.logspace(-3, 4, 400)
    ic50 = {name: inhibition(name, conc).ic50("trans") for name in DRUGS}
    best = min(ic50, key=ic50.get)
    listed = ", ".join(f"{name} {fmt(v)} nM" for name, v in ic50.items())
    return Answer(best, f"Concentration that halves trans-signalling in inflamed serum: {listed}.")


def potency() -> PredictBox:
    """Which drug halves trans-signalling at the lowest concentration in inflamed serum?"""
    q = Question(
        "In inflamed serum (10 ng/mL IL-6, 40 ng/mL sIL-6R, 300 ng/mL sgp130), which drug halves "
        "trans-signalling at the lowest concentration?",
        {name: name for name in DRUGS},
        _potency,
        "Potency is not selectivity: an antibody that catches IL-6 itself needs only to match "
        "the little IL-6 there is, but it takes IL-6 from classic signalling just as much.",
    )
    return predict_box([q], title="Predict: the most potent blocker")


def _dish_or_blood() -> Answer:
    here = compare_settings(MOUSE_SERUM, level_ug_ml=MOUSE_LEVEL_UG_ML).at_level()
    kept = {s: here[s]["classic"] >= 0.9 for s in ("dish", "blood")}
    key = {
        (True, True): "both",
        (False, False): "neither",
        (False, True): "blood",
        (True, False): "dish",
    }[(kept["dish"], kept["blood"])]
    return Answer(
        key,
        f"At {fmt(MOUSE_LEVEL_UG_ML)} µg/mL sgp130Fc, classic signalling left: "
        f"{_pct(here['dish']['classic'])} in the dish, {_pct(here['blood']['classic'])} in "
        f"blood; trans-signalling left: {_pct(here['dish']['trans'])} and "
        f"{_pct(here['blood']['trans'])}.",
    )


def dish_or_blood() -> PredictBox:
    """Mouse serum with 30 µg/mL sgp130Fc: where is classic signalling kept, dish or blood?"""
    q = Question(
        f"Mouse serum during carcinogenesis with {fmt(MOUSE_LEVEL_UG_ML)} µg/mL sgp130Fc. Where "
        "does the hepatocyte keep at least 90% of its classic signal?",
        {
            "both": "in the dish and in blood",
            "dish": "only in the dish",
            "blood": "only in blood",
            "neither": "in neither",
        },
        _dish_or_blood,
        "In the closed dish the trap keeps pulling IL-6 onto sIL-6R until free IL-6 runs out; in "
        "blood IL-6 is cleared long before it meets sIL-6R, so free IL-6, the classic ligand, "
        "is set by production and clearance (if captured complexes leave blood fast enough).",
    )
    return predict_box([q], title="Predict: a dish and a living animal")


def _transgenic_hepatocyte() -> Answer:
    tg = signals(genotype="sgp130Fc transgenic")
    classic, trans = tg.hepatocyte_classic[0], tg.hepatocyte_trans[0]
    key = "kept" if classic >= 0.8 else ("half" if classic >= 0.2 else "gone")
    return Answer(
        key,
        f"Hepatocyte classic signal {fmt(classic)} and trans signal {fmt(trans)} times a "
        "wild-type male's (the model's blood, an open system).",
    )


def transgenic_hepatocyte() -> PredictBox:
    """Classic signalling in the hepatocytes of an sgp130Fc-transgenic mouse."""
    q = Question(
        "A mouse makes sgp130Fc from a transgene, all its life. Its hepatocytes' classic "
        "signalling, compared with a wild-type mouse, is...",
        {
            "kept": "about the same",
            "half": "roughly halved",
            "gone": "almost gone, like an IL-6 knockout",
        },
        _transgenic_hepatocyte,
        "The trap takes the IL-6·sIL-6R complex, not free IL-6; in a living mouse free IL-6 is "
        "set by how fast it is made and cleared, so classic signalling stays while trans falls.",
    )
    return predict_box([q], title="Predict: the transgenic mouse's hepatocytes")
