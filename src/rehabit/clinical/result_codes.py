"""Every code the clinical model can put in a result, with its English sentence.

A stored result keeps these codes, not the sentences (``rehabit.assessments.result_texts``
keeps one catalogue of them per revision of the texts); the content-strings catalogue for
translators lists the sentences too (``extract_content_strings``). Pure: no Django.
"""

from __future__ import annotations

from rehabit.clinical import triage_words
from rehabit.clinical.engine import CONFIDENCE, load_model

# What decide() in rehabit.clinical.triage says about the ranking and severity (its
# templates, spelled out for each condition and number): if triage rewords them, these codes
# simply stop matching and the new sentences are kept word for word (tests/storage checks
# that every sentence of today's model has a code, so the rewording is noticed).
BEST_FIT = triage_words.BEST_FIT
RULE_OUT = triage_words.RULE_OUT
PAIN_NOW = triage_words.PAIN_NOW
PAIN_WORST = triage_words.PAIN_WORST
NOT_A_DIAGNOSIS = triage_words.NOT_A_DIAGNOSIS
# "severity:limp", and "severity:limp:child" for a parent's words about their child.
SEVERITY = {f"severity:{key}": text for key, text in triage_words.SEVERITY_REASONS.items()}


def build_texts() -> dict[str, str]:
    """Every code today's clinical model can put in a result, with its sentence."""
    model = load_model()
    differential = model.differential
    texts: dict[str, str] = {}
    for finding in differential.contexts + differential.findings:
        for direction, effects in (("present", finding.present), ("absent", finding.absent)):
            if effects is not None and effects.entries:
                texts[f"{finding.id}:{direction}"] = differential.code_list[effects.entries[0][2]]
        # The same reasons as a child's parent reads them ("Your child has a small bruise.").
        for direction, child in zip(
            ("present", "absent"), (finding.child_present, finding.child_absent), strict=True
        ):
            if child is not None:
                texts[f"{finding.id}:{direction}:child"] = child
    for cid, name in zip(differential.ids, differential.names, strict=True):
        texts[f"cause:{cid}"] = name
        texts[f"best:{cid}"] = BEST_FIT.format(name=name)
        texts[f"rule_out:{cid}"] = RULE_OUT.format(name=name)
    for flag in model.red_flags:
        texts[f"flag:{flag.id}"] = flag.label
        texts[f"flag:{flag.id}:advice"] = flag.advice
        if flag.label_unsure is not None:
            texts[f"flag:{flag.id}:unsure"] = flag.label_unsure
        # A child's wording, read by the parent who answered for them (as_told).
        if flag.child_label is not None:
            texts[f"flag:{flag.id}:child"] = flag.child_label
        if flag.child_label_unsure is not None:
            texts[f"flag:{flag.id}:child:unsure"] = flag.child_label_unsure
        if flag.child_advice is not None:
            texts[f"flag:{flag.id}:child:advice"] = flag.child_advice
        for branch in flag.branches:  # what the person told us, by the case that held
            texts[f"flag:{flag.id}:case:{branch.id}"] = branch.label
            if branch.label_unsure is not None:
                texts[f"flag:{flag.id}:case:{branch.id}:unsure"] = branch.label_unsure
            if branch.child_label is not None:
                texts[f"flag:{flag.id}:case:{branch.id}:child"] = branch.child_label
            if branch.child_label_unsure is not None:
                key = f"flag:{flag.id}:case:{branch.id}:child:unsure"
                texts[key] = branch.child_label_unsure
    # The person's own words, and a parent's about their child (code ending ":child").
    for words, suffix in ((triage_words.ADULT_WORDS, ""), (triage_words.CHILD_WORDS, ":child")):
        texts.update({f"{code}{suffix}": text for code, text in disposition_codes(words).items()})
    texts["not_a_diagnosis"] = NOT_A_DIAGNOSIS
    texts.update(SEVERITY)
    for n in range(11):
        texts[f"pain_now:{n}"] = PAIN_NOW.format(n=n)
        texts[f"pain_worst:{n}"] = PAIN_WORST.format(n=n)
        texts[f"pain_now:{n}:child"] = triage_words.CHILD_PAIN_NOW.format(n=n)
        texts[f"pain_worst:{n}:child"] = triage_words.CHILD_PAIN_WORST.format(n=n)
        texts[f"confidence:{n}"] = CONFIDENCE.format(n=n)
    return texts


def disposition_codes(words: triage_words.Words) -> dict[str, str]:
    """The headlines, actions, safety nets and re-checks of one voice, by code."""
    texts = {f"headline:{level}": text for level, text in words.headlines.items()}
    texts["headline:soon_doctor"] = words.soon_doctor
    texts["headline:soon_doctor_days"] = words.soon_doctor_days
    texts["headline:urgent_days"] = words.urgent_days
    texts["action:urgent_days"] = words.urgent_days_action
    texts.update({f"action:{level}": text for level, text in words.actions.items()})
    texts["safety_net:emergency"] = words.safety_net_emergency
    texts["safety_net:same_day"] = words.safety_net_same_day
    texts["recheck:acute"] = words.recheck_acute
    texts["recheck:gradual"] = words.recheck_gradual
    texts["recheck:soon_acute"] = words.recheck_soon_acute
    texts["recheck:soon_gradual"] = words.recheck_soon_gradual
    texts.update({f"action_rest:{level}": text for level, text in words.action_rest.items()})
    texts["action_rest:urgent_days"] = words.urgent_days_rest
    return texts
