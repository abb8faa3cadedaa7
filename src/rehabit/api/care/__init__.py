"""Exercise library, self-care plan and program, and the exercise log of an assessment.

The same services as the pages (``rehabit.care``). Access follows the assessment: one
nobody owns is reachable by its unguessable id; an owned one only by its owner (staff read
through the audited record rule, never write). Writes to an owned assessment's log are
authenticated by the session cookie, so they must carry the CSRF token (``X-CSRFToken``).
Instants are ISO 8601 in UTC.

By subject: the library (``exercises``), the plan and program of an assessment (``plan``,
with the program's shape in ``program``), its exercise log and next-morning check-ins
(``exercise_log``), and who may read or add to an assessment (``access``). Every operation
names the id it had when this was one module (``rehabit_api_care_<function>``), so the
OpenAPI document, and any client generated from it, stays the same.
"""

from __future__ import annotations

from ninja import Router

from rehabit.api.care import exercise_log, exercises, plan

router = Router()
router.add_router("", exercises.router)
router.add_router("", plan.router)
router.add_router("", exercise_log.router)
