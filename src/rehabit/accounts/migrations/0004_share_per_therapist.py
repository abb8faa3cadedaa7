"""Turn the old account-wide sharing consent into shares with named therapists.

Before this migration one event with no therapist switched sharing on or off for every
therapist. A patient whose latest such event gave consent now shares with each therapist
they have an appointment with whose appointment says ``share_record`` (the box they ticked
when booking that therapist); with nobody else. Every new event keeps the old one's notice
version and time and says where it came from (``source``), so the history stays true: who
consented, when, to which notice. The old events stay as history; they grant nothing.

Reversing removes only the events this migration wrote.
"""

from django.db import migrations

SHARE = "share_with_therapist"
SOURCE = "migrated"


def share_with_booked_therapists(apps, schema_editor):
    ConsentEvent = apps.get_model("accounts", "ConsentEvent")
    Appointment = apps.get_model("booking", "Appointment")

    account_wide = ConsentEvent.objects.filter(purpose=SHARE, therapist__isnull=True)
    latest: dict[int, object] = {}
    for event in account_wide.order_by("recorded_at", "id").iterator():
        latest[event.user_id] = event
    granted = {user_id: e for user_id, e in latest.items() if e.granted}
    if not granted:
        return
    pairs = (
        Appointment.objects.filter(
            patient_id__in=list(granted),
            share_record=True,
            therapist__user__isnull=False,
        )
        .values_list("patient_id", "therapist__user_id")
        .distinct()
    )
    new = []
    for patient_id, therapist_user_id in sorted(set(pairs)):
        if patient_id == therapist_user_id:
            continue
        source = granted[patient_id]
        already = ConsentEvent.objects.filter(
            user_id=patient_id, purpose=SHARE, therapist_id=therapist_user_id
        ).exists()
        if already:
            continue
        new.append(
            ConsentEvent(
                user_id=patient_id,
                purpose=SHARE,
                therapist_id=therapist_user_id,
                version=source.version,
                granted=True,
                recorded_at=source.recorded_at,
                source=SOURCE,
            )
        )
    ConsentEvent.objects.bulk_create(new)


def forget_migrated_shares(apps, schema_editor):
    ConsentEvent = apps.get_model("accounts", "ConsentEvent")
    ConsentEvent.objects.filter(purpose=SHARE, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_consentevent_therapist"),
        ("booking", "0001_initial"),
    ]

    operations = [migrations.RunPython(share_with_booked_therapists, forget_migrated_shares)]
