"""A tiny rule language shared by skip logic, red flags and findings.

A rule is a mapping, one of::

    {q: ID, in: [values]}      single / yes_no answer is one of the values;
                               multi: at least one selected value is in the list
    {q: ID, all_of: [values]}  multi: every listed value is selected
    {q: ID, gte: N}            integer / scale answer is N or more
    {q: ID, lte: N}            integer / scale answer is N or less
    {q: ID, answered: true}    the question has (true) / has not (false) been answered
    {all: [rules]}             every rule holds
    {any: [rules]}             at least one rule holds
    {not: rule}                the rule does not hold

Rules are compiled once, at load time, into closures. Every reference is checked against
the questions (and their option values) so that a typo in the data fails loudly.

Red flags and findings evaluate three-valued: a rule about an unanswered question is
*unknown* (``None``), never guessed. ``all`` / ``any`` / ``not`` follow Kleene logic
(``not unknown`` is still unknown; ``all`` is false as soon as one part is false; ``any`` is
true as soon as one part is true). Callers that need a plain yes/no treat unknown as "does
not hold"; the differential uses the difference to apply a finding's "absent" weight only
when the person actually answered.

Skip logic (``show_if``) is compiled two-valued (``two_valued=True``): a condition about an
unanswered question is false, and ``all`` / ``any`` / ``not`` combine plain booleans, as
FHIR's ``enableWhen`` does. Every client that follows the published rule then shows exactly
the questions the server accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

Answers = Mapping[str, object]
Evaluator = Callable[[Answers], "bool | None"]

CHOICE_TYPES = frozenset({"single", "yes_no", "multi"})
NUMBER_TYPES = frozenset({"integer", "scale"})


class RuleError(ValueError):
    """A rule in the data is malformed or refers to something that does not exist."""


class QuestionLike(Protocol):
    """What the compiler needs to know about a question."""

    @property
    def id(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def labels(self) -> Mapping[str, str]: ...


@dataclass(frozen=True, slots=True)
class Rule:
    """A compiled rule: call it with cleaned answers."""

    evaluate: Evaluator
    refs: frozenset[str]
    description: str  # plain words: "your answer to "…" is "…""
    negated: str = ""  # the same, for when the rule does not hold

    @property
    def sentence(self) -> str:
        """The description without the outer brackets of a compound rule."""
        d = self.description
        return d[1:-1] if d.startswith("(") and d.endswith(")") else d

    def holds(self, answers: Answers) -> bool:
        """True only when the rule is definitely true (unknown counts as not holding)."""
        return self.evaluate(answers) is True


def compile_rule(
    raw: object,
    questions: Mapping[str, QuestionLike],
    where: str = "rule",
    *,
    two_valued: bool = False,
) -> Rule:
    """Compile a rule mapping; raise RuleError naming ``where`` on any problem.

    ``two_valued``: a condition about an unanswered question is false instead of unknown.
    """
    if not isinstance(raw, Mapping):
        raise RuleError(f"{where}: a rule must be a mapping, got {type(raw).__name__}")
    keys = set(raw)
    if "q" in raw:
        return _compile_leaf(raw, questions, where, False if two_valued else None)
    if keys == {"all"} or keys == {"any"}:
        op = "all" if "all" in raw else "any"
        parts_raw = raw[op]
        if not isinstance(parts_raw, Sequence) or isinstance(parts_raw, str) or not parts_raw:
            raise RuleError(f"{where}: '{op}' needs a non-empty list of rules")
        parts = [
            compile_rule(p, questions, f"{where}.{op}[{i}]", two_valued=two_valued)
            for i, p in enumerate(parts_raw)
        ]
        return _combine(op, parts)
    if keys == {"not"}:
        inner = compile_rule(raw["not"], questions, f"{where}.not", two_valued=two_valued)
        return _negate(inner)
    raise RuleError(f"{where}: unknown rule shape with keys {sorted(map(str, keys))}")


def _compile_leaf(
    raw: Mapping[object, object],
    questions: Mapping[str, QuestionLike],
    where: str,
    absent: bool | None,
) -> Rule:
    """``absent`` is what a condition about an unanswered question is (None: unknown)."""
    qid = raw["q"]
    if not isinstance(qid, str) or qid not in questions:
        raise RuleError(f"{where}: unknown question {qid!r}")
    question = questions[qid]
    ops = set(raw) - {"q"}
    if len(ops) != 1:
        raise RuleError(
            f"{where}: a question rule needs exactly one operator, got {sorted(map(str, ops))}"
        )
    op = str(next(iter(ops)))
    arg = raw[op]
    refs = frozenset({qid})
    if op in ("in", "all_of"):
        return _compile_choice(op, arg, question, where, absent)
    if op in ("gte", "lte"):
        if question.type not in NUMBER_TYPES:
            raise RuleError(f"{where}: '{op}' needs a number question, {qid!r} is {question.type}")
        if not isinstance(arg, int) or isinstance(arg, bool):
            raise RuleError(f"{where}: '{op}' needs a whole number")
        limit = arg
        if op == "gte":

            def gte(answers: Answers) -> bool | None:
                value = answers.get(qid)
                return absent if value is None else value >= limit  # type: ignore[operator]

            return Rule(
                gte,
                refs,
                f'your answer to "{question.text}" is {limit} or more',
                f'your answer to "{question.text}" is less than {limit}',
            )

        def lte(answers: Answers) -> bool | None:
            value = answers.get(qid)
            return absent if value is None else value <= limit  # type: ignore[operator]

        return Rule(
            lte,
            refs,
            f'your answer to "{question.text}" is {limit} or less',
            f'your answer to "{question.text}" is more than {limit}',
        )
    if op == "answered":
        if not isinstance(arg, bool):
            raise RuleError(f"{where}: 'answered' needs true or false")
        wanted = arg

        def answered(answers: Answers) -> bool | None:
            return (answers.get(qid) is not None) is wanted

        yes, no = f'you have answered "{question.text}"', f'you have not answered "{question.text}"'
        return Rule(answered, refs, *((yes, no) if wanted else (no, yes)))
    raise RuleError(f"{where}: unknown operator {op!r}")


def _compile_choice(
    op: str, arg: object, question: QuestionLike, where: str, absent: bool | None
) -> Rule:
    qid = question.id
    if question.type not in CHOICE_TYPES:
        raise RuleError(f"{where}: '{op}' needs a choice question, {qid!r} is {question.type}")
    if op == "all_of" and question.type != "multi":
        raise RuleError(f"{where}: 'all_of' needs a multi question, {qid!r} is {question.type}")
    if not isinstance(arg, Sequence) or isinstance(arg, str) or not arg:
        raise RuleError(f"{where}: '{op}' needs a non-empty list of option values")
    for value in arg:
        if value not in question.labels:
            raise RuleError(
                f"{where}: {value!r} is not an option of {qid!r} "
                f"(options: {', '.join(question.labels)})"
            )
    values = frozenset(str(v) for v in arg)
    quoted = [f'"{question.labels[str(v)]}"' for v in arg]
    labels = " or ".join(quoted)
    not_labels = f"not {quoted[0]}" if len(quoted) == 1 else "none of " + ", ".join(quoted)
    refs = frozenset({qid})
    if op == "all_of":
        all_labels = " and ".join(f'"{question.labels[str(v)]}"' for v in arg)

        def all_of(answers: Answers) -> bool | None:
            value = answers.get(qid)
            return absent if value is None else values.issubset(value)  # type: ignore[arg-type]

        return Rule(
            all_of,
            refs,
            f'you chose {all_labels} for "{question.text}"',
            f'you did not choose all of {all_labels} for "{question.text}"',
        )
    if question.type == "multi":
        multi_negated = (
            f'you did not choose {labels} for "{question.text}"'
            if len(quoted) == 1
            else f'you chose {not_labels} for "{question.text}"'
        )

        def any_in(answers: Answers) -> bool | None:
            value = answers.get(qid)
            return absent if value is None else not values.isdisjoint(value)  # type: ignore[arg-type]

        return Rule(
            any_in,
            refs,
            f'you chose {labels} for "{question.text}"',
            multi_negated,
        )

    def one_in(answers: Answers) -> bool | None:
        value = answers.get(qid)
        return absent if value is None else value in values

    return Rule(
        one_in,
        refs,
        f'your answer to "{question.text}" is {labels}',
        f'your answer to "{question.text}" is {not_labels}',
    )


def _combine(op: str, parts: list[Rule]) -> Rule:
    fns = tuple(p.evaluate for p in parts)
    refs = frozenset().union(*(p.refs for p in parts))
    if len(parts) == 1:
        description, negated = parts[0].description, parts[0].negated
    else:  # De Morgan for the negated wording
        joiner, other = (" and ", " or ") if op == "all" else (" or ", " and ")
        description = "(" + joiner.join(p.description for p in parts) + ")"
        negated = "(" + other.join(p.negated for p in parts) + ")"
    if op == "all":

        def all_(answers: Answers) -> bool | None:
            unknown = False
            for fn in fns:
                result = fn(answers)
                if result is False:
                    return False
                if result is None:
                    unknown = True
            return None if unknown else True

        return Rule(all_, refs, description, negated)

    def any_(answers: Answers) -> bool | None:
        unknown = False
        for fn in fns:
            result = fn(answers)
            if result is True:
                return True
            if result is None:
                unknown = True
        return None if unknown else False

    return Rule(any_, refs, description, negated)


def _negate(inner: Rule) -> Rule:
    fn = inner.evaluate

    def not_(answers: Answers) -> bool | None:
        result = fn(answers)
        return None if result is None else not result

    return Rule(not_, inner.refs, inner.negated, inner.description)


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Dispatch(Generic[T]):
    """Many rules, arranged so that one call evaluates them all quickly.

    Each entry is (rule, item when true, item when false). A rule that depends on one
    question with a finite set of answers is tabulated at load time (answer -> items), so at
    run time it costs one dictionary lookup; other rules are evaluated as compiled. Unknown
    (unanswered) gives no item, exactly as evaluating the rule would.
    """

    tables: tuple[tuple[str, bool, Mapping[Hashable, tuple[T, ...]]], ...]
    generic: tuple[tuple[Rule, T | None, T | None], ...]

    @classmethod
    def build(
        cls,
        entries: Sequence[tuple[Rule, T | None, T | None]],
        domains: Mapping[str, tuple[Hashable, ...] | None],
        multi: frozenset[str] = frozenset(),
        merge: Callable[[Sequence[T]], T] | None = None,
    ) -> Dispatch[T]:
        """``merge``, if given, folds the items for one answer into a single item."""
        tables: dict[str, dict[Hashable, list[T]]] = {}
        generic: list[tuple[Rule, T | None, T | None]] = []
        for rule, if_true, if_false in entries:
            (qid,) = rule.refs if len(rule.refs) == 1 else (None,)
            domain = domains.get(qid) if qid is not None else None
            if qid is None or domain is None or rule.evaluate({}) is not None:
                generic.append((rule, if_true, if_false))
                continue
            table = tables.setdefault(qid, {value: [] for value in domain})
            for value, items in table.items():
                state = rule.evaluate({qid: value})
                item = if_true if state is True else if_false if state is False else None
                if item is not None:
                    items.append(item)

        def pack(items: list[T]) -> tuple[T, ...]:
            return (merge(items),) if merge is not None and items else tuple(items)

        return cls(
            tuple(
                (qid, qid in multi, {v: pack(items) for v, items in table.items()})
                for qid, table in tables.items()
            ),
            tuple(generic),
        )

    def collect(self, answers: Answers) -> list[T]:
        """The items of every rule's current state (tabulated rules first)."""
        out: list[T] = []
        for qid, is_multi, table in self.tables:
            value = answers.get(qid)
            if value is not None:
                out += table.get(frozenset(value) if is_multi else value, ())  # type: ignore[call-overload]
        for rule, if_true, if_false in self.generic:
            state = rule.evaluate(answers)
            if state is True:
                if if_true is not None:
                    out.append(if_true)
            elif state is False and if_false is not None:
                out.append(if_false)
        return out
