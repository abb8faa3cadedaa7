"""The therapist's patients: the list, and each patient's chart.

Only patients with a session with this therapist (now or within
``REHABIT_THERAPIST_ACCESS_DAYS``) who share their record with them are listed and can be
opened (``rehabit.charts.access``: the one record rule, every opening audited). Thin:
the chart is assembled by ``rehabit.charts.chart``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from rehabit.booking.models import Therapist
from rehabit.booking.people import display_name
from rehabit.booking.views.therapist_access import therapist_page
from rehabit.charts import access
from rehabit.charts.chart import chart_context, chosen_assessment
from rehabit.charts.models import NoteKind
from rehabit.charts.views import in_therapist_zone, render_page


@require_GET
@therapist_page
@in_therapist_zone
def patient_list(request: HttpRequest, therapist: Therapist) -> HttpResponse:
    rows, withheld = access.patient_list(request.user)
    return render_page(request, "charts/patients.html", {"rows": rows, "withheld": withheld})


@require_GET
@therapist_page
@in_therapist_zone
def patient_chart(request: HttpRequest, therapist: Therapist, patient_id: int) -> HttpResponse:
    asked = request.GET.get("assessment")
    try:
        patient, assessment = access.open_chart(
            request, patient_id, target=lambda p: chosen_assessment(p, asked)
        )
    except access.NoChart:
        raise Http404("No such patient.") from None
    context: dict[str, Any] = chart_context(request.user, patient, assessment)
    context.update(
        {
            "patient_name": display_name(patient),
            "note_kinds": NoteKind.choices,
            # The program page works on the latest assessment (its clearance form too).
            "is_current_assessment": assessment is not None
            and bool(context["assessments"])
            and context["assessments"][0].pk == assessment.pk,
        }
    )
    return render_page(request, "charts/chart.html", context)
