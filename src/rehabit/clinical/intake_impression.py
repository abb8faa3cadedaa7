"""The assessment's outcome in clinical words, for the therapist's intake summary
(``intake.py``): the conditions ranked (the result names them for the patient), the
disposition given and the level of each red flag raised. Pure, no Django; each phrase a
``Text`` (``phrases.py``).
"""

from __future__ import annotations

from collections.abc import Mapping

from rehabit.clinical.phrases import Text, _

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
