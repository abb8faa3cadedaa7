"""Versions of the notices people consent to. Bump a version whenever the text of the
matching template (``accounts/legal/*.html``) changes in substance: everyone is then asked
again, and sharing stays off until the person agrees to the new text."""

from __future__ import annotations

from rehabit.accounts.models import ConsentPurpose

CURRENT_VERSIONS: dict[str, str] = {
    ConsentPurpose.TERMS: "2026-11-01",
    # 2026-12-05: sharing is chosen per therapist; erasure cancels upcoming sessions first.
    # 2026-12-07: what is done without an account is erased after a set time unused.
    ConsentPurpose.PRIVACY: "2026-12-07",
    ConsentPurpose.SHARE_WITH_THERAPIST: "2026-11-01",
}

# Accepting these is a condition of having an account.
REQUIRED_PURPOSES = (ConsentPurpose.TERMS, ConsentPurpose.PRIVACY)


def current_version(purpose: str) -> str:
    return CURRENT_VERSIONS[purpose]
