"""The admin site's gate: active staff whose session passed two-factor authentication."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django.views.decorators.http import require_http_methods

from rehabit.accounts.access import has_totp, session_passed_mfa


def staff_with_mfa(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and has_totp(user) and session_passed_mfa(request))


# Every admin page reads with GET (or HEAD) and changes with POST. Django's admin views
# answer any method, and treat OPTIONS, PUT or PATCH as a read: the change form of a
# patient's record, without the audited-read check that looks for GET (security review 2,
# finding 1). The site refuses the others with 405.
ADMIN_METHODS = ("GET", "HEAD", "POST")


def reading_and_sending_only(site: AdminSite) -> None:
    """Make ``site`` wrap each of its views so that other methods get 405."""
    wrap = site.admin_view

    def admin_view(view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:
        return require_http_methods(list(ADMIN_METHODS))(wrap(view, cacheable))

    site.admin_view = admin_view  # type: ignore[method-assign]
