from ninja import Router, Schema

from rehabit.clinical.conditions import load_conditions
from rehabit.core.reviewed_text import tr
from rehabit.education.content import get_condition_page

router = Router(tags=["conditions"])


class ConditionOut(Schema):
    id: str
    name: str
    summary: str
    serious: bool
    url: str | None


@router.get("/conditions", response=list[ConditionOut], summary="Conditions Rehabit considers")
def list_conditions(request):  # type: ignore[no-untyped-def]
    """Every condition in the differential, with a one-line summary and whether it is serious."""
    out = []
    for condition in load_conditions().values():
        page = get_condition_page(condition.id)
        out.append(
            {
                "id": condition.id,
                "name": tr(condition.name),
                "summary": tr(page["summary"] if page else condition.summary),
                "serious": condition.serious,
                "url": f"/conditions/{condition.id}/" if page else None,
            }
        )
    return out
