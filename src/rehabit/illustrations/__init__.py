"""Exercise illustrations drawn from pose data.

A pose is a handful of joint angles for one simple figure (see :mod:`.poses`); one
renderer (:mod:`.render`) turns every exercise's key positions into an SVG in the same
style. ``python -m rehabit.illustrations`` regenerates ``rehabit/static/exercises/``.
"""

from rehabit.illustrations.poses import ILLUSTRATIONS, Illustration, Pose
from rehabit.illustrations.render import render_svg

__all__ = ["ILLUSTRATIONS", "Illustration", "Pose", "render_svg"]
