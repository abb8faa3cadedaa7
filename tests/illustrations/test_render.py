"""The pose model and the SVG renderer for exercise illustrations."""

from __future__ import annotations

import copy
import math
import re
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehabit.clinical.exercises import load_exercises
from rehabit.illustrations import render
from rehabit.illustrations.__main__ import main, rendered_files
from rehabit.illustrations.poses import (
    ILLUSTRATIONS,
    RANGES,
    Arm,
    Illustration,
    Leg,
    Motion,
    Pose,
    check_plausible,
)

STANDING = Pose(0, Leg(0, 0), Leg(0, 0), Arm(0), Arm(0))


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast_with_white(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


# --- the committed files ----------------------------------------------------------------


def test_committed_svgs_equal_a_fresh_render() -> None:
    """Regenerate with `python -m rehabit.illustrations` after changing poses or texts."""
    stale = [p.name for p, text in rendered_files().items() if p.read_text("utf-8") != text]
    assert not stale, f"stale illustrations (run python -m rehabit.illustrations): {stale}"


def test_check_mode_reports_nothing_stale(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 0
    assert "0 illustration(s) stale" in capsys.readouterr().out


def test_every_exercise_has_pose_data_and_no_pose_data_is_orphaned() -> None:
    used = {exercise.illustration for exercise in load_exercises()}
    assert used == set(ILLUSTRATIONS)


def test_rendering_is_deterministic() -> None:
    for illustration in ILLUSTRATIONS.values():
        first = render.render_svg(illustration, "Title", "Description")
        again = render.render_svg(copy.deepcopy(illustration), "Title", "Description")
        assert first == again


# --- style and accessibility ------------------------------------------------------------


def test_palette_reaches_three_to_one_against_white() -> None:
    for colour in render.PALETTE:
        assert _contrast_with_white(colour) >= 3.0, colour


def test_files_use_only_the_palette() -> None:
    allowed = {*render.PALETTE, render.PROP_FILL, "#FFFFFF"}
    for path, text in rendered_files().items():
        used = set(re.findall(r'(?:stroke|fill)="(#[0-9A-F]{6})"', text))
        assert used <= allowed, f"{path.name}: {used - allowed}"


def test_titles_and_descriptions_are_escaped() -> None:
    svg = render.render_svg(ILLUSTRATIONS["glute_bridge"], 'Bridge <&> "hold"', "a < b & c")
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.findtext(f"{ns}title") == 'Bridge <&> "hold"'
    assert root.findtext(f"{ns}desc") == "a < b & c"


def test_panels_sit_side_by_side_with_numbers_only_when_there_are_several() -> None:
    for illustration in ILLUSTRATIONS.values():
        svg = render.render_svg(illustration, "t", "d")
        count = len(illustration.poses)
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))  # type: ignore[union-attr]
        columns = max(count, 2)  # a single pose is centred in a two-panel-wide picture
        assert width == columns * render.PANEL_W + (columns - 1) * render.GAP
        assert svg.count("<text") == (count if count > 1 else 0)


# --- the pose model ---------------------------------------------------------------------


def test_limbs_keep_their_lengths() -> None:
    pose = Pose(30, Leg(70, 40, 10), Leg(-10, 5), Arm(120, 30), Arm(-20, 10))
    pts = render.joints(pose)
    assert math.dist(pts["pelvis"], pts["shoulder"]) == pytest.approx(render.TORSO)
    assert math.dist(pts["pelvis"], pts["near_knee"]) == pytest.approx(render.THIGH)
    assert math.dist(pts["near_knee"], pts["near_ankle"]) == pytest.approx(render.SHIN)
    assert math.dist(pts["shoulder"], pts["far_elbow"]) == pytest.approx(render.UPPER_ARM)


def test_a_standing_figure_stands_on_the_floor_facing_forward() -> None:
    pts = render.joints(STANDING)
    assert render.FOOT_W / 2 <= pts["near_heel"][1] <= render.LIMB_W / 2  # on the floor line
    assert pts["head"][1] > pts["shoulder"][1] > pts["pelvis"][1] > pts["near_knee"][1]
    assert pts["near_toe"][0] > pts["near_ankle"][0]  # feet point the way the figure faces
    left = render.joints(Pose(0, Leg(0, 0), Leg(0, 0), Arm(0), Arm(0), facing="left"))
    assert left["near_toe"][0] < left["near_ankle"][0]


def test_hip_and_knee_flexion_bend_the_right_way() -> None:
    sitting = render.joints(Pose(0, Leg(90, 90), Leg(90, 90), Arm(0), Arm(0)))
    assert sitting["near_knee"][0] > sitting["pelvis"][0]  # thigh forward
    assert sitting["near_ankle"][1] < sitting["near_knee"][1]  # shin down


def test_implausible_joint_angles_are_rejected() -> None:
    broken = Pose(0, Leg(0, -20), Leg(0, 0), Arm(0), Arm(0))
    with pytest.raises(ValueError, match="knee -20 outside"):
        check_plausible(Illustration("broken", (broken,)))
    with pytest.raises(ValueError, match="unknown motion joint"):
        check_plausible(Illustration("x", (STANDING,), motion=(Motion("tail"),)))
    with pytest.raises(ValueError, match="1 to 3 key positions"):
        check_plausible(Illustration("x", (STANDING,) * 4))


def _angle(name: str) -> st.SearchStrategy[float]:
    low, high = RANGES[name]
    return st.floats(low, high, allow_nan=False).map(lambda v: round(v, 1))


poses = st.builds(
    Pose,
    trunk=_angle("trunk"),
    near_leg=st.builds(Leg, _angle("hip"), _angle("knee"), _angle("ankle")),
    far_leg=st.builds(Leg, _angle("hip"), _angle("knee"), _angle("ankle")),
    near_arm=st.builds(Arm, _angle("shoulder"), _angle("elbow")),
    far_arm=st.builds(Arm, _angle("shoulder"), _angle("elbow")),
    head=_angle("head"),
    facing=st.sampled_from(["right", "left"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(poses, min_size=1, max_size=3))
def test_any_plausible_pose_renders_to_well_formed_svg(drawn: list[Pose]) -> None:
    illustration = Illustration("random", tuple(drawn), motion=(Motion("near_ankle"),))
    check_plausible(illustration)
    svg = render.render_svg(illustration, "Random", "A random pose.")
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    assert "nan" not in svg and "inf" not in svg
    for pts in map(render.joints, drawn):
        lowest = min(y for _, y in pts.values())
        assert lowest >= 0  # resting on the floor, never below it
    assert svg == render.render_svg(illustration, "Random", "A random pose.")
