"""Which kind of therapist to suggest for what an assessment points to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rehabit.booking.models import Specialty

# Cause ids of clinical/data/conditions.yaml -> the specialty that treats them. Causes not
# listed (emergencies such as DVT or cauda equina) get no suggestion of their own.
CAUSE_SPECIALTY: dict[str, str] = {
    "hamstring_strain": Specialty.HAMSTRING,
    "hamstring_avulsion": Specialty.HAMSTRING,
    "proximal_hamstring_tendinopathy": Specialty.HAMSTRING,
    "muscle_imbalance_tightness": Specialty.HAMSTRING,
    "ischial_bursitis": Specialty.HIP,
    "piriformis_syndrome": Specialty.HIP,
    "referred_hip_or_sij_pain": Specialty.HIP,
    "sciatica": Specialty.BACK,
    "lumbar_spinal_stenosis": Specialty.BACK,
    "doms": Specialty.SPORTS,
    "thigh_contusion": Specialty.SPORTS,
    "compartment_syndrome": Specialty.SPORTS,
}


def specialty_for(causes: Sequence[dict[str, Any]]) -> str:
    """The specialty for the most likely cause that has one (hamstring when none has)."""
    for cause in causes or ():
        found = CAUSE_SPECIALTY.get(str(cause.get("id", "")))
        if found:
            return str(found)
    return str(Specialty.HAMSTRING)
