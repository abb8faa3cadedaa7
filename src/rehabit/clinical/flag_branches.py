"""The cases of a red flag: which part of an either-or the person told us.

A flag's rule may hold in several ways: ``{any: [...]}`` with two or more parts (a large
bruise, *or* pain near the sitting bone with trouble sitting). One label for the whole
rule then joins every case with "or", and the person reads it as a claim that they said
all of them (a phone walk: "You felt a pop, and you now have a large bruise, or pain high
up near the sitting bone ..." shown to someone who had chosen a small bruise). So each
part of such an ``any`` carries its own wording, next to its rule keys::

    any:
      - id: large_bruise                  # snake_case, unique in the flag: its stable code
        label: "You felt a pop, and ..."  # the whole sign, as told in this case
        label_unsure: "You are not sure ..."  # when it holds only on "Not sure" answers
        q: bruising
        in: [large]

A branch's label speaks for its **path**: the flag's whole rule with every ``any`` above
the branch narrowed to it (the other parts of the rule still have to hold, so the label
may name them too). A part of an ``any`` may instead leave the wording to an ``any``
inside it whose parts are labelled in turn (nested cases).

Checked at load (``split_branches``), so that no flag can say "or" about the person again:

- every part of every ``any`` with two or more parts has a label, or a labelled ``any``
  inside it;
- a labelled part holds no ``any`` of two or more parts itself, and none sits beside it in
  an ``all`` on its path (two either-ors side by side: put one inside the other, so that
  each label names exactly one case);
- labels sit only on the parts of such an ``any``, never under a ``not``;
- a branch whose path can hold on a "Not sure" answer (one outside a ``not``) has a
  ``label_unsure``.

Exclusions under a ``not`` are never named by a label, so an ``any`` there needs no
wording. A case may also carry ``for_a_child: {label, label_unsure}``, its wording as a
child's parent reads it ("Your child has a fever ..."), beside its own; whether a case that
can fire for a child needs it is checked with the flag (``redflags_file.check_child_wording``).
Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rehabit.clinical.rules import QuestionLike, Rule, RuleError, compile_rule

BRANCH_KEYS = frozenset({"id", "label", "label_unsure", "for_a_child"})
CHILD_KEYS = frozenset({"label", "label_unsure"})
UNSURE = "not_sure"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")

Path = tuple[tuple[str, int], ...]  # the steps from the rule's root: ("all" | "any", index)


@dataclass(frozen=True, slots=True)
class Branch:
    """One case of a flag's either-or, with what the person told us when it holds."""

    id: str
    label: str
    label_unsure: str | None
    rule: Rule  # the flag's rule narrowed to this case: it holds only when the case does
    where: str  # e.g. "red flag 'x'.rule.all[1].any[0]", for messages
    # The same, as a child's parent reads it ("Your child has a fever ..."), where the
    # case's own wording speaks to "you" (``for_a_child``; checked in redflags).
    child_label: str | None = None
    child_label_unsure: str | None = None
    # the raw narrowed rule (for the child-wording check)
    narrowed: object = field(default=None, compare=False, repr=False)

    def holds(self, answers: Mapping[str, object]) -> bool:
        return self.rule.evaluate(answers) is True

    def told(self, *, unsure: bool, child: bool) -> str:
        """The label for this case: the "Not sure" one when told only on "Not sure"
        answers, a child's wording when a parent answered for a child."""
        if unsure and self.label_unsure:
            return (child and self.child_label_unsure) or self.label_unsure
        return (child and self.child_label) or self.label

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label this case may be told with."""
        said = (self.label, self.label_unsure, self.child_label, self.child_label_unsure)
        return tuple(t for t in said if t is not None)


def split_branches(
    raw: object, questions: Mapping[str, QuestionLike], where: str
) -> tuple[object, tuple[Branch, ...]]:
    """(the rule without its wording, to compile as usual; its branches in file order).

    Raises ``RuleError`` naming the place on any problem listed in the module docstring.
    """
    labelled: dict[Path, Mapping[str, object]] = {}
    clean = _strip(raw, (), labelled, where, choice=False, negated=False)
    choices: list[Path] = []
    _multi_anys(clean, (), choices)
    for choice in choices:
        node = _at(clean, choice)
        for index in range(len(node["any"])):
            part = (*choice, ("any", index))
            if part not in labelled and not any(c == part or _under(c, part) for c in choices):
                raise RuleError(
                    f"{where}{_spell(part)}: this case of an either-or needs its own label "
                    '(and label_unsure if a "Not sure" answer can make it hold), so the '
                    "reason names only what the person told us"
                )
    branches: list[Branch] = []
    ids: set[str] = set()
    for path, wording in labelled.items():
        place = f"{where}{_spell(path)}"
        for choice in choices:
            if _under(choice, path) or choice == path:
                raise RuleError(
                    f"{place}: a labelled case holds an either-or ({where}{_spell(choice)}); "
                    "label the parts of that one instead"
                )
            if _beside(choice, path):
                raise RuleError(
                    f"{place}: its label would have to say 'or' about the either-or beside "
                    f"it ({where}{_spell(choice)}); put one inside the other so that each "
                    "label names exactly one case"
                )
        bid = str(wording["id"])
        if bid in ids:
            raise RuleError(f"{place}: duplicate case id {bid!r}")
        ids.add(bid)
        narrowed = _narrow(clean, path)
        if _can_hold_on_unsure(narrowed) and wording.get("label_unsure") is None:
            raise RuleError(
                f'{place}: can hold on "Not sure", so it needs label_unsure (a "Not sure" '
                'is never reported back as a "yes")'
            )
        rule = compile_rule(narrowed, questions, place)
        unsure = wording.get("label_unsure")
        child = _child_wording(wording, place)
        branches.append(
            Branch(
                id=bid,
                label=str(wording["label"]).strip(),
                label_unsure=str(unsure).strip() if unsure is not None else None,
                rule=rule,
                where=place,
                child_label=child.get("label"),
                child_label_unsure=child.get("label_unsure"),
                narrowed=narrowed,
            )
        )
    return clean, tuple(branches)


def _child_wording(wording: Mapping[str, object], place: str) -> dict[str, str]:
    """A case's ``for_a_child`` wording: {label, label_unsure}, each only beside its own."""
    child = wording.get("for_a_child")
    if child is None:
        return {}
    where = f"{place}.for_a_child"
    if not isinstance(child, Mapping) or not child or set(child) - CHILD_KEYS:
        raise RuleError(f"{where}: a mapping with label, label_unsure or both")
    out: dict[str, str] = {}
    for key, text in child.items():
        if not isinstance(text, str) or not text.strip():
            raise RuleError(f"{where}: {key} must be non-empty text")
        if wording.get(key) is None:
            raise RuleError(f"{where}: {key} has no {key} of the case's own to stand for")
        out[str(key)] = text.strip()
    return out


