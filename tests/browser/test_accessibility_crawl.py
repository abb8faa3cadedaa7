"""Every page of the site in real Chromium, with axe-core's every rule at every impact level
(minor included; best practices, AAA and experimental rules too), signed out, as a patient,
as a therapist (and one still setting up) and as an administrator, on a 390×844 phone and a
desktop: zero violations.

The pages come from the URL patterns themselves (``tests/security/test_url_authorization
.walk``) and their access rules (``tests/security/url_rules.py``): a new page is crawled
by whoever may open it, or this test fails until it is listed as not a page below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.urls import NoReverseMatch, reverse

from tests.accounts.helpers import TOTP_SECRET, make_user
from tests.browser.axe import strict_violations
from tests.browser.signin import sign_in
from tests.security.test_url_authorization import walk
from tests.security.url_rules import PUBLIC, RECORD, SELF, STAFF, THERAPIST, rule_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# URL patterns that are not pages a person reads (files, redirects, form targets, JSON).
NOT_PAGES = {
    "core:health": "JSON for load balancers",
    "core:favicon": "a redirect to the icon",
    "core:emergency_numbers": "a script (the emergency numbers' table)",
    "set_language": "a form target (POST)",
    "accounts:export": "a JSON download",
    "outcomes:diary_csv": "a CSV download",
    "outcomes:report": "a PDF",
    "charts:note_pdf": "a PDF",
    "mfa_download_recovery_codes": "a text download",
    "booking:feed": "an iCalendar feed",
    "booking:calendar_file": "an iCalendar file",
    "booking:leave_waitlist": "a form target (POST)",
    "clinic:acknowledge_alert": "a form target (POST)",
    "charts:note_new": "a form target (POST)",
}
NOT_PAGE_PREFIXES = ("api:", "admin:")  # the API (JSON); Django's admin site


@dataclass
class Site:
    """One of everything: the clinic's therapist and patient (who shares their record),
    the patient's assessment, appointment, a waitlist offer, an alert and a signed note."""

    clinic: Any
    admin: Any
    newcomer: Any
    offer_token: str

    # The attributes the rules' builders read (tests/*/url_rules.py).
    @property
    def patient(self) -> Any:
        return self.clinic.patient

    @property
    def therapist(self) -> Any:
        return self.clinic.therapist

    @property
    def assessment(self) -> Any:
        return self.clinic.assessment

    @property
    def appointment(self) -> Any:
        return self.clinic.appointment

    @property
    def _booking_appointment(self) -> Any:  # booking's rules address this appointment
        return self.clinic.appointment


def _make_site() -> Site:
    from django.utils import timezone

    from rehabit.booking import services, waitlist
    from rehabit.booking.models import WaitlistOffer
    from tests.booking.support import book, free_start, make_patient
    from tests.clinic.support import make_clinic

    clinic = make_clinic()
    admin = make_user("ada.crawl@example.org", role="admin", name="Ada", totp_secret=TOTP_SECRET)
    # A time another patient gives up, offered to the clinic's patient from the waitlist.
    other = make_patient("gives.up@example.org", "Gill Givesup")
    freed = book(other, clinic.therapist, free_start(clinic.therapist, after=timedelta(days=5)))
    waitlist.join(
        patient=clinic.patient,
        therapist=clinic.therapist,
        specialty="",
        kind="first_assessment",
        wanted_before=timezone.now() + timedelta(days=20),
    )
    services.cancel(freed.pk, actor=other)
    offer = WaitlistOffer.objects.filter(entry__patient=clinic.patient).first()
    _add_history(clinic.assessment)
    newcomer = make_user(
        "new.crawl@example.org", role="therapist", name="Nia Newcomer", totp_secret=TOTP_SECRET
    )
    return Site(clinic, admin, newcomer, offer.token if offer else "no-offer")


