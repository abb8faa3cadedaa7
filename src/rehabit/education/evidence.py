"""How claims from the reviewed data files are shown: certainty grades, verdicts, groups
and the references they cite, in the reader's language. Used by the treatment pages and
the prevention programme (rehabit.care)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from rehabit.clinical.datafiles import extra_references
from rehabit.clinical.treatments import Claim


def grade_label(grade: str) -> str:
    return {
        "high": _("High certainty"),
        "moderate": _("Moderate certainty"),
        "low": _("Low certainty"),
        "very_low": _("Very low certainty"),
        "no_trials": _("No trial evidence"),
    }[grade]


def grade_key() -> list[tuple[str, str, str]]:
    """(grade, label, what it means) for the explanation beside the claims."""
    meanings = {
        "high": _("Further research is very unlikely to change this."),
        "moderate": _("Further research may change the size of the effect."),
        "low": _("Further research is likely to change it; treat it as a best guess."),
        "very_low": _("Small or flawed studies only; the true effect may be quite different."),
        "no_trials": _(
            "No trial answers this; it rests on guidance, safety rules or clinical experience."
        ),
    }
    return [(grade, grade_label(grade), meaning) for grade, meaning in meanings.items()]


def verdict_label(verdict: str) -> str:
    return {
        "first_choice": _("Usually offered first"),
        "may_help": _("May help"),
        "uncertain": _("Unclear"),
        "not_recommended": _("Not recommended"),
        "urgent": _("Needed urgently"),
    }[verdict]


def group_label(group: str) -> str:
    return {
        "physical_therapy": _("Physical therapy"),
        "medicines": _("Medicines"),
        "injections": _("Injections"),
        "devices": _("Braces, supports and cushions"),
        "complementary": _("Manipulation and needles"),
        "surgery": _("Surgery"),
    }[group]


def reference_text(ref: str) -> str:
    """The full citation of an [Rn] reference; evidence.md references by their number."""
    if ref.startswith("R"):
        return extra_references()[ref]
    return _("Reference %(n)s in our clinical evidence file.") % {"n": ref}


def claim_view(claim: Claim) -> dict[str, Any]:
    """What a template needs to show one claim."""
    return {
        "text": claim.text,
        "grade": claim.grade,
        "grade_label": grade_label(claim.grade),
        "refs": list(claim.references),
        "expert": claim.expert or "",
    }


def references_of(claims: list[Claim], *sources: str | None) -> list[tuple[str, str]]:
    """Every reference cited by the claims and the extra source strings, in first-seen
    order, with its citation text."""
    seen: dict[str, None] = {}
    for claim in claims:
        seen.update(dict.fromkeys(claim.references))
    for source in sources:
        seen.update(dict.fromkeys(Claim("", "no_trials", source).references))
    return [(ref, reference_text(ref)) for ref in seen]
