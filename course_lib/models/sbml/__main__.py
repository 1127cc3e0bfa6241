"""``python -m course_lib.models.sbml``: write a course model as an SBML file.

    python -m course_lib.models.sbml signaling --cell hepatocyte --stimulus IL-6 --dose 10 \
        --out model.xml
    python -m course_lib.models.sbml milieu --il6 0.002 --sil6r 0.3 --sgp130 3 --out milieu.xml
"""

from __future__ import annotations

import argparse
import sys

from course_lib.errors import CourseLibError
from course_lib.models.milieu import PROTEINS
from course_lib.models.sbml import milieu_sbml, signaling_sbml

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_lib.models.sbml",
        description="Write a course model as SBML Level 3 (needs python-libsbml).",
    )
    models = parser.add_subparsers(dest="model", required=True)
    sig = models.add_parser("signaling", help="JAK1/STAT3/SOCS3 model of one cell (lesson 03)")
    sig.add_argument("--cell", default="hepatocyte", help="cell type (default: hepatocyte)")
    sig.add_argument("--stimulus", default="IL-6", help="IL-6, 'IL-6 + sIL-6R' or Hyper-IL-6")
    sig.add_argument("--dose", type=float, default=10.0, help="ng/mL of IL-6 or Hyper-IL-6")
    sig.add_argument("--sil6r", type=float, default=40.0, help="ng/mL sIL-6R (IL-6 + sIL-6R)")
    sig.add_argument("--sgp130fc", type=float, default=0.0, help="ug/mL sgp130Fc in the medium")
    sig.add_argument("--no-feedback", action="store_true", help="switch SOCS3 feedback off")
    mil = models.add_parser("milieu", help="IL-6 milieu of blood (lesson 04)")
    for name in PROTEINS:
        mil.add_argument(
            f"--{name.replace('_', '-')}",
            dest=name,
            type=float,
            default=0.0,
            help=f"level of {name} on its own, nM",
        )
    for sub in (sig, mil):
        sub.add_argument("--out", required=True, help="the SBML file to write")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, write the SBML file, print where it went; 0 on success, 2 on an error."""
    args = _parser().parse_args(argv)
    try:
        if args.model == "signaling":
            signaling_sbml(
                args.cell,
                args.stimulus,
                args.dose,
                sil6r_ng_ml=args.sil6r,
                sgp130fc_ug_ml=args.sgp130fc,
                socs3_feedback=not args.no_feedback,
                path=args.out,
            )
        else:
            milieu_sbml(path=args.out, **{name: getattr(args, name) for name in PROTEINS})
    except (CourseLibError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
