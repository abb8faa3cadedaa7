"""One small SVG renderer for every exercise illustration.

Pose angles -> joint positions (forward kinematics from the pelvis) -> a figure of thick
rounded strokes on a floor line. Key positions sit side by side in panels with a step
number each, an arrow between panels and a curved arrow tracing the moving joint. The
output is deterministic: the same data gives byte-identical SVG.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from rehabit.illustrations.poses import Force, Illustration, Motion, Pose, Prop

# Colours: all strokes that carry meaning reach at least 3:1 against white (WCAG 1.4.11).
INK = "#1F3A4D"  # near body
FAR = "#687A8A"  # limbs on the far side
ACCENT = "#C2410C"  # working leg, movement arrows
ACCENT_FAR = "#9A3412"  # far leg when both legs work
PROP = "#738290"  # furniture outlines, floor
PROP_FILL = "#EEF1F4"
PALETTE = (INK, FAR, ACCENT, ACCENT_FAR, PROP)

# Body proportions in panel units (a standing figure is about 180 units tall).
TORSO, NECK, HEAD_R = 56.0, 7.0, 12.0
THIGH, SHIN, FOOT, HEEL = 44.0, 43.0, 15.0, 4.0
UPPER_ARM, FOREARM, HAND_R = 29.0, 26.0, 5.0
TORSO_W, LIMB_W, FOOT_W = 16.0, 10.0, 8.0

# A panel is PANEL_W wide; its height fits the tallest pose of the exercise.
PANEL_W, GAP, HEADROOM, BASE, MIN_H = 240.0, 34.0, 40.0, 14.0, 120.0

Point = tuple[float, float]


def _n(value: float) -> str:
    """Format a coordinate with one decimal, without '-0' or a trailing '.0'."""
    text = f"{round(value, 1):.1f}"
    if text == "-0.0":
        text = "0.0"
    return text[:-2] if text.endswith(".0") else text


def _dir(angle: float, sign: float) -> Point:
    rad = math.radians(angle)
    return (sign * math.sin(rad), math.cos(rad))


def _step(start: Point, angle: float, length: float, sign: float) -> Point:
    dx, dy = _dir(angle, sign)
    return (start[0] + dx * length, start[1] + dy * length)


def joints(pose: Pose) -> dict[str, Point]:
    """Joint positions in panel units, y up from the floor (forward kinematics)."""
    sign = 1.0 if pose.facing == "right" else -1.0
    pts: dict[str, Point] = {"pelvis": (0.0, 0.0)}
    pts["shoulder"] = _step(pts["pelvis"], pose.trunk, TORSO, sign)
    neck = pose.trunk + pose.head
    pts["head"] = _step(pts["shoulder"], neck, NECK + HEAD_R, sign)
    pts["nose"] = _step(pts["head"], neck + 100.0, HEAD_R, sign)
    for side, leg in (("near", pose.near_leg), ("far", pose.far_leg)):
        thigh = pose.trunk + 180.0 - leg.hip
        shin = thigh + leg.knee
        foot = shin - 90.0 + leg.ankle
        pts[f"{side}_knee"] = _step(pts["pelvis"], thigh, THIGH, sign)
        pts[f"{side}_ankle"] = _step(pts[f"{side}_knee"], shin, SHIN, sign)
        pts[f"{side}_heel"] = _step(pts[f"{side}_ankle"], foot, -HEEL, sign)
        pts[f"{side}_toe"] = _step(pts[f"{side}_ankle"], foot, FOOT, sign)
    for side, arm in (("near", pose.near_arm), ("far", pose.far_arm)):
        upper = pose.trunk + 180.0 - arm.shoulder
        pts[f"{side}_elbow"] = _step(pts["shoulder"], upper, UPPER_ARM, sign)
        pts[f"{side}_hand"] = _step(pts[f"{side}_elbow"], upper - arm.elbow, FOREARM, sign)
    radius = {"head": HEAD_R, "pelvis": TORSO_W / 2, "shoulder": TORSO_W / 2}
    radius.update({f"{s}_hand": HAND_R for s in ("near", "far")})
    if pose.y is None:
        lowest = min(y - radius.get(name, LIMB_W / 2) for name, (_, y) in pts.items())
        lift = -lowest
    else:
        lift = pose.y
    shift = pose.x - pts[pose.anchor][0]
    return {name: (x + shift, y + lift) for name, (x, y) in pts.items()}


class _Canvas:
    """SVG snippets for one panel; takes figure units (y up from the floor)."""

    def __init__(self, left: float, height: float, margin: float = 0.0) -> None:
        self.left = left + margin
        self.margin = margin  # extra room each side when one pose fills a wide picture
        self.floor = height - BASE
        self.top = height - BASE  # figure units at the panel's top edge
        self.parts: list[str] = []

    def clamp(self, x: float) -> float:
        """Keep an x coordinate (figure units) inside the panel."""
        return min(max(x, 4.0 - self.margin), PANEL_W + self.margin - 4.0)

    def xy(self, p: Point) -> str:
        return f"{_n(self.left + p[0])} {_n(self.floor - p[1])}"

    def line(self, a: Point, b: Point, colour: str, width: float, extra: str = "") -> None:
        self.parts.append(
            f'<path d="M{self.xy(a)} L{self.xy(b)}" stroke="{colour}" '
            f'stroke-width="{_n(width)}"{extra}/>'
        )

    def poly(self, pts: list[Point], colour: str, width: float, fill: str = "none") -> None:
        d = "M" + " L".join(self.xy(p) for p in pts)
        self.parts.append(
            f'<path d="{d}" stroke="{colour}" stroke-width="{_n(width)}" fill="{fill}"/>'
        )

    def circle(self, c: Point, r: float, fill: str, extra: str = "") -> None:
        x, y = self.xy(c).split()
        self.parts.append(f'<circle cx="{x}" cy="{y}" r="{_n(r)}" fill="{fill}"{extra}/>')

    def box(self, x0: float, y0: float, x1: float, y1: float, radius: float = 3.0) -> None:
        """A prop rectangle given in figure units (y up)."""
        lo_x, hi_x = sorted((x0, x1))
        lo_y, hi_y = sorted((y0, y1))
        self.parts.append(
            f'<rect x="{_n(self.left + lo_x)}" y="{_n(self.floor - hi_y)}" '
            f'width="{_n(hi_x - lo_x)}" height="{_n(hi_y - lo_y)}" rx="{_n(radius)}" '
            f'fill="{PROP_FILL}" stroke="{PROP}" stroke-width="3"/>'
        )


def _prop(canvas: _Canvas, prop: Prop, pts: dict[str, Point], sign: float) -> None:
    ax, ay = pts[prop.at]
    ax += prop.offset * sign
    if prop.kind == "chair":
        seat = ay - TORSO_W / 2
        depth = prop.size or 46.0
        front, back = ax + sign * 18.0, ax - sign * (depth - 18.0)
        for leg_x in (front - sign * 4.0, back + sign * 4.0):
            canvas.line((leg_x, seat), (leg_x, 0.0), PROP, 4.0)
        canvas.line((back + sign * 2.0, seat), (back - sign * 2.0, seat + 52.0), PROP, 5.0)
        canvas.box(front, seat, back, seat - 6.0, 2.0)
    elif prop.kind == "step":
        top = ay - FOOT_W / 2
        width = prop.size or 44.0
        canvas.box(ax - width / 2, 0.0, ax + width / 2, top)
    elif prop.kind == "counter":
        top = ay - HAND_R
        width = prop.size or 50.0
        canvas.box(ax - sign * 8.0, 0.0, ax + sign * (width - 8.0), top)
    elif prop.kind == "wall":
        x = ax + sign * (HAND_R + 3.0)
        canvas.box(x, 0.0, x + sign * 10.0, canvas.top - 30.0, 1.0)
    elif prop.kind == "slider":
        canvas.box(ax - 12.0, 0.0, ax + 12.0, 3.5, 1.5)
    elif prop.kind == "bench":
        # A heavy bench whose edge holds the heels down (a partner's hands do the same).
        under = ay + FOOT_W / 2 + 1.0
        canvas.box(ax - sign * 56.0, under, ax + sign * 8.0, under + 12.0, 2.0)
        canvas.line((ax - sign * 48.0, under), (ax - sign * 48.0, 0.0), PROP, 5.0)


def _mat(canvas: _Canvas, pts: dict[str, Point]) -> None:
    xs = [x for name, (x, y) in pts.items() if y < 20.0 and name != "nose"]
    if xs:
        canvas.box(canvas.clamp(min(xs) - 16.0), -1.0, canvas.clamp(max(xs) + 16.0), 3.0, 2.0)


_FOCUS: dict[str, tuple[str, str]] = {
    "torso": ("pelvis", "shoulder"),
    "near_thigh": ("pelvis", "near_knee"),
    "near_shin": ("near_knee", "near_ankle"),
    "far_thigh": ("pelvis", "far_knee"),
    "far_shin": ("far_knee", "far_ankle"),
}


def _focus(canvas: _Canvas, area: str, pts: dict[str, Point]) -> None:
    glow = ' stroke-opacity="0.22"'
    if area == "hip":
        canvas.circle(pts["pelvis"], 17.0, ACCENT, ' fill-opacity="0.22"')
        return
    if area == "lower_back":
        hip, top = pts["pelvis"], pts["shoulder"]
        canvas.line(hip, ((hip[0] + top[0]) / 2, (hip[1] + top[1]) / 2), ACCENT, 30.0, glow)
        return
    start, end = _FOCUS[area]
    canvas.line(pts[start], pts[end], ACCENT, 28.0, glow)


def _leg(canvas: _Canvas, side: str, pts: dict[str, Point], colour: str) -> None:
    canvas.poly([pts["pelvis"], pts[f"{side}_knee"], pts[f"{side}_ankle"]], colour, LIMB_W)
    canvas.line(pts[f"{side}_heel"], pts[f"{side}_toe"], colour, FOOT_W)


def _arm(canvas: _Canvas, side: str, pts: dict[str, Point], colour: str) -> None:
    canvas.poly([pts["shoulder"], pts[f"{side}_elbow"], pts[f"{side}_hand"]], colour, LIMB_W)
    canvas.circle(pts[f"{side}_hand"], HAND_R, colour)


def _figure(canvas: _Canvas, pose: Pose, pts: dict[str, Point], working: str) -> None:
    near_leg = ACCENT if working in ("near", "both") else INK
    far_leg = ACCENT_FAR if working == "both" else FAR
    _arm(canvas, "far", pts, FAR)
    _leg(canvas, "far", pts, far_leg)
    canvas.line(pts["pelvis"], pts["shoulder"], INK, TORSO_W)
    neck_end = _toward(pts["shoulder"], pts["head"], NECK + 2.0)
    canvas.line(pts["shoulder"], neck_end, INK, LIMB_W)
    canvas.circle(pts["head"], HEAD_R, INK)
    if pose.view == "side":
        canvas.circle(pts["nose"], 3.0, INK)
    _leg(canvas, "near", pts, near_leg)
    _arm(canvas, "near", pts, INK)


def _toward(a: Point, b: Point, length: float) -> Point:
    dx, dy = b[0] - a[0], b[1] - a[1]
    dist = math.hypot(dx, dy) or 1.0
    return (a[0] + dx / dist * length, a[1] + dy / dist * length)


def _arrowhead(canvas: _Canvas, tip: Point, back: Point, colour: str, size: float) -> None:
    dx, dy = tip[0] - back[0], tip[1] - back[1]
    dist = math.hypot(dx, dy) or 1.0
    ux, uy = dx / dist, dy / dist
    base = (tip[0] - ux * size, tip[1] - uy * size)
    left = (base[0] - uy * size * 0.6, base[1] + ux * size * 0.6)
    right = (base[0] + uy * size * 0.6, base[1] - ux * size * 0.6)
    canvas.parts.append(
        f'<path d="M{canvas.xy(tip)} L{canvas.xy(left)} L{canvas.xy(right)} Z" '
        f'fill="{colour}" stroke="{colour}" stroke-width="2"/>'
    )


def _motion(canvas: _Canvas, motion: Motion, start: Point, end: Point) -> None:
    """A dashed curved arrow from where a joint was to where it is now."""
    start = (start[0] + motion.dx, start[1] + motion.dy)
    end = (end[0] + motion.dx, end[1] + motion.dy)
    bend = motion.bend
    dx, dy = end[0] - start[0], end[1] - start[1]
    dist = math.hypot(dx, dy)
    if dist < 12.0:
        return
    ctrl = (
        (start[0] + end[0]) / 2 - dy * 0.3 * bend,
        (start[1] + end[1]) / 2 + dx * 0.3 * bend,
    )
    # Stop short of the joint so the arrow does not sit on the limb.
    tip = _toward(end, ctrl, 6.0)
    canvas.parts.append(
        f'<path d="M{canvas.xy(start)} Q{canvas.xy(ctrl)} {canvas.xy(tip)}" '
        f'stroke="{ACCENT}" stroke-width="3" stroke-dasharray="6 5"/>'
    )
    _arrowhead(canvas, tip, ctrl, ACCENT, 9.0)


def _force(canvas: _Canvas, force: Force, pts: dict[str, Point], sign: float) -> None:
    """A solid straight arrow from beside the joint in the direction of the push."""
    x, y = pts[force.joint]
    tail = (x + force.dx * sign, y + force.dy)
    tip = _step(tail, force.angle, 26.0, sign)
    canvas.line(tail, _step(tail, force.angle, 18.0, sign), ACCENT, 4.0)
    _arrowhead(canvas, tip, tail, ACCENT, 10.0)


def _stopwatch(canvas: _Canvas) -> None:
    """'Hold this position': a small stopwatch in the panel's top-right corner."""
    centre = (PANEL_W + canvas.margin - 20.0, canvas.top - 22.0)
    canvas.parts.append(
        f'<circle cx="{_n(canvas.left + centre[0])}" cy="{_n(canvas.floor - centre[1])}" r="10" '
        f'stroke="{INK}" stroke-width="3"/>'
    )
    canvas.line((centre[0], centre[1] + 13.0), (centre[0], centre[1] + 15.0), INK, 4.0)
    canvas.line(centre, (centre[0], centre[1] + 6.0), INK, 3.0)
    canvas.line(centre, (centre[0] + 4.0, centre[1] - 2.0), INK, 3.0)


