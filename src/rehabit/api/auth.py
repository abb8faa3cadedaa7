"""How the API's callers sign in, shared by its routers: one definition per security
scheme, because the OpenAPI document names each scheme by its class (two classes of one
name would be two rules under one key)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import SessionAuth


class SignedIn(SessionAuth):
    """The site's session sign-in (with its CSRF check on writes). Anonymous callers get
    403, like every private page, so nothing tells them whether an appointment exists."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            return request.user
        raise HttpError(403, "Sign in to use this endpoint.")


signed_in = SignedIn()
