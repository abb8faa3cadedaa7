"""Every code the clinical model can put in a result, with its English sentence.

A stored result keeps these codes, not the sentences (``rehabit.assessments.result_texts``
keeps one catalogue of them per revision of the texts); the content-strings catalogue for
translators lists the sentences too (``extract_content_strings``). Pure: no Django.
"""

from __future__ import annotations

from rehabit.clinical import triage
from rehabit.clinical.engine import CONFIDENCE, load_model

# What decide() in rehabit.clinical.triage says about the ranking (its f-strings, spelled
# out for each condition and number): if triage rewords them, these codes simply stop
# matching and the new sentences are kept word for word (tests/storage checks that every
# sentence of today's model has a code, so the rewording is noticed).
BEST_FIT = "Your answers fit best with: {name}."
RULE_OUT = "Some of your answers fit {name}, which a doctor needs to rule out."
PAIN_NOW = "Your pain is {n} out of 10."
PAIN_WORST = "Your pain reached {n} out of 10 in the last day."
NOT_A_DIAGNOSIS = "This is not a diagnosis. It is a guide based on your answers."
SEVERITY = {
    "severity:cannot_stand": "You cannot stand on the painful leg.",
    "severity:could_not_walk": "You could not walk 10 steps.",
    "severity:limp": "You limp when you walk.",
    "severity:mild": "You walk normally, your pain is low and the leg does not feel weak.",
}


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
    for level, text in triage.HEADLINES.items():
        texts[f"headline:{level}"] = text
    texts["headline:soon_doctor"] = triage.SOON_DOCTOR
    texts["headline:soon_doctor_days"] = triage.SOON_DOCTOR_DAYS
    texts["headline:urgent_days"] = triage.URGENT_DAYS
    texts["action:urgent_days"] = triage.URGENT_DAYS_ACTION
    for level, text in triage.ACTIONS.items():
        texts[f"action:{level}"] = text
    texts["safety_net:emergency"] = triage.SAFETY_NET_EMERGENCY
    texts["safety_net:same_day"] = triage.SAFETY_NET_SAME_DAY
    texts["recheck:acute"] = triage.RECHECK_ACUTE
    texts["recheck:gradual"] = triage.RECHECK_GRADUAL
    texts["recheck:soon_acute"] = triage.RECHECK_SOON_ACUTE
    texts["recheck:soon_gradual"] = triage.RECHECK_SOON_GRADUAL
    texts["not_a_diagnosis"] = NOT_A_DIAGNOSIS
    texts.update(SEVERITY)
    for n in range(11):
        texts[f"pain_now:{n}"] = PAIN_NOW.format(n=n)
        texts[f"pain_worst:{n}"] = PAIN_WORST.format(n=n)
        texts[f"confidence:{n}"] = CONFIDENCE.format(n=n)
    return texts