def _badge(canvas: _Canvas, number: int) -> None:
    canvas.circle((15.0 - canvas.margin, canvas.top - 16.0), 11.0, INK)
    canvas.parts.append(
        f'<text x="{_n(canvas.left - canvas.margin + 15.0)}" y="21" fill="#FFFFFF" '
        f'font-family="sans-serif" font-size="14" font-weight="700" '
        f'text-anchor="middle">{number}</text>'
    )


def _next_arrow(parts: list[str], left: float, height: float) -> None:
    y = height / 2
    x0, x1 = left + 8.0, left + GAP - 8.0
    parts.append(
        f'<path d="M{_n(x0)} {_n(y)} L{_n(x1)} {_n(y)} M{_n(x1 - 7)} {_n(y - 7)} '
        f'L{_n(x1)} {_n(y)} L{_n(x1 - 7)} {_n(y + 7)}" stroke="{PROP}" stroke-width="4"/>'
    )


def _top(pts: dict[str, Point]) -> float:
    return max(y + (HEAD_R if name == "head" else LIMB_W / 2) for name, (_, y) in pts.items())


def render_svg(illustration: Illustration, title: str, desc: str) -> str:
    """Render all key positions of one exercise as a standalone, accessible SVG."""
    count = len(illustration.poses)
    placed = [joints(pose) for pose in illustration.poses]
    height = max(MIN_H, max(_top(pts) for pts in placed) + HEADROOM + BASE)
    # One pose is drawn centred in a two-panel-wide picture, so that every picture with one
    # or two poses shares one scale when shown at the same width.
    columns = max(count, 2)
    width = columns * PANEL_W + (columns - 1) * GAP
    margin = (width - PANEL_W) / 2 if count == 1 else 0.0
    uid = f"ex-{illustration.id.replace('_', '-')}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
        '<g fill="none" stroke-linecap="round" stroke-linejoin="round">',
    ]
    for index, (pose, pts) in enumerate(zip(illustration.poses, placed, strict=True)):
        left = index * (PANEL_W + GAP)
        canvas = _Canvas(left, height, margin)
        sign = 1.0 if pose.facing == "right" else -1.0
        canvas.line((canvas.clamp(-margin), 0.0), (canvas.clamp(PANEL_W + margin), 0.0), PROP, 3.0)
        if any(p.kind == "mat" for p in pose.props):
            _mat(canvas, pts)
        for prop in pose.props:
            if prop.kind != "mat":
                _prop(canvas, prop, pts, sign)
        for area in pose.focus:
            _focus(canvas, area, pts)
        _figure(canvas, pose, pts, illustration.working)
        if index:
            for motion in illustration.motion:
                _motion(canvas, motion, placed[index - 1][motion.joint], pts[motion.joint])
        for force in pose.force:
            _force(canvas, force, pts, sign)
        if pose.hold:
            _stopwatch(canvas)
        if count > 1:
            _badge(canvas, index + 1)
        if index:
            _next_arrow(canvas.parts, left - GAP, height)
        out.append(f'<g id="{uid}-step-{index + 1}">')
        out.extend(canvas.parts)
        out.append("</g>")
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
