"""The patient's answers as clinical findings, for the therapist's intake summary
(``intake.py``): each option of each question in clinical words ("I limped" reads
"antalgic gait"), and which screening answers are positive or negative findings. Pure, no
Django.

Each phrase is a ``Text`` (``phrases.py``), marked for translation. An option without
words here falls back to its questionnaire wording; ``tests/clinical/test_intake_findings.py``
checks that every option has some.
"""

from __future__ import annotations

from collections.abc import Mapping

from rehabit.clinical.phrases import Text, _

# ---------------------------------------------------------------- answers in general
YES_NO: Mapping[str, Text] = {"yes": _("yes"), "no": _("no"), "not_sure": _("not sure")}
NOT_ASKED = _("not asked")

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
