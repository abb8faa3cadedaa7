"""Every URL pattern of the site, classified. A pattern missing here fails the suite
(tests/security/test_url_authorization.py): decide who may see it, then add it.

- PUBLIC: no personal data; anyone may open it.
- SELF: shows or changes only the signed-in person's own account; anonymous visitors are
  sent to sign in, and nobody can reach another person's data through it.
- RECORD: a patient's record addressed by an id in the URL: only its owner (staff only
  through the audited record rule).
- STAFF: therapists and admins with two-factor authentication only.
- THERAPIST: the signed-in therapist's own workspace (pages and API): only an account with
  its own therapist record; a therapist without one is told what is missing, everyone
  else refused (tests/security/test_workspace_authorization.py).

``build`` turns a context (the patient and their objects) into a concrete URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PUBLIC = "public"
SELF = "self"
RECORD = "record"
STAFF = "staff"
THERAPIST = "therapist"


@dataclass(frozen=True)
class Rule:
    kind: str
    build: Callable[[Any], str] | None = None
    why: str = ""


def _fixed(url: str) -> Callable[[Any], str]:
    return lambda ctx: url


def _care_session_url(ctx: Any) -> str:
    from tests.care.helpers import logged_session_url

    return logged_session_url(ctx)


RULES: dict[str, Rule] = {
    # Public pages
    "core:home": Rule(PUBLIC),
    "core:contact": Rule(PUBLIC, why="who to contact about what; nothing of the visitor's"),
    "core:health": Rule(PUBLIC),
    "core:favicon": Rule(PUBLIC, why="a redirect to the static icon"),
    "core:emergency_numbers": Rule(PUBLIC, why="the reviewed table of emergency numbers"),
    "education:overview": Rule(PUBLIC),
    "education:condition": Rule(PUBLIC),
    "education:treatments": Rule(PUBLIC, why="what a clinician may offer for one cause"),
    "treatments:index": Rule(PUBLIC),
    "treatments:detail": Rule(PUBLIC),
    "assessments:start": Rule(PUBLIC, why="the questionnaire; drafts live in the session"),
    "assessments:step": Rule(
        PUBLIC, why="one page (page_id) of the questionnaire; drafts live in the session"
    ),
    "assessments:stop": Rule(
        PUBLIC, why="advice for the warning signs in the session's draft; drafts live there"
    ),
    "set_language": Rule(PUBLIC),
    "accounts:terms": Rule(PUBLIC),
    "accounts:privacy": Rule(PUBLIC),
    # Stored assessment results: the owner's record once claimed by an account.
    "assessments:result": Rule(RECORD, lambda ctx: f"/assessment/result/{ctx.assessment.pk}/"),
    "assessments:print": Rule(RECORD, lambda ctx: f"/assessment/result/{ctx.assessment.pk}/print/"),
    # API
    "api:openapi-json": Rule(PUBLIC),
    "api:openapi-view": Rule(PUBLIC),
    "api:api-root": Rule(PUBLIC),
    "api:get_questionnaire": Rule(PUBLIC),
    "api:create_assessment": Rule(PUBLIC, why="anonymous self-assessment (POST)"),
    "api:list_conditions": Rule(PUBLIC),
    "api:list_treatments": Rule(PUBLIC, why="reviewed treatment information"),
    "api:get_treatment": Rule(PUBLIC),
    "api:cause_treatments": Rule(PUBLIC),
    "api:prevention": Rule(PUBLIC, why="the prevention programme needs no account"),
    "api:get_assessment": Rule(RECORD, lambda ctx: f"/api/v1/assessments/{ctx.assessment.pk}"),
    # Self-care plan and exercises (rehabit.care): the library is public; an assessment's
    # plan, program, session player and log are part of its owner's record.
    "care:library": Rule(PUBLIC),
    "care:exercise": Rule(PUBLIC),
    # The prevention programme needs no assessment: its log lists only the signed-in
    # person's sessions, or a visitor's own, kept in their browser session.
    "care:prevention": Rule(PUBLIC),
    "care:prevention_session": Rule(PUBLIC, why="runs one routine; logs for the requester only"),
    "care:plan": Rule(RECORD, lambda ctx: f"/care/{ctx.assessment.pk}/plan/"),
    "care:program": Rule(RECORD, lambda ctx: f"/care/{ctx.assessment.pk}/program/"),
    "care:player": Rule(RECORD, lambda ctx: f"/care/{ctx.assessment.pk}/session/"),
    "api:list_exercises": Rule(PUBLIC),
    "api:get_exercise_detail": Rule(PUBLIC),
    "api:get_plan": Rule(RECORD, lambda ctx: f"/api/v1/assessments/{ctx.assessment.pk}/plan"),
    "api:list_sessions": Rule(
        RECORD, lambda ctx: f"/api/v1/assessments/{ctx.assessment.pk}/sessions"
    ),
    "api:log_exercise_session": Rule(
        RECORD,
        lambda ctx: f"/api/v1/assessments/{ctx.assessment.pk}/sessions",
        why="POST on the log's URL (GET lists it)",
    ),
    "api:get_session": Rule(RECORD, lambda ctx: _care_session_url(ctx)),
    "api:check_in_session": Rule(
        RECORD, lambda ctx: _care_session_url(ctx), why="PATCH on the session's URL"
    ),
    # Our account pages
    "accounts:home": Rule(SELF, _fixed("/account/")),
    "accounts:profile": Rule(SELF, _fixed("/account/profile/")),
    "accounts:consent": Rule(SELF, _fixed("/account/consent/")),
    "accounts:access_log": Rule(SELF, _fixed("/account/access-log/")),
    "accounts:data": Rule(SELF, _fixed("/account/data/")),
    "accounts:export": Rule(SELF, _fixed("/account/data/export/")),
    "accounts:delete": Rule(SELF, _fixed("/account/data/delete/")),
    "accounts:earlier": Rule(
        SELF,
        _fixed("/account/is-this-yours/"),
        why="what this browser's session lists from before sign-in: dates and times only",
    ),
    "accounts:patient_record": Rule(STAFF, lambda ctx: f"/staff/patients/{ctx.patient.pk}/"),
    "accounts:invitations": Rule(STAFF, _fixed("/staff/invitations/"), why="administrators only"),
    "care:manage_exercises": Rule(
        STAFF, _fixed("/staff/exercises/"), why="administrators only: exercises out of use"
    ),
    "accounts:invitation": Rule(PUBLIC, why="needs the signed, single-use token from the e-mail"),
    "accounts:invitation_accept": Rule(
        PUBLIC, why="continues only with an open invitation's token in this session"
    ),
    # allauth: entrance pages (public) ...
    "account_login": Rule(PUBLIC),
    "account_signup": Rule(PUBLIC),
    "account_inactive": Rule(PUBLIC),
    "account_email_verification_sent": Rule(PUBLIC),
    "account_confirm_email": Rule(PUBLIC, why="needs the secret key from the e-mail"),
    "account_confirm_login_code": Rule(PUBLIC, why="needs a pending sign-in"),
    "account_reset_password": Rule(PUBLIC),
    "account_reset_password_done": Rule(PUBLIC),
    "account_reset_password_from_key": Rule(PUBLIC, why="needs the secret key from the e-mail"),
    "account_reset_password_from_key_done": Rule(PUBLIC),
    "mfa_authenticate": Rule(PUBLIC, why="second step of a pending sign-in"),
    # ... and management pages of the signed-in person
    "account_logout": Rule(SELF, _fixed("/account/logout/")),
    "account_reauthenticate": Rule(SELF, _fixed("/account/reauthenticate/")),
    "account_email": Rule(SELF, _fixed("/account/email/")),
    "account_change_password": Rule(SELF, _fixed("/account/password/change/")),
    "account_set_password": Rule(SELF, _fixed("/account/password/set/")),
    "mfa_index": Rule(SELF, _fixed("/account/2fa/")),
    "mfa_reauthenticate": Rule(SELF, _fixed("/account/2fa/reauthenticate/")),
    "mfa_activate_totp": Rule(SELF, _fixed("/account/2fa/totp/activate/")),
    "mfa_deactivate_totp": Rule(SELF, _fixed("/account/2fa/totp/deactivate/")),
    "mfa_view_recovery_codes": Rule(SELF, _fixed("/account/2fa/recovery-codes/")),
    "mfa_generate_recovery_codes": Rule(SELF, _fixed("/account/2fa/recovery-codes/generate/")),
    "mfa_download_recovery_codes": Rule(SELF, _fixed("/account/2fa/recovery-codes/download/")),
    "usersessions_list": Rule(SELF, _fixed("/account/sessions/")),
}

# Whole namespaces with one rule.
PREFIX_RULES: dict[str, Rule] = {
    "admin:": Rule(STAFF, why="the admin site: staff with two-factor authentication"),
}


def rule_for(key: str) -> Rule | None:
    if key in RULES:
        return RULES[key]
    for prefix, rule in PREFIX_RULES.items():
        if key.startswith(prefix):
            return rule
    return None


# Rules for other apps' URLs live beside their tests (imported last: they use the names
# defined above).
from tests.booking.url_rules import BOOKING_RULES  # noqa: E402
from tests.booking.workspace_url_rules import WORKSPACE_RULES  # noqa: E402

RULES.update(BOOKING_RULES)
RULES.update(WORKSPACE_RULES)

from tests.outcomes.url_rules import OUTCOMES_RULES  # noqa: E402

RULES.update(OUTCOMES_RULES)

from tests.clinic.url_rules import CLINIC_RULES  # noqa: E402

RULES.update(CLINIC_RULES)

from tests.charts.url_rules import CHARTS_RULES  # noqa: E402

RULES.update(CHARTS_RULES)
