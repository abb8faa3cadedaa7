"""Attach the assessments done while signed in, before that was done on the first write.

Until security finding 2 was fixed, an assessment done while signed in was stored without
an owner, and the page put its id in the session (``assessment_ids``) as it does for
anonymous results. Such a session still says whose it is: it is signed in
(``_auth_user_id``). Each unowned assessment listed in exactly one person's signed-in
sessions becomes that person's. Nothing else moves: an assessment someone owns already,
one listed only in signed-out sessions, one listed in two people's sessions, or one whose
session names an account that no longer exists stays as it is.

Reversing does nothing (the owner is the truth from now on).
"""

from importlib import import_module
from uuid import UUID

from django.conf import settings
from django.db import migrations

SESSION_KEY = "assessment_ids"
USER_KEY = "_auth_user_id"


def _ids(raw):
    if not isinstance(raw, list):
        return set()
    found = set()
    for value in raw:
        try:
            found.add(UUID(str(value)))
        except ValueError:
            continue
    return found


def attach(apps, schema_editor):
    Session = apps.get_model("sessions", "Session")
    Assessment = apps.get_model("assessments", "Assessment")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    store = import_module(settings.SESSION_ENGINE).SessionStore()

    claims = {}  # assessment id -> the user ids whose sessions list it
    for data in Session.objects.values_list("session_data", flat=True).iterator():
        decoded = store.decode(data)
        user_id = decoded.get(USER_KEY)
        ids = _ids(decoded.get(SESSION_KEY))
        if not user_id or not ids:
            continue
        for assessment_id in ids:
            claims.setdefault(assessment_id, set()).add(str(user_id))

    unowned = set(
        Assessment.objects.filter(pk__in=list(claims), owner__isnull=True).values_list(
            "pk", flat=True
        )
    )
    by_user = {}
    for assessment_id in unowned:
        users = claims[assessment_id]
        if len(users) == 1:
            by_user.setdefault(next(iter(users)), []).append(assessment_id)
    existing = {
        str(pk)
        for pk in User.objects.filter(pk__in=[int(u) for u in by_user if u.isdigit()]).values_list(
            "pk", flat=True
        )
    }
    for user_id, assessment_ids in by_user.items():
        if user_id in existing:
            Assessment.objects.filter(pk__in=assessment_ids, owner__isnull=True).update(
                owner_id=int(user_id)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_assessment_owner"),
        ("sessions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(attach, migrations.RunPython.noop)]
