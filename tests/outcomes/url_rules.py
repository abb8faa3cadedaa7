"""Access rules for the progress URLs (rehabit.outcomes), merged into
``tests/security/url_rules.py``: every page is part of its owner's record."""

from __future__ import annotations

from tests.security.url_rules import RECORD, Rule


def _under(suffix: str) -> Rule:
    return Rule(RECORD, lambda ctx: f"/care/{ctx.assessment.pk}/{suffix}")


def _api(suffix: str, why: str = "") -> Rule:
    return Rule(RECORD, lambda ctx: f"/api/v1/assessments/{ctx.assessment.pk}/{suffix}", why=why)


OUTCOMES_RULES: dict[str, Rule] = {
    "outcomes:diary": _under("diary/"),
    "outcomes:diary_csv": _under("diary.csv"),
    "outcomes:progress": _under("progress/"),
    "outcomes:activities": _under("progress/activities/"),
    "outcomes:bridge": _under("progress/bridge/"),
    "outcomes:report": _under("report.pdf"),
    "api:get_diary": _api("diary"),
    "api:save_diary": _api("diary", "POST on the diary's URL (GET lists it)"),
    "api:get_measures": _api("measures"),
    "api:put_activities": _api("measures", "PUT .../measures/activities; GET on the list"),
    "api:post_psfs": _api("measures", "POST .../measures/psfs; GET on the list"),
    "api:post_bridge": _api("measures", "POST .../measures/bridge; GET on the list"),
    "api:get_progress": _api("progress"),
    "api:get_report": _api("report"),
}
