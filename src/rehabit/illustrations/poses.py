"""Pose data for the exercise illustrations.

Every picture is one figure seen from the side, described by joint angles in degrees:

* ``trunk``: the pelvis-to-shoulder line against the vertical; positive leans forward
  (towards where the figure faces), ``-90`` lies on the back, ``90`` bends flat forward.
* ``head``: neck flexion relative to the trunk (chin towards chest is positive).
* a leg: ``hip`` flexion (negative = extension), ``knee`` flexion, ``ankle`` plantar
  flexion (pointing the toes is positive).
* an arm: ``shoulder`` flexion (0 = hanging by the side, 90 = forward, 180 = overhead),
  ``elbow`` flexion.

The *near* limbs face the viewer and are drawn on top; the *near leg* is the working
leg and is drawn in the accent colour (``working="both"`` colours both legs). The figure
rests on the floor by its lowest point unless ``y`` fixes the pelvis height; ``x`` places
the ``anchor`` joint (the pelvis unless a foot must stay put between key positions).
``view="front"`` draws a side-lying figure seen from the front (legs move in the picture
plane, no nose). ``focus`` softly marks the stretched or working area, ``force`` draws a
push arrow for a hold without movement, ``hold`` adds a stopwatch, and an illustration's
``motion`` arrows trace a joint from one key position to the next. Angles outside a
normal adult range of motion are rejected by :func:`check_plausible`, so a typo cannot
draw a broken knee.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Facing = Literal["right", "left"]
View = Literal["side", "front"]
Working = Literal["near", "both", "none"]
PropKind = Literal["chair", "step", "counter", "wall", "mat", "bench", "slider"]

JOINTS = (
    "pelvis",
    "shoulder",
    "head",
    "near_knee",
    "near_ankle",
    "near_heel",
    "near_toe",
    "far_knee",
    "far_ankle",
    "far_heel",
    "far_toe",
    "near_elbow",
    "near_hand",
    "far_elbow",
    "far_hand",
)
# Areas that can be marked as stretched or working (a soft accent band under the body).
FOCUS_AREAS = (
    "torso",
    "lower_back",
    "hip",
    "near_thigh",
    "near_shin",
    "far_thigh",
    "far_shin",
)


@dataclass(frozen=True)
class Leg:
    hip: float
    knee: float
    ankle: float = 0.0


@dataclass(frozen=True)
class Arm:
    shoulder: float
    elbow: float = 0.0


@dataclass(frozen=True)
class Prop:
    """Furniture drawn behind the figure, placed relative to one of its joints.

    ``at`` names the joint the prop supports (a chair seat under the pelvis, a step
    under the heel, a counter or wall under the hand); ``size`` is the prop's width
    in panel units and ``offset`` shifts it along the floor.
    """

    kind: PropKind
    at: str = "pelvis"
    size: float = 0.0
    offset: float = 0.0


@dataclass(frozen=True)
class Force:
    """A short straight arrow at a joint showing which way to push (no movement).

    ``angle`` uses the trunk convention: 0 points up, 90 towards where the figure
    faces, 180 down, 270 backwards.
    """

    joint: str
    angle: float
    dx: float = 0.0
    dy: float = 0.0


@dataclass(frozen=True)
class Pose:
    trunk: float
    near_leg: Leg
    far_leg: Leg
    near_arm: Arm
    far_arm: Arm
    head: float = 0.0
    x: float = 120.0
    y: float | None = None
    anchor: str = "pelvis"
    facing: Facing = "right"
    view: View = "side"
    focus: tuple[str, ...] = ()
    props: tuple[Prop, ...] = ()
    force: tuple[Force, ...] = ()
    hold: bool = False


@dataclass(frozen=True)
class Motion:
    """A curved arrow tracing ``joint`` from one key position to the next.

    ``dx``/``dy`` move the arrow off the body (panel units), ``bend`` curves it to
    one side (negative curves the other way, 0 draws it straight).
    """

    joint: str
    dx: float = 0.0
    dy: float = 0.0
    bend: float = 1.0


@dataclass(frozen=True)
class Illustration:
    """The key positions of one exercise, drawn side by side (start -> end)."""

    id: str
    poses: tuple[Pose, ...]
    working: Working = "near"
    motion: tuple[Motion, ...] = ()


# Normal adult ranges of motion (degrees), generous at both ends. A front-view pose
# (lying on the side, seen from the front) moves legs in the frontal plane, so only
# the knee and elbow limits apply to it.
RANGES: dict[str, tuple[float, float]] = {
    "trunk": (-120.0, 120.0),
    "head": (-45.0, 60.0),
    "hip": (-35.0, 160.0),
    "knee": (0.0, 160.0),
    "ankle": (-30.0, 90.0),
    "shoulder": (-70.0, 185.0),
    "elbow": (0.0, 155.0),
}


def _check(name: str, value: float, where: str) -> None:
    low, high = RANGES[name]
    if not low <= value <= high:
        raise ValueError(f"{where}: {name} {value} outside {low}..{high}")


def check_plausible(illustration: Illustration) -> None:
    """Raise ValueError if any pose of the illustration is anatomically implausible."""
    if not 1 <= len(illustration.poses) <= 3:
        raise ValueError(f"{illustration.id}: needs 1 to 3 key positions")
    for motion in illustration.motion:
        if motion.joint not in JOINTS:
            raise ValueError(f"{illustration.id}: unknown motion joint {motion.joint!r}")
    for number, pose in enumerate(illustration.poses, start=1):
        where = f"{illustration.id} position {number}"
        _check("trunk", pose.trunk, where)
        _check("head", pose.head, where)
        for leg in (pose.near_leg, pose.far_leg):
            _check("knee", leg.knee, where)
            _check("ankle", leg.ankle, where)
            if pose.view == "side":
                _check("hip", leg.hip, where)
        for arm in (pose.near_arm, pose.far_arm):
            _check("elbow", arm.elbow, where)
            if pose.view == "side":
                _check("shoulder", arm.shoulder, where)
        for area in pose.focus:
            if area not in FOCUS_AREAS:
                raise ValueError(f"{where}: unknown focus area {area!r}")
        for prop in pose.props:
            if prop.at not in JOINTS:
                raise ValueError(f"{where}: prop placed at unknown joint {prop.at!r}")
        for joint in (pose.anchor, *(f.joint for f in pose.force)):
            if joint not in JOINTS:
                raise ValueError(f"{where}: unknown joint {joint!r}")


# --- the library -------------------------------------------------------------------
# Short constructors keep one pose on a few readable lines.
L = Leg
A = Arm
P = Prop
M = Motion
F = Force

ILLUSTRATIONS: dict[str, Illustration] = {}


def _add(illustration: Illustration) -> None:
    check_plausible(illustration)
    ILLUSTRATIONS[illustration.id] = illustration


_MAT = (P("mat"),)
_CHAIR = (P("chair"),)
_NORDIC = (P("mat"), P("bench", at="near_ankle"))
_FLAT = A(0)  # an arm resting along the body

# One pose per line: Pose(trunk, near leg, far leg, near arm, far arm, ...); see above.
# fmt: off

# Seated hamstring stretch: sit tall, near leg straight, other knee bent with the foot
# flat; then hinge forward from the hips with a long back.
_add(Illustration("seated_hamstring_stretch", motion=(M("head", dy=12, bend=-0.8),), poses=(
    Pose(0, L(90, 0, 0), L(130, 89, 41), A(35, 30), A(25, 25), x=70, y=8, props=_MAT),
    Pose(38, L(128, 0, 0), L(156, 65, 55), A(72, 20), A(68, 20), head=10, x=70, y=8,
         focus=("near_thigh",), props=_MAT),
)))

# Glute bridge: lie on the back, knees bent, feet flat; lift the hips into a straight line.
_add(Illustration("glute_bridge", working="both", motion=(M("pelvis", dy=26, bend=0),), poses=(
    Pose(-90, L(56, 126, 20), L(56, 126, 20), A(-5), A(-5), head=15, x=125, props=_MAT),
    Pose(-111, L(0, 105, 5), L(0, 105, 5), A(-25), A(-25), head=25, x=125,
         focus=("hip", "near_thigh"), props=_MAT),
)))

# Standing quadriceps stretch: a hand on the wall, then hold the near ankle behind.
_add(Illustration("standing_quadriceps_stretch",
    motion=(M("near_ankle", dx=-14, bend=-0.6),), poses=(
    Pose(0, L(0, 0, 0), L(0, 0, 0), A(5, 10), A(80, 10), props=(P("wall", at="far_hand"),)),
    Pose(0, L(-5, 150, 30), L(0, 0, 0), A(-21, 2), A(80, 10), focus=("near_thigh",),
         props=(P("wall", at="far_hand"),)),
)))

# Child's pose: from hands and knees, sit back towards the heels with the arms long.
_add(Illustration("childs_pose", working="none", motion=(M("pelvis", dy=14, bend=0.5),), poses=(
    Pose(90, L(90, 90, 90), L(90, 90, 90), A(90), A(90), head=10, x=85, props=_MAT),
    Pose(102, L(155, 143, 90), L(155, 143, 90), A(178), A(178), head=10, x=72,
         focus=("lower_back",), props=_MAT),
)))

# Isometric knee bend, seated: press the heel back into the chair leg and hold.
_add(Illustration("seated_isometric_knee_flexion", poses=(
    Pose(0, L(90, 125, 15), L(90, 90, 0), A(25, 45), A(25, 45), x=95, y=48, focus=("near_thigh",),
         props=_CHAIR, force=(F("near_heel", 270, dx=-6, dy=6),), hold=True),
)))

# Isometric heel dig, lying: knee a little bent, dig the heel into the floor and hold.
_add(Illustration("isometric_heel_dig", poses=(
    Pose(-90, L(30, 68, 0), L(0, 0, 0), _FLAT, _FLAT, head=15, x=105, y=8,
         focus=("near_thigh",), props=_MAT, force=(F("near_heel", 180, dy=36),), hold=True),
)))

# Isometric bridge hold: hips up in a straight line and hold.
_add(Illustration("isometric_bridge_hold", working="both", poses=(
    Pose(-111, L(0, 105, 5), L(0, 105, 5), A(-25), A(-25), head=25, x=115,
         focus=("hip", "near_thigh"), props=_MAT, force=(F("pelvis", 0, dy=14),), hold=True),
)))

# Single-leg bridge: one foot on the floor, the other leg long; lift the hips.
_add(Illustration("single_leg_bridge", motion=(M("pelvis", dy=26, bend=0),), poses=(
    Pose(-90, L(56, 126, 20), L(56, 0, 0), _FLAT, _FLAT, head=15, y=8, props=_MAT),
    Pose(-111, L(0, 105, 5), L(0, 0, 0), A(-25), A(-25), head=25,
         focus=("hip", "near_thigh"), props=_MAT),
)))

# Long-lever bridge: heels on a step, knees slightly bent; lift the hips.
_add(Illustration("long_lever_bridge", working="both", motion=(M("pelvis", dy=24, bend=0),), poses=(
    Pose(-90, L(26, 17, 0), L(26, 17, 0), _FLAT, _FLAT, head=15, x=178, y=8,
         anchor="near_heel", props=(P("mat"), P("step", at="near_heel", size=40))),
    Pose(-106, L(0, 20, 0), L(0, 20, 0), A(-15), A(-15), head=25, x=178, anchor="near_heel",
         focus=("near_thigh",), props=(P("mat"), P("step", at="near_heel", size=40))),
)))

# Nordic hamstring curl: kneel tall with the heels held down (here hooked under a heavy
# bench; a partner's hands do the same), lower forward slowly, catch with the hands.
_add(Illustration("nordic_hamstring_curl", working="both", motion=(M("head", bend=-0.5),), poses=(
    Pose(0, L(0, 90, 70), L(0, 90, 70), A(30, 70), A(30, 70), props=_NORDIC),
    Pose(45, L(0, 45, 70), L(0, 45, 70), A(40, 80), A(40, 80), focus=("near_thigh",),
         props=_NORDIC),
    Pose(80, L(0, 10, 70), L(0, 10, 70), A(21, 132), A(21, 132), y=18, props=_NORDIC),
)))

# Askling L1 "Extender": lying, hold the thigh up, slowly straighten the knee.
_add(Illustration("askling_extender", motion=(M("near_ankle", dy=8, bend=0.6),), poses=(
    Pose(-90, L(90, 90, 0), L(0, 0, 0), A(34, 2), A(34, 2), head=15, x=110, y=8, props=_MAT),
    Pose(-90, L(90, 15, -10), L(0, 0, 0), A(34, 2), A(34, 2), head=15, x=110, y=8,
         focus=("near_thigh",), props=_MAT),
)))

# Askling L2 "Diver": stand on the near leg, tip forward reaching long as the far leg
# rises behind.
_add(Illustration("askling_diver", motion=(M("far_ankle", bend=-0.6),), poses=(
    Pose(0, L(10, 10, -5), L(0, 0, 0), A(10, 10), A(10, 10), x=90),
    Pose(70, L(80, 15, -5), L(0, 0, 20), A(170), A(170), x=110, focus=("near_thigh",)),
)))

# Askling L3 "Glider": hands on a counter, front leg slightly bent, slide the back foot
# away and pull back with the arms.
_add(Illustration("askling_glider", motion=(M("far_ankle", dy=16, bend=-0.3),), poses=(
    Pose(8, L(23, 15, 0), L(2, 7, -10), A(52, 2), A(52, 2), x=110, y=89.5, props=(P("counter",
         at="near_hand"), P("slider", at="far_toe"))),
    Pose(15, L(60, 15, 30), L(-23, 2, -20), A(59, 2), A(59, 2), x=110, y=72.4,
         anchor="near_ankle", focus=("near_thigh",), props=(P("counter",
         at="near_hand"), P("slider", at="far_toe"))),
)))

# Sciatic nerve slider, seated: bend the knee while looking down, then straighten the
# knee while looking up, so the nerve slides rather than stretches.
_add(Illustration("sciatic_nerve_slider", motion=(M("near_ankle", dx=10, bend=0.5),), poses=(
    Pose(5, L(95, 90, 0), L(95, 90, 0), A(20, 50), A(20, 50), head=35, x=95, y=48, props=_CHAIR),
    Pose(5, L(95, 12, -20), L(95, 90, 0), A(20, 50), A(20, 50), head=-25, x=95, y=48, props=_CHAIR),
)))

# Figure-four stretch, lying: cross the near ankle over the far knee, then draw the far
# thigh towards the chest.
_add(Illustration("figure_four_stretch", motion=(M("far_knee", dx=34, dy=34, bend=0.4),), poses=(
    Pose(-90, L(110, 122, 0), L(46, 101, 34), _FLAT, _FLAT, head=15, x=115, y=8,
         focus=("hip",), props=_MAT),
    Pose(-90, L(118, 118, 0), L(90, 50, 0), A(40, 2), A(40, 2), head=20, x=115, y=8,
         focus=("hip",), props=_MAT, hold=True),
)))

# Hip hinge: soft knees, push the hips back with a long back, hands sliding to the knees.
_add(Illustration("hip_hinge", working="both", motion=(M("pelvis", dy=10, bend=-0.4),), poses=(
    Pose(0, L(0, 0, 0), L(0, 0, 0), A(5, 2), A(5, 2), x=110),
    Pose(65, L(75, 15, -5), L(75, 15, -5), A(28, 2), A(28, 2), head=-10, x=110,
         anchor="near_ankle", focus=("near_thigh",)),
)))

# Side-lying hip abduction, seen from the front: lie on the far side with the head on
# the lower arm, lift the top leg a little and lower it slowly.
_add(Illustration("side_lying_hip_abduction", motion=(M("near_ankle", dy=10, bend=0.4),), poses=(
    Pose(-90, L(0, 0, 70), L(0, 0, 70), A(15, 10), A(180), head=12, x=128, view="front",
         props=_MAT),
    Pose(-90, L(32, 0, 70), L(0, 0, 70), A(15, 10), A(180), head=12, x=128, view="front",
         focus=("hip",), props=_MAT),
)))

# Standing hip extension: hands on a counter, take the straight near leg back.
_add(Illustration("standing_hip_extension", motion=(M("near_ankle", dy=12, bend=-0.5),), poses=(
    Pose(5, L(5, 0, 0), L(5, 0, 0), A(60, 20), A(60, 20), x=90, props=(P("counter",
         at="near_hand"),)),
    Pose(12, L(-22, 5, 20), L(12, 0, 0), A(55, 20), A(55, 20), x=90, anchor="far_ankle",
         focus=("hip",), props=(P("counter", at="near_hand"),)),
)))

# Walking: an easy, upright stride with relaxed arm swing.
_add(Illustration("walking_programme", working="none", poses=(
    Pose(4, L(24, 4, -12), L(-14, 12, 20), A(-22, 25), A(25, 30), x=110),
    Pose(4, L(-14, 12, 20), L(24, 4, -12), A(25, 30), A(-22, 25), x=110),
)))
# fmt: on

# fmt: off
# Easy jog: an upright, relaxed running stride, one foot forward and then the other.
_add(Illustration("easy_jog", working="none", poses=(
    Pose(8, L(42, 55, -10), L(-12, 50, 30), A(-30, 85), A(35, 85), x=110),
    Pose(8, L(-12, 50, 30), L(42, 55, -10), A(35, 85), A(-30, 85), x=110),
)))

# Build-up runs: a fast stride with the knee driving forward and a slight forward lean.
_add(Illustration("build_up_runs", poses=(
    Pose(15, L(70, 75, -10), L(-25, 60, 40), A(-45, 95), A(60, 95), x=110,
         focus=("near_thigh",)),
    Pose(15, L(-25, 60, 40), L(70, 75, -10), A(60, 95), A(-45, 95), x=110),
)))

# Leg swings: stand on the far leg and swing the near leg forward, then back.
_add(Illustration("leg_swings", motion=(M("near_ankle", dy=6, bend=0.6),), poses=(
    Pose(0, L(50, 10, 0), L(0, 0, 0), A(-10, 15), A(20, 15), x=100, anchor="far_ankle",
         focus=("near_thigh",)),
    Pose(2, L(-25, 20, 15), L(0, 0, 0), A(20, 15), A(-10, 15), x=120, anchor="far_ankle"),
)))

# Forward lunge: from standing, step the near leg forward and lower the back knee.
_add(Illustration("forward_lunge", motion=(M("pelvis", dy=14, bend=0),), poses=(
    Pose(0, L(0, 0, 0), L(0, 0, 0), A(-15, 70), A(-15, 70), x=100),
    Pose(4, L(85, 85, 0), L(-15, 95, 45), A(-15, 70), A(-15, 70), x=100,
         focus=("hip", "near_thigh")),
)))
# fmt: on
