"""The pain diary, the outcome measures with their scores and verdicts, the trend behind
the charts, and the PDF report of an assessment (``rehabit.outcomes``).

The same services as the pages. Access follows the assessment (``readable_assessment``):
one nobody owns is reachable by its unguessable id; an owned one only by its owner (staff
through the audited record rule, read-only). Writes to an owned assessment carry the CSRF
token (``X-CSRFToken``). Days are calendar days in the signed-in person's zone (UTC when
not signed in); instants are ISO 8601 in UTC.

By subject: the pain diary (``diary``), the outcome measures and their ratings and tests
(``measures``), the trend behind the charts (``trend``) and the PDF report (``report``);
the "is this real improvement?" verdicts and advice that the measures and the trend both
carry, in the words their reader is given, are ``verdicts``, and the tag, the read errors
and the 422 body ``common``. Every operation names the id it had when this was one module
(``rehabit_api_progress_<function>``), so the OpenAPI document, and any client generated
from it, stays the same.
"""

from __future__ import annotations

from ninja import Router

from rehabit.api.progress import diary, measures, report, trend

router = Router()
router.add_router("", diary.router)
router.add_router("", measures.router)
router.add_router("", trend.router)
router.add_router("", report.router)