def _strip(
    node: object,
    path: Path,
    labelled: dict[Path, Mapping[str, object]],
    where: str,
    *,
    choice: bool,
    negated: bool,
) -> object:
    """A copy of ``node`` without wording keys; the wording found goes in ``labelled``.
    ``choice``: the node is a part of an ``any`` of two or more parts."""
    if not isinstance(node, Mapping):
        return node  # compile_rule reports it
    wording = {str(k): v for k, v in node.items() if k in BRANCH_KEYS}
    place = f"{where}{_spell(path)}"
    if wording:
        if negated:
            raise RuleError(f"{place}: no label under 'not' (an exclusion is never named)")
        if not choice:
            raise RuleError(
                f"{place}: a label belongs on a case of an either-or (a part of an 'any' "
                "with two or more parts); the flag's own label says the rest"
            )
        if not _ID.match(str(wording.get("id", ""))):
            raise RuleError(f"{place}: a labelled case needs a snake_case id")
        for key in ("label", "label_unsure"):
            text = wording.get(key)
            if (key == "label" or text is not None) and (
                not isinstance(text, str) or not text.strip()
            ):
                raise RuleError(f"{place}: {key} must be non-empty text")
        labelled[path] = wording
    out: dict[object, object] = {k: v for k, v in node.items() if k not in BRANCH_KEYS}
    for op in ("all", "any"):
        parts = out.get(op)
        if isinstance(parts, Sequence) and not isinstance(parts, str):
            many = op == "any" and len(parts) > 1
            out[op] = [
                _strip(p, (*path, (op, i)), labelled, where, choice=many, negated=negated)
                for i, p in enumerate(parts)
            ]
    if "not" in out:
        out["not"] = _strip(out["not"], path, labelled, where, choice=False, negated=True)
    return out


def _multi_anys(node: object, path: Path, out: list[Path]) -> None:
    """The paths of the ``any`` nodes of two or more parts, outside any ``not``."""
    if not isinstance(node, Mapping):
        return
    parts = node.get("any")
    if isinstance(parts, list) and len(parts) > 1:
        out.append(path)
    for op in ("all", "any"):
        if isinstance(node.get(op), list):
            for i, part in enumerate(node[op]):
                _multi_anys(part, (*path, (op, i)), out)


def _can_hold_on_unsure(node: object) -> bool:
    """Does a "Not sure" answer count for the rule, outside any ``not`` (there it only
    keeps the rule from holding)?"""
    if not isinstance(node, Mapping):
        return False
    if "q" in node:
        return any(isinstance(node.get(op), list) and UNSURE in node[op] for op in ("in", "all_of"))
    return any(
        _can_hold_on_unsure(part)
        for op in ("all", "any")
        if isinstance(node.get(op), list)
        for part in node[op]
    )


def _at(node: object, path: Path) -> Mapping[str, list[object]]:
    for op, index in path:
        node = node[op][index]  # type: ignore[index]
    return node  # type: ignore[return-value]


def _under(path: Path, top: Path) -> bool:
    """``path`` lies strictly inside ``top``."""
    return len(path) > len(top) and path[: len(top)] == top


def _beside(choice: Path, branch: Path) -> bool:
    """Does the either-or at ``choice`` stay in ``branch``'s narrowed rule, unresolved? It
    does unless it is above the branch (narrowed to it), inside it (checked apart), or in
    another part of an ``any`` above the branch (left out by the narrowing)."""
    for mine, theirs in zip(branch, choice, strict=False):
        if mine != theirs:
            return mine[0] == "all"
    return False  # one path is a prefix of the other


def _narrow(node: object, path: Path) -> object:
    """The rule with every ``any`` on ``path`` replaced by the part the path goes through."""
    if not path:
        return node
    (op, index), rest = path[0], path[1:]
    assert isinstance(node, Mapping)
    if op == "any":
        return _narrow(node["any"][index], rest)
    return {"all": [_narrow(p, rest) if i == index else p for i, p in enumerate(node["all"])]}


def _spell(path: Path) -> str:
    return ".rule" + "".join(f".{op}[{index}]" for op, index in path)
