"""Access rules for the therapist's workspace (pages and API), merged into
``tests/security/url_rules.py``. Every one is THERAPIST: the signed-in therapist's own
record only (tests/security/test_workspace_authorization.py)."""

from __future__ import annotations

from tests.security.url_rules import THERAPIST, Rule


def _fixed(url: str) -> Rule:
    return Rule(THERAPIST, lambda ctx: url)


WORKSPACE_RULES: dict[str, Rule] = {
    "workspace:home": _fixed("/therapist/"),
    "workspace:schedule": _fixed("/therapist/schedule/"),
    "workspace:profile": _fixed("/therapist/profile/"),
    "booking:availability": _fixed("/booking/availability/"),
    # The guided start works before a therapist record exists (it creates it).
    "workspace:welcome": _fixed("/therapist/welcome/"),
    "workspace:welcome_two_factor": _fixed("/therapist/welcome/two-factor/"),
    "workspace:welcome_codes": _fixed("/therapist/welcome/recovery-codes/"),
    "workspace:welcome_profile": _fixed("/therapist/welcome/profile/"),
    "workspace:welcome_availability": _fixed("/therapist/welcome/availability/"),
    "api:therapist_schedule": _fixed("/api/v1/therapist/schedule"),
    "api:get_availability": _fixed("/api/v1/therapist/availability"),
    "api:put_availability": Rule(
        THERAPIST, lambda ctx: "/api/v1/therapist/availability", why="PUT on the same URL"
    ),
}