def _add_history(assessment: Any) -> None:
    """Ten days of the patient's diary and two logged sessions, so the log, the charts and
    the check-in are on their pages too."""
    from django.utils import timezone

    from rehabit.assessments.models import Assessment
    from rehabit.care.programs import program_for
    from rehabit.care.services import log_session
    from rehabit.outcomes.services import save_diary_entry
    from tests.care.helpers import session_data
    from tests.outcomes.helpers import diary_form

    now = timezone.now()
    Assessment.objects.filter(pk=assessment.pk).update(created_at=now - timedelta(days=10))
    assessment.refresh_from_db()
    first_day = timezone.localdate(assessment.created_at)
    for days in range(1, 10):
        day = first_day + timedelta(days=days)
        save_diary_entry(
            assessment,
            diary_form(day, 6 - days // 2, 7 - days // 2),
            first_day=first_day,
            today=timezone.localdate(now),
        )
    program = program_for(assessment)
    for hours in (50, 10):
        log_session(assessment, session_data(program), now=now - timedelta(hours=hours))


def _public_urls(site: Site) -> dict[str, Callable[[], str]]:
    """Public pages that need a value in their address."""
    from rehabit.assessments import wizard
    from rehabit.clinical.prevention import load_prevention
    from rehabit.clinical.treatments import load_treatments
    from rehabit.education.content import load_condition_pages
    from tests.booking.support import FIRST, free_start

    therapist = site.therapist

    def book_url() -> str:
        start = free_start(therapist).astimezone().isoformat()
        query = urlencode({"session": FIRST, "start": start, "tz": "Europe/London"})
        return f"/booking/therapists/{therapist.pk}/book/?{query}"

    guide = load_treatments()
    return {
        "education:condition": lambda: f"/conditions/{next(iter(load_condition_pages()))}/",
        "education:treatments": lambda: f"/conditions/{next(iter(guide.causes))}/treatments/",
        "treatments:detail": lambda: f"/treatments/{next(iter(guide.treatments))}/",
        "assessments:step": lambda: f"/assessment/step/{wizard.pages()[0].id}/",
        "care:exercise": lambda: "/exercises/glute_bridge/",
        "care:prevention_session": lambda: f"/prevention/{next(iter(load_prevention().routines))}/",
        "booking:therapist": lambda: f"/booking/therapists/{therapist.pk}/",
        "booking:book": book_url,
        "booking:offer": lambda: f"/booking/offers/{site.offer_token}/",
        "accounts:invitation": lambda: "/invitation/not-a-real-token/",
        "account_confirm_email": lambda: "/account/confirm-email/not-a-real-key/",
        "account_reset_password_from_key": lambda: "/account/password/reset/key/1-not-a-key/",
    }


def _url(key: str, site: Site, public: dict[str, Callable[[], str]]) -> str | None:
    rule = rule_for(key)
    assert rule is not None, key
    if key in public:
        return public[key]()
    if rule.build is not None:
        return rule.build(site)
    try:
        return reverse(key)
    except NoReverseMatch:
        raise AssertionError(f"{key}: add how to reach it to _public_urls") from None


def _visitor_may_open(visitor: str, key: str) -> bool:
    rule = rule_for(key)
    assert rule is not None
    allowed = getattr(rule, "allowed", None)
    if allowed is not None:  # a relation rule (tests/clinic/url_rules.py)
        return getattr(rule, "method", "get") == "get" and visitor in allowed
    return {
        "anonymous": rule.kind == PUBLIC,
        "patient": rule.kind in (PUBLIC, SELF, RECORD),
        "therapist": rule.kind in (PUBLIC, SELF, THERAPIST),
        "admin": rule.kind == STAFF,
        "new_therapist": rule.kind == THERAPIST,  # the guided start, before a profile exists
    }[visitor]


def pages_for(visitor: str, site: Site) -> list[str]:
    public = _public_urls(site)
    urls = []
    for key in sorted(set(walk())):
        if key in NOT_PAGES or key.startswith(NOT_PAGE_PREFIXES):
            continue
        if _visitor_may_open(visitor, key):
            url = _url(key, site, public)
            if url:
                urls.append(url)
    urls.append("/no-such-page/")  # the error page
    return urls


def test_every_url_pattern_is_crawled_or_named_as_not_a_page() -> None:
    """A new page is crawled by whoever may open it; a new file or form target is named."""
    for key in set(walk()):
        if key in NOT_PAGES or key.startswith(NOT_PAGE_PREFIXES):
            continue
        assert any(
            _visitor_may_open(v, key) for v in ("anonymous", "patient", "therapist", "admin")
        ), f"{key}: nobody crawls it"


def _user(visitor: str, site: Site) -> tuple[Any, bool] | None:
    return {
        "anonymous": None,
        "patient": (site.patient, False),
        "therapist": (site.therapist.user, True),
        "admin": (site.admin, True),
        "new_therapist": (site.newcomer, True),
    }[visitor]


@pytest.fixture
def context_for(browser: Any) -> Iterator[Callable[[dict[str, int]], Any]]:
    contexts = []

    def make(viewport: dict[str, int]) -> Any:
        small = viewport["width"] < 600
        context = browser.new_context(
            viewport=viewport,
            is_mobile=small,
            has_touch=small,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("visitor", ["anonymous", "patient", "therapist", "admin", "new_therapist"])
def test_every_page_passes_every_axe_rule(
    visitor: str, viewport: dict[str, int], live_server: Any, context_for: Any
) -> None:
    site = _make_site()
    context = context_for(viewport)
    user = _user(visitor, site)
    if user is not None:
        sign_in(context, live_server.url, user[0], mfa=user[1])
    page = context.new_page()
    seen: set[str] = set()
    problems: list[str] = []
    for url in pages_for(visitor, site):
        page.goto(live_server.url + url)
        page.wait_for_load_state()
        landed = urlsplit(page.url).path
        if landed in seen:
            continue
        seen.add(landed)
        found = strict_violations(page)
        if found:
            problems.append(f"{url} (at {landed}):\n    " + "\n    ".join(found))
    assert len(seen) >= (20 if visitor in ("anonymous", "patient", "therapist") else 3), seen
    assert not problems, f"{visitor} on {viewport}: {len(problems)} pages\n" + "\n".join(problems)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("level", ["emergency", "self_care"])
def test_every_step_of_the_assessment_passes_every_axe_rule(
    level: str, viewport: dict[str, int], live_server: Any, context_for: Any
) -> None:
    """The steps depend on the answers: walk a whole check (with its warning-sign stop for
    an emergency), each step first sent empty to show its errors."""
    from tests.browser.test_assessment_flow import go_through
    from tests.support import guided_case

    page = context_for(viewport).new_page()
    problems: list[str] = []

    def check(page: Any) -> None:
        found = strict_violations(page)
        if found:
            problems.append(f"{page.url}:\n    " + "\n    ".join(found))

    # The first step sent empty: its error summary and messages.
    page.goto(live_server.url + "/assessment/")
    check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Start", exact=True).click()
    with page.expect_navigation():
        page.locator('main form button[name="action"][value="next"]').click()
    assert page.locator(".error-summary").is_visible()
    check(page)
    page.goto(live_server.url + "/assessment/")
    go_through(page, guided_case(level)["answers"], each=check)
    check(page)  # the result
    assert not problems, "\n".join(problems)


def data_pages() -> list[str]:
    """Every page made from the reviewed data: each condition, its treatments, each
    treatment, exercise and prevention routine."""
    from rehabit.clinical.exercises import load_exercises
    from rehabit.clinical.prevention import load_prevention
    from rehabit.clinical.treatments import load_treatments
    from rehabit.education.content import load_condition_pages

    guide = load_treatments()
    urls = [f"/conditions/{c}/" for c in load_condition_pages()]
    urls += [f"/conditions/{c}/treatments/" for c in guide.causes]
    urls += [f"/treatments/{t}/" for t in guide.treatments]
    urls += [f"/exercises/{e.id}/" for e in load_exercises()]
    urls += [f"/prevention/{r}/" for r in load_prevention().routines]
    return urls


def test_every_condition_treatment_and_exercise_page_passes_every_axe_rule(
    live_server: Any, context_for: Any
) -> None:
    """The pages made from the reviewed data, each of them (on a phone, signed out)."""
    urls = data_pages()
    page = context_for(PHONE).new_page()
    problems = []
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        found = strict_violations(page)
        if found:
            problems.append(f"{url}:\n    " + "\n    ".join(found))
    assert not problems, "\n".join(problems)
