"""Short clinical labels of the questionnaire's questions, for the therapist's intake
summary (``intake.py``): "label: answer" and the screening lists. Pure, no Django.

The questionnaire speaks to the patient ("Does it hurt below the knee?"); a clinician
reads "pain radiating below the knee". Each label is a ``Text`` (``phrases.py``), marked
for translation. A question without a label falls back to its questionnaire wording;
``tests/clinical/test_intake_labels.py`` checks that every question has one.
"""

from __future__ import annotations

from collections.abc import Mapping

from rehabit.clinical.phrases import Text, _

# Short clinical labels of questions (for "label: answer" and the screening lists).
LABELS: Mapping[str, Text] = {
    "age": _("age"),
    "sex": _("sex"),
    "location": _("pain location"),
    "side": _("side"),
    "days_since_onset": _("duration at assessment"),
    "onset": _("mechanism of onset"),
    "earlier_pain": _("pre-existing pain at the site"),
    "pop": _("pop or snap at onset"),
    "course": _("course since onset"),
    "pain_now": _("pain now (NPRS)"),
    # Warning signs
    "pelvic_changes": _("change in saddle sensation, bladder, bowel or sexual function"),
    "saddle_numbness": _("saddle anaesthesia or paraesthesia"),
    "bladder_trouble": _("bladder dysfunction (hesitancy, poor stream, reduced sensation)"),
    "bladder_bowel_leak": _("urinary or faecal incontinence"),
    "sexual_function_change": _("new sexual dysfunction"),
    "both_legs_numb_weak": _("new bilateral leg numbness, paraesthesia or weakness"),
    "leg_weakness": _("leg or foot weakness"),
    "numbness": _("numbness in the leg or foot"),
    "numbness_spreading": _("spreading or worsening numbness"),
    "bear_weight": _("difficulty bearing weight (4 steps)"),
    "whole_leg_swelling": _("whole-leg swelling or calf asymmetry"),
    "leg_red_warm": _("erythema, warmth or new visible veins of calf or thigh"),
    "breathless_or_chest_pain": _("dyspnoea, pleuritic chest pain or haemoptysis"),
    "leg_cold_pale": _("cold, pale or cyanosed leg or foot"),
    "foot_sore": _("non-healing wound of foot or toes"),
    "fever": _("fever, chills or feeling systemically unwell"),
    "very_unwell": _("confusion, drowsiness or rapidly spreading erythema"),
    "weight_loss": _("unexplained weight loss"),
    "lump": _("palpable or visible lump"),
    "lump_features": _("features of the lump"),
    "thigh_tense_hard": _("tense, hard, swollen thigh with pain out of proportion"),
    "dark_urine": _("dark (cola-coloured) urine or oliguria since exercise"),
    "night_pain": _("night pain"),
    # Health and activity
    "activity_level": _("activity level"),
    "sports": _("sport"),
    "long_sitting": _("prolonged sitting for most of the day"),
    "previous_hamstring_injury": _("previous hamstring injury"),
    "previous_back_problems": _("previous low back problems"),
    "cancer_history": _("history of cancer"),
    "blood_thinners": _("anticoagulant therapy"),
    "clot_risks": _("VTE risk factors"),
    "hormones_or_pregnancy": _("pregnancy, postpartum (3 months) or oestrogen therapy"),
    "smoking_or_diabetes": _("smoking or diabetes"),
    "weak_bones_or_steroids": _("osteoporosis or long-term oral corticosteroids"),
    "bone_stress_risk": _("previous stress fracture or low energy availability"),
    "weak_immune_system": _("immunosuppression or injecting drug use"),
    # What the pain is like
    "pain_worst": _("worst pain in 24 hours (NPRS)"),
    "pain_quality": _("pain quality"),
    "worse": _("aggravating factors"),
    "eases": _("easing factors"),
    # Other symptoms
    "tenderness": _("self-palpation"),
    "stiffness": _("posterior thigh stiffness"),
    "swelling": _("local swelling"),
    "bruising": _("bruising"),
    "weakness": _("subjective weakness (knee flexion, stairs)"),
    "tingling": _("paraesthesia in leg or foot"),
    "pain_below_knee": _("pain radiating below the knee"),
    "hip_stiff": _("hip stiffness after rest"),
    "socks_shoes_hard": _("difficulty with socks and shoes (hip flexion)"),
    # Self-tests
    "walk_test": _("10-step walk"),
    "hop_test": _("single-leg hop (3 hops)"),
    "bridge_test": _("single-leg bridge, affected side"),
    "nerve_stretch_test": _("self-administered slump or assisted straight leg raise"),
    "sitting_test": _("1-minute hard-chair sitting"),
    "knee_bend_test": _("self-resisted knee flexion in prone"),
    "hamstring_stretch_test": _("Puranen-Orava standing hamstring stretch"),
}
