"""Score the assessment on the published-case development set.

Each case (cases.yaml: confirmed cause, clinician triage, split) was entered blind twice
(answers/story_*.yaml: only what the story says; answers/selftests_*.yaml: the person also
doing the self-tests). A case is run through the guided pages as a person would meet them
(clinical/flow.py: only the questions the pages would show are answered, from the entry),
then assessed. The locked part is scored, never tuned on: ``score(..., part="locked")``.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from rehabit.clinical import assess
from rehabit.clinical.levels import RANK
from rehabit.clinical.upgrade import current_answers
from tests.clinical.cases import form
from tests.clinical.cases.clinician_first import load_clinician_first

HERE = Path(__file__).resolve().parent
# The questionnaire of the paper form the cases were entered on (form.py, FORM.md).
ENTRY_VERSION = form.load_questionnaire().version
ENTRIES = {"story": "story_*.yaml", "selftests": "selftests_*.yaml"}
BANDS = ((0.0, 0.4), (0.4, 0.7), (0.7, 1.01))


@dataclass(frozen=True)
class Case:
    id: str
    cause: str
    triage: str
    split: str
    age_group: str


@lru_cache(maxsize=1)
def cases() -> dict[str, Case]:
    raw = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
    return {
        c["id"]: Case(c["id"], c["cause"], c["triage"], c["split"], c.get("age_group") or "")
        for c in raw
    }


@lru_cache(maxsize=1)
def clinician_first() -> dict[str, list[str]]:
    """case id -> the causes a clinician could name first from its story alone."""
    return load_clinician_first()


@lru_cache(maxsize=4)
def entered(kind: str) -> dict[str, dict[str, Any]]:
    """case id -> answers, for one kind of entry, exactly as entered (on the paper form of
    questionnaire ENTRY_VERSION)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((HERE / "answers").glob(ENTRIES[kind])):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out[item["id"]] = item["answers"]
    return out


@lru_cache(maxsize=4)
def entries(kind: str) -> dict[str, dict[str, Any]]:
    """case id -> answers, for one kind of entry, in today's questionnaire: read through
    the same upgrade as a stored assessment (clinical/upgrade.py)."""
    return {cid: current_answers(ENTRY_VERSION, a) for cid, a in entered(kind).items()}


@dataclass
class Outcome:
    case: Case
    level: str
    causes: list[tuple[str, float]]  # (id, probability), as ranked
    shown: int  # questions the guided pages showed

    @property
    def rank_of_truth(self) -> int | None:
        ids = [c for c, _ in self.causes]
        return ids.index(self.case.cause) + 1 if self.case.cause in ids else None


def run(case: Case, answers: Mapping[str, Any], *, guided: bool = True) -> Outcome:
    if guided:
        from rehabit.clinical.flow import walk

        answers, shown = walk(answers)
    else:  # every entered answer that today's skip logic lets apply
        from rehabit.clinical.flow import prune

        answers = prune(answers)
        shown = len(answers)
    result = assess(answers)
    return Outcome(
        case, result.disposition.level, [(c.id, c.probability) for c in result.causes], shown
    )


