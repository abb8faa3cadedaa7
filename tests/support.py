"""Test helpers shared across test packages: the written vignettes as answer sets."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

VIGNETTES = Path(__file__).parent / "clinical" / "vignettes.yaml"

# The conditions the foundation issue requires the differential (and the API) to cover.
REQUIRED_CONDITIONS = frozenset(
    {
        "hamstring_strain",
        "hamstring_avulsion",
        "proximal_hamstring_tendinopathy",
        "ischial_bursitis",
        "sciatica",
        "piriformis_syndrome",
        "muscle_imbalance_tightness",
        "dvt",
        "cauda_equina",
        "vascular_claudication",
        "fracture",
        "infection",
        "tumour",
        "compartment_syndrome",
    }
)


@cache
def vignettes() -> list[dict[str, Any]]:
    """Each written vignette with its answers merged over the file's ``defaults``."""
    with VIGNETTES.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    defaults = data.get("defaults", {})
    return [
        {**case, "answers": _applicable(_yes_no({**defaults, **case["answers"]}))}
        for case in data["vignettes"]
    ]


def _applicable(answers: dict[str, Any]) -> dict[str, Any]:
    """Drop default answers to questions that skip logic hides for this person (the
    defaults answer every question; a 14-year-old is not asked some of them)."""
    from rehabit.assessments.wizard import prune

    return prune(answers)


def _yes_no(answers: dict[str, Any]) -> dict[str, Any]:
    """YAML 1.1 reads bare yes/no as booleans; the questionnaire's values are text."""
    return {
        k: ({True: "yes", False: "no"}[v] if isinstance(v, bool) else v) for k, v in answers.items()
    }


def vignette_for(disposition: str) -> dict[str, Any]:
    """The first vignette whose expected disposition is ``disposition``."""
    for case in vignettes():
        if case["expected_disposition"] == disposition:
            return case
    raise LookupError(disposition)


def completed(answers: dict[str, Any]) -> dict[str, Any]:
    """These answers changed by hand made whole again: answers that no longer apply are
    dropped, and a required question that now applies gets a benign answer ("no", "none"
    or its first option)."""
    from rehabit.assessments.wizard import prune
    from rehabit.clinical import load_questionnaire

    out = prune(answers)
    for qid, question in load_questionnaire().questions.items():
        applies = question.show_if is None or question.show_if.evaluate(out) is True
        if qid in out or not question.required or not applies:
            continue
        values = question.option_values
        if question.type in ("integer", "scale"):
            out[qid] = question.min
        elif question.type == "multi":
            out[qid] = ["none"] if "none" in values else [values[0]]
        else:
            out[qid] = next((v for v in ("no", "none") if v in values), values[0])
    return out


def guided_case(disposition: str) -> dict[str, Any]:
    """The first vignette with this disposition that keeps it through the guided pages,
    which ask only some of the "when useful" questions (clinical.flow.walk)."""
    from rehabit.clinical import assess
    from rehabit.clinical.flow import walk

    for case in vignettes():
        if case["expected_disposition"] == disposition:
            given, _ = walk(case["answers"])
            if assess(given).disposition.level == disposition:
                return case
    raise LookupError(disposition)


def answers_for(disposition: str) -> dict[str, Any]:
    return dict(vignette_for(disposition)["answers"])


def section_form(section: Any, answers: dict[str, Any], action: str = "next") -> dict[str, Any]:
    """The POST data a browser sends for one step of the assessment."""
    data: dict[str, Any] = {"action": action}
    for question in section.questions:
        if question.id not in answers:
            continue
        value = answers[question.id]
        data[question.id] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def page_of(page_id: str) -> Any:
    """The guided page with this id (clinical.flow.pages)."""
    from rehabit.assessments.wizard import pages

    return next(p for p in pages() if p.id == page_id)


def walk_pages(client: Any, answers: dict[str, Any], *, finish_after_stop: bool = True) -> str:
    """Go through the guided pages as a browser would (test client), answering each page's
    questions from ``answers``; returns the URL reached: the result, or the stop page."""
    response = client.post("/assessment/", {"action": "restart"})
    for _ in range(40):
        assert response.status_code == 302, response.content.decode()[:3000]
        url = str(response["Location"])
        if "/assessment/result/" in url:
            return url
        if url.endswith("/assessment/stop/"):
            if not finish_after_stop:
                return url
            response = client.post(url)
            continue
        page_id = url.rstrip("/").split("/")[-1]
        response = client.post(url, section_form(page_of(page_id), answers))
    raise AssertionError("the guided pages did not end")
