"""Clinical words for the therapist's intake summary (``intake.py``): pure, no Django.

The questionnaire speaks to the patient ("I limped"); a clinician reads
"antalgic gait". Every phrase here is a ``Text``: an English message with named
placeholders, marked for translation by the markers ``_`` and ``ngettext`` (the names
``makemessages``/xgettext collect), translated and filled in by the web layer
(``rehabit.charts.presenters.render``) or in English by ``Text.english()``.

A question or option without a term here falls back to its questionnaire wording;
``tests/charts/test_intake.py`` checks that every question and option has one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rehabit.clinical.phrases import (
    Param,
    Status,
    Text,
    _,
    join,
    join_or,
    listing,
    ngettext,
    verbatim,
)

__all__ = ["Param", "Status", "Text", "_", "join", "join_or", "listing", "ngettext", "verbatim"]

# ---------------------------------------------------------------- answers in general
YES_NO: Mapping[str, Text] = {"yes": _("yes"), "no": _("no"), "not_sure": _("not sure")}
NOT_ASKED = _("not asked")

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

_NOT_TRIED = _("not attempted")
_COULD_NOT = _("unable")

# Option values in clinical words, per question (yes/no questions use YES_NO).
VALUES: Mapping[str, Mapping[str, Text]] = {
    "sex": {"female": _("female"), "male": _("male"), "prefer_not": _("not stated")},
    "location": {
        "lower_back": _("low back"),
        "buttock": _("buttock"),
        "side_of_hip": _("lateral hip"),
        "groin": _("groin or anterior hip"),
        "sitting_bone": _("ischial tuberosity"),
        "upper_thigh": _("proximal posterior thigh"),
        "middle_thigh": _("mid posterior thigh"),
        "lower_thigh": _("distal posterior thigh"),
        "outer_thigh": _("lateral thigh"),
        "front_thigh_knee": _("anterior thigh or knee"),
        "behind_knee": _("popliteal fossa"),
        "calf": _("calf"),
        "foot": _("foot"),
    },
    "side": {"left": _("left"), "right": _("right"), "both": _("bilateral")},
    "onset": {
        "sprinting": _("sprinting"),
        "stretch_kick_split": _("forced stretch, high kick, slip or splits"),
        "jumping_landing": _("jumping or landing"),
        "lifting": _("lifting or carrying"),
        "bending_twisting": _("bending or twisting"),
        "fall_or_blow": _("fall, crash or direct blow"),
        "ordinary_movement": _("sudden, during an ordinary movement"),
        "during_sport_no_moment": _("during sport, no single inciting moment"),
        "after_more_training": _("after an increase in training load"),
        "gradually": _("insidious, over days to weeks"),
        "after_sitting": _("after prolonged sitting"),
        "no_clear_reason": _("no clear cause (woke with it)"),
    },
    "earlier_pain": {
        "no": _("none"),
        "weeks_or_longer": _("ache for weeks or longer"),
        "on_and_off": _("intermittent"),
    },
    "course": {
        "better": _("improving"),
        "same": _("unchanged"),
        "worse": _("worsening"),
        "comes_and_goes": _("fluctuating"),
    },
    "leg_weakness": {
        "no": _("no"),
        "weak_not_worse": _("weak, not progressing"),
        "slowly": _("progressing over days"),
        "suddenly": _("sudden marked weakness (e.g. foot drop)"),
        "not_sure": _("not sure"),
    },
    "clot_risks": {
        "surgery_or_immobile": _("surgery, immobilisation or bed rest over 3 days (3 months)"),
        "long_travel": _("travel over 4 hours sitting (4 weeks)"),
        "earlier_clot": _("previous DVT or PE"),
        "none": _("none"),
        "not_sure": _("not sure"),
    },
    "bear_weight": {
        "yes": _("weight-bearing"),
        "limping": _("weight-bearing with a limp"),
        "with_aid": _("only with a walking aid"),
        "no": _("unable to bear weight"),
        "not_sure": _("not sure"),
    },
    "leg_cold_pale": {
        "no": _("no"),
        "suddenly": _("acute, within hours or days"),
        "for_a_while": _("for weeks or longer"),
        "not_sure": _("not sure"),
    },
    "lump_features": {
        "growing": _("growing"),
        "pulsing": _("pulsatile"),
        "hard": _("hard or fixed"),
        "painful": _("tender"),
        "tingles": _("tingling down the leg when pressed or tapped (Tinel sign)"),
        "none": _("none of growth, pulsation, hardness, tenderness or tingling"),
    },
    "night_pain": {
        "none": _("none"),
        "when_moving": _("wakes on moving or turning"),
        "constant": _("constant, worse at night regardless of position"),
    },
    "activity_level": {
        "inactive": _("sedentary"),
        "light": _("lightly active"),
        "regular": _("exercises 2-4 times a week"),
        "intense": _("trains or competes 5 or more times a week"),
    },
    "sports": {
        "sprint_kicking": _("sprinting or kicking sport"),
        "dance_gym_martial": _("dance, gymnastics, martial arts or yoga"),
        "distance_running": _("distance running"),
        "cycling_rowing": _("cycling or rowing"),
        "gym_weights": _("resistance training"),
        "military_training": _("military training (marches, drills)"),
        "other_sport": _("other sport"),
        "none": _("none"),
    },
    "cancer_history": {
        "no": _("no"),
        "current_or_recent": _("current, or treated within 6 months"),
        "past": _("more than 6 months ago"),
        "not_sure": _("not sure"),
    },
    "pain_quality": {
        "ache": _("dull ache"),
        "sharp": _("sharp or stabbing"),
        "burning": _("burning"),
        "shooting": _("shooting or electric"),
        "tight": _("tight or pulling"),
        "cramping": _("cramping"),
        "throbbing": _("throbbing"),
    },
    "worse": {
        "sitting": _("sitting"),
        "walking": _("walking"),
        "running": _("running"),
        "full_effort": _("maximal effort only"),
        "cycling": _("cycling"),
        "climbing_stairs": _("stairs or hills"),
        "lifting": _("lifting or carrying"),
        "bending_forward": _("forward bending"),
        "stretching": _("hamstring stretch"),
        "coughing_sneezing": _("coughing or sneezing"),
        "standing": _("prolonged standing"),
        "walking_uphill_fast": _("walking uphill or fast"),
        "none": _("nothing in particular"),
        "dont_know": _("not known"),
    },
    "eases": {
        "rest": _("rest"),
        "stopping_exercise": _("stopping exercise (settles within minutes)"),
        "sitting_down": _("sitting down"),
        "bending_forward": _("forward bending"),
        "standing_still": _("standing still for a few minutes"),
        "moving_about": _("moving about"),
        "heat": _("heat"),
        "painkillers": _("analgesics"),
        "nothing": _("nothing"),
        "dont_know": _("not known"),
    },
    "tenderness": {
        "no": _("not tender"),
        "one_spot": _("focal tenderness"),
        "all_along": _("diffuse tenderness along the muscle"),
        "bone": _("bony tenderness"),
        "not_sure": _("not assessed"),
    },
    "bruising": {
        "none": _("none"),
        "small": _("small bruise"),
        "large": _("extensive bruising tracking down the thigh"),
        "not_sure": _("not assessable"),
    },
    "walk_test": {
        "normal": _("normal gait, little or no pain"),
        "painful": _("normal gait, painful"),
        "limp": _("antalgic gait"),
        "could_not": _COULD_NOT,
        "not_tried": _NOT_TRIED,
    },
    "hop_test": {
        "no_pain": _("painless"),
        "pain": _("pain at the site"),
        "could_not": _COULD_NOT,
        "not_tried": _NOT_TRIED,
    },
    "bridge_test": {
        "no_pain": _("strong and painless"),
        "pain": _("posterior thigh or buttock pain"),
        "weak": _("weak, little pain"),
        "cramp": _("cramp"),
        "could_not": _COULD_NOT,
        "not_tried": _NOT_TRIED,
    },
    "nerve_stretch_test": {
        "no_pain": _("negative"),
        "tight_only": _("posterior thigh or knee stretch only"),
        "thigh_pain": _("reproduces the buttock or posterior thigh pain"),
        "below_knee": _("pain or paraesthesia radiating below the knee"),
        "could_not": _COULD_NOT,
        "not_tried": _NOT_TRIED,
    },
    "sitting_test": {
        "no_pain": _("painless"),
        "sitting_bone": _("ischial pain"),
        "buttock": _("deep buttock pain"),
        "back_of_thigh": _("posterior thigh pain"),
        "down_leg": _("pain radiating below the knee"),
        "could_not": _COULD_NOT,
        "not_tried": _NOT_TRIED,
    },
    "knee_bend_test": {
        "no_pain": _("strong and painless"),
        "pain": _("strong and painful"),
        "weak": _("weak and painless"),
        "pain_and_weak": _("weak and painful"),
        "could_not": _COULD_NOT,
        "not_tried": _NOT_TRIED,
    },
    "hamstring_stretch_test": {
        "no_pain": _("negative"),
        "stretch_only": _("stretch only"),
        "sitting_bone": _("reproduces the ischial pain"),
        "other_pain": _("pain elsewhere"),
        "could_not": _COULD_NOT,
        "not_tried": _NOT_TRIED,
    },
}

# Screening answers that are findings (positive) though not "yes", and answers that are
# reassuring though not "no" (e.g. able to bear weight).
POSITIVE: Mapping[str, frozenset[str]] = {
    "leg_weakness": frozenset({"weak_not_worse", "slowly", "suddenly"}),
    "bear_weight": frozenset({"limping", "with_aid", "no"}),
    "leg_cold_pale": frozenset({"suddenly", "for_a_while"}),
    "night_pain": frozenset({"when_moving", "constant"}),
    "cancer_history": frozenset({"current_or_recent", "past"}),
}
NEGATIVE: Mapping[str, frozenset[str]] = {
    "bear_weight": frozenset({"yes"}),
    "night_pain": frozenset({"none"}),
}

# The mechanism in a sentence ("..., after sprinting").
MECHANISM: Mapping[str, Text] = {
    "sprinting": _("after sprinting"),
    "stretch_kick_split": _("after a forced stretch, high kick, slip or splits"),
    "jumping_landing": _("after jumping or landing"),
    "lifting": _("while lifting or carrying"),
    "bending_twisting": _("while bending or twisting"),
    "fall_or_blow": _("after a fall, crash or direct blow"),
    "ordinary_movement": _("with sudden onset during an ordinary movement"),
    "during_sport_no_moment": _("arising during sport without a single inciting moment"),
    "after_more_training": _("after an increase in training load"),
    "gradually": _("of insidious onset"),
    "after_sitting": _("after prolonged sitting"),
    "no_clear_reason": _("without a clear cause"),
}

POP: Mapping[str, Text] = {
    "yes": _("felt a pop"),
    "no": _("no pop"),
    "not_sure": _("not sure whether there was a pop"),
}

EARLIER_PAIN: Mapping[str, Text] = {
    "weeks_or_longer": _("on a background of an ache there for weeks or longer"),
    "on_and_off": _("on a background of intermittent pain there"),
}

# Conditions in clinical words (the result's names are written for the patient).
CONDITIONS: Mapping[str, Text] = {
    "hamstring_strain": _("hamstring strain"),
    "hamstring_avulsion": _("proximal hamstring avulsion"),
    "proximal_hamstring_tendinopathy": _("proximal hamstring tendinopathy"),
    "ischial_bursitis": _("ischial bursitis"),
    "sciatica": _("lumbar radicular pain (sciatica)"),
    "piriformis_syndrome": _("piriformis (deep gluteal) syndrome"),
    "muscle_imbalance_tightness": _("hamstring tightness or muscle imbalance"),
    "dvt": _("deep vein thrombosis"),
    "cauda_equina": _("cauda equina syndrome"),
    "arterial_aneurysm": _("arterial (popliteal) aneurysm"),
    "exercise_flow_limitation": _("exercise-induced arterial flow limitation"),
    "bakers_cyst": _("Baker's (popliteal) cyst"),
    "vascular_claudication": _("peripheral arterial disease (claudication)"),
    "fracture": _("fracture"),
    "bone_stress_injury": _("bone stress injury"),
    "infection": _("infection (bone, joint or soft tissue)"),
    "tumour": _("bone tumour"),
    "soft_tissue_tumour": _("soft-tissue tumour"),
    "compartment_syndrome": _("acute compartment syndrome"),
    "lumbar_spinal_stenosis": _("lumbar spinal stenosis"),
    "doms": _("delayed-onset muscle soreness"),
    "thigh_contusion": _("thigh contusion"),
    "referred_hip_or_sij_pain": _("referred pain from the hip or sacroiliac joint"),
    "exertional_rhabdomyolysis": _("exertional rhabdomyolysis"),
}

DISPOSITIONS: Mapping[str, Text] = {
    "emergency": _("emergency: advised to call emergency services or attend now"),
    "urgent": _("urgent: advised to see a doctor today"),
    "urgent_days": _("urgent: advised to see a doctor today or tomorrow"),
    "soon": _("advised to see a physiotherapist within one to two weeks"),
    "soon_doctor": _("advised to see a doctor within one to two weeks"),
    "soon_doctor_days": _("advised to see a doctor within a few days"),
    "self_care": _("self-care advised"),
}
FLAG_LEVELS: Mapping[str, Text] = {
    "emergency": _("emergency"),
    "urgent": _("urgent"),
    "soon": _("see soon"),
}


def person(age: int | None, sex: str | None) -> Text:
    """ "34-year-old woman", "14-year-old girl", "adult, age not given"."""
    if age is None:
        return _("patient of unknown age")
    child = age < 16
    if sex == "female":
        return _("{age}-year-old girl", age=age) if child else _("{age}-year-old woman", age=age)
    if sex == "male":
        return _("{age}-year-old boy", age=age) if child else _("{age}-year-old man", age=age)
    if child:
        return _("{age}-year-old child (sex not stated)", age=age)
    return _("{age}-year-old (sex not stated)", age=age)


def duration(days: int) -> Text:
    """Days as a clinician says them: days up to 2 weeks, then weeks, months, years."""
    if days == 0:
        return _("less than a day")
    if days < 14:
        return ngettext("{count} day", "{count} days", days)
    if days < 60:
        return ngettext("{count} week", "{count} weeks", days // 7)
    if days < 730:
        return ngettext("{count} month", "{count} months", days // 30)
    return ngettext("{count} year", "{count} years", days // 365)


def side_pain(side: str | None, regions: Sequence[Text]) -> Text:
    """ "right mid posterior thigh pain"."""
    where = join(regions) if regions else _("posterior thigh")
    if side == "left":
        return _("left {regions} pain", regions=where)
    if side == "right":
        return _("right {regions} pain", regions=where)
    if side == "both":
        return _("bilateral {regions} pain", regions=where)
    return _("{regions} pain (side not given)", regions=where)
