"""Regenerate every exercise illustration: ``python -m rehabit.illustrations``.

Writes ``rehabit/static/exercises/<illustration>.svg`` for each exercise in the library,
titled with the exercise name and described with its text alternative, and removes no
other files. ``--check`` writes nothing and exits 1 if any file is missing or stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rehabit.clinical.exercises import ILLUSTRATION_DIR, Exercise, read_exercises
from rehabit.illustrations.poses import ILLUSTRATIONS
from rehabit.illustrations.render import render_svg


def render_exercise(exercise: Exercise) -> str:
    """The SVG text for one exercise's illustration."""
    return render_svg(ILLUSTRATIONS[exercise.illustration], exercise.name, exercise.alt)


def rendered_files() -> dict[Path, str]:
    """Every illustration file the library needs, with its expected content."""
    exercises = read_exercises(check_illustrations=False)
    missing = sorted({e.illustration for e in exercises} - set(ILLUSTRATIONS))
    if missing:
        raise SystemExit(f"no pose data for: {', '.join(missing)}")
    return {ILLUSTRATION_DIR / f"{e.illustration}.svg": render_exercise(e) for e in exercises}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rehabit.illustrations")
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    stale = []
    for path, text in rendered_files().items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path.name)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    verb = "stale" if args.check else "written"
    sys.stdout.write(f"{len(stale)} illustration(s) {verb}: {' '.join(stale) or '-'}\n")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
