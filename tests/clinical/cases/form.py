"""The questionnaire as a paper form, and a checker for blind entry (no model output).

    python -m tests.clinical.cases.form > tests/clinical/cases/FORM.md
    python -m tests.clinical.cases.form --check tests/clinical/cases/answers/entry1.yaml

The check validates every answer set against the questionnaire exactly as the service
does (types, options, skip logic, required questions) and prints only field errors: an
enterer never sees a disposition or a cause.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from rehabit.clinical import AnswerErrors
from rehabit.clinical.datafiles import parse_yaml
from rehabit.clinical.questionnaire import Questionnaire
from rehabit.clinical.questionnaire_file import parse_questionnaire
from rehabit.clinical.validation import validate_answers

# The questionnaire the cases were entered with (a copy, so entry can go on while the
# service's own questionnaire changes).
ENTERED_WITH = Path(__file__).with_name("questionnaire-2026.12.1.yaml")


def load_questionnaire() -> Questionnaire:
    # Read as it was: 2026.12.1 is from before every question had a child's wording.
    raw = parse_yaml(ENTERED_WITH.read_text(encoding="utf-8"))
    return parse_questionnaire(raw, child_wording=False)


def form() -> str:
    q = load_questionnaire()
    lines = [
        f"# Rehabit questionnaire {q.version}: the paper form for entering cases",
        "",
        "Answer with the question id and the option *value* (the word in `code`).",
        "`multi` questions take a list of values. `integer`/`scale` take a whole number.",
        "A question applies only when its **Only if** condition is true; a condition about",
        'a question with no answer is false (so "is not X" / "is none of X" is true when the',
        "question was not asked). Do not answer a question that does not apply.",
        "*Required* questions must be answered whenever they apply; *optional* ones may be",
        "left out.",
        "",
    ]
    for section in q.sections:
        lines += [f"## {section.title} (`{section.id}`)", ""]
        if section.intro:
            lines += [f"_{section.intro}_", ""]
        for question in section.questions:
            need = "required" if question.required else "optional"
            lines.append(f"### `{question.id}` ({question.type}, {need})")
            lines.append("")
            lines.append(question.text)
            if question.help:
                lines += ["", f"_Help:_ {question.help}"]
            if question.type == "integer":
                low, high, unit = question.min, question.max, question.unit
                lines += ["", f"A whole number from {low} to {high} ({unit})."]
            if question.type == "scale":
                lines += ["", "A whole number from 0 to 10."]
            if question.show_if is not None:
                lines += ["", f"**Only if** {question.show_if.sentence}."]
            if question.options:
                lines.append("")
                for option in question.options:
                    only = " (only on its own)" if option.value in question.exclusive else ""
                    lines.append(f"- `{option.value}`: {option.label}{only}")
            lines.append("")
    return "\n".join(lines)


def check(path: Path) -> int:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    q = load_questionnaire()
    problems = 0
    out = sys.stdout
    for entry in entries:
        try:
            validate_answers(q, entry.get("answers") or {})
        except AnswerErrors as exc:
            problems += 1
            out.write(f"{entry.get('id')}:\n")
            for qid, messages in sorted(exc.errors.items()):
                out.write(f"  {qid}: {' '.join(messages)}\n")
    out.write(f"{len(entries)} answer sets, {problems} with problems\n")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(check(Path(sys.argv[2])))
    sys.stdout.write(form() + "\n")