@dataclass
class Report:
    part: str
    kind: str
    outcomes: list[Outcome] = field(default_factory=list)

    def _share(self, hits: Iterable[bool]) -> float:
        values = list(hits)
        return sum(values) / len(values) if values else float("nan")

    @property
    def n(self) -> int:
        return len(self.outcomes)

    @property
    def top1(self) -> float:
        return self._share(o.rank_of_truth == 1 for o in self.outcomes)

    @property
    def top1_or_clinician_first(self) -> float:
        """The first cause is the confirmed one, or one a careful clinician could name first
        from the story alone (clinician_first.yaml, entered blind to the confirmed cause)."""
        judged = clinician_first()
        return self._share(
            o.causes[0][0] == o.case.cause or o.causes[0][0] in judged.get(o.case.id, ())
            for o in self.outcomes
        )

    @property
    def clinician_top1(self) -> float:
        """For comparison, not the model: how often the clinician's blind first cause
        (the first it names) is the confirmed one, on the same cases."""
        judged = clinician_first()
        return self._share(judged[o.case.id][0] == o.case.cause for o in self.outcomes)

    @property
    def top3(self) -> float:
        return self._share((o.rank_of_truth or 99) <= 3 for o in self.outcomes)

    @property
    def exact_disposition(self) -> float:
        return self._share(o.level == o.case.triage for o in self.outcomes)

    @property
    def not_under_triaged(self) -> float:
        return self._share(RANK[o.level] >= RANK[o.case.triage] for o in self.outcomes)

    @property
    def urgent_under_triaged(self) -> list[str]:
        """Urgent or emergency cases sent to a lower level."""
        return [
            o.case.id
            for o in self.outcomes
            if RANK[o.case.triage] >= RANK["urgent"] and RANK[o.level] < RANK[o.case.triage]
        ]

    @property
    def over_triage(self) -> float:
        return self._share(RANK[o.level] > RANK[o.case.triage] for o in self.outcomes)

    @property
    def brier(self) -> float:
        """Multi-class Brier score over causes (0 best, 2 worst)."""
        scores = []
        for o in self.outcomes:
            total = 0.0
            seen = False
            for cid, p in o.causes:
                hit = cid == o.case.cause
                seen = seen or hit
                total += (p - (1.0 if hit else 0.0)) ** 2
            scores.append(total if seen else total + 1.0)
        return statistics.fmean(scores) if scores else float("nan")

    @property
    def overconfidence(self) -> float:
        """Mean probability of the first cause minus the share of cases it was right."""
        if not self.outcomes:
            return float("nan")
        top = statistics.fmean(max(p for _, p in o.causes) for o in self.outcomes)
        return top - self.top1

    def reliability(self) -> list[tuple[str, int, float, float]]:
        """Per band of first-cause probability: (band, cases, mean probability, accuracy)."""
        rows = []
        for low, high in BANDS:
            inside = [o for o in self.outcomes if low <= o.causes[0][1] < high]
            if not inside:
                rows.append((f"{low:.1f}-{min(high, 1.0):.1f}", 0, float("nan"), float("nan")))
                continue
            rows.append(
                (
                    f"{low:.1f}-{min(high, 1.0):.1f}",
                    len(inside),
                    statistics.fmean(o.causes[0][1] for o in inside),
                    sum(o.rank_of_truth == 1 for o in inside) / len(inside),
                )
            )
        return rows

    @property
    def median_shown(self) -> float:
        return statistics.median(o.shown for o in self.outcomes) if self.outcomes else 0.0

    def sensitivity(self) -> dict[str, tuple[int, int, int]]:
        """Per confirmed cause: (cases, first, in the top three)."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for o in self.outcomes:
            row = out[o.case.cause]
            row[0] += 1
            row[1] += o.rank_of_truth == 1
            row[2] += (o.rank_of_truth or 99) <= 3
        return {k: (v[0], v[1], v[2]) for k, v in sorted(out.items())}

    def confusion(self) -> Counter[tuple[str, str]]:
        return Counter((o.case.triage, o.level) for o in self.outcomes)


def score(part: str, kind: str, *, guided: bool = True) -> Report:
    """Score one part ("tuning", "locked" or "all") on one kind of entry."""
    report = Report(part, kind)
    answers = entries(kind)
    for case in cases().values():
        if part != "all" and case.split != part:
            continue
        if case.id not in answers:
            continue
        report.outcomes.append(run(case, answers[case.id], guided=guided))
    return report


def summary(report: Report) -> str:
    lines = [
        f"{report.part} part, {report.kind} entries: {report.n} cases",
        f"  confirmed cause first        {report.top1:6.1%}",
        f"  first is confirmed or a clinician's first {report.top1_or_clinician_first:6.1%}",
        f"  (a clinician's blind first, from the story, is the confirmed cause"
        f" {report.clinician_top1:6.1%})",
        f"  confirmed cause in top three {report.top3:6.1%}",
        f"  disposition exactly right    {report.exact_disposition:6.1%}",
        f"  not under-triaged            {report.not_under_triaged:6.1%}",
        f"  urgent/emergency under-triaged: {len(report.urgent_under_triaged)}"
        + (f" ({', '.join(report.urgent_under_triaged)})" if report.urgent_under_triaged else ""),
        f"  over-triaged                 {report.over_triage:6.1%}",
        f"  Brier score over causes      {report.brier:6.3f}",
        f"  mean top probability - accuracy {report.overconfidence:+.3f}",
        f"  median questions shown       {report.median_shown:g}",
        "  reliability (first-cause probability band: cases, mean probability, accuracy):",
    ]
    for band, count, mean, accuracy in report.reliability():
        lines.append(f"    {band}: {count:3d}  {mean:5.2f}  {accuracy:5.2f}")
    lines.append("  per cause (cases, first, top three):")
    for cause, (count, first, top3) in report.sensitivity().items():
        lines.append(f"    {cause:32s} {count:3d} {first:3d} {top3:3d}")
    return "\n".join(lines)
