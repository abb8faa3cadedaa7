"""Administrators manage therapist records in the admin site: listing and unlisting,
specialties, languages and session types; appointments and waitlist entries read-only.

The admin role had none of booking's permissions, so only a superuser could do what the
README says an administrator does ("listed" on the therapist record). Granted here to the
existing admin group, which migration accounts.0002_roles created (a new database gets it
the same way, through ``accounts.roles.GROUP_PERMISSIONS`` kept in step). A therapist's
hours, dates and time off are not granted: they change through the availability page,
which checks them. No delete of a therapist (their appointments are protected).
"""

from django.db import migrations

ADMIN_BOOKING_PERMISSIONS = (
    "view_therapist",
    "add_therapist",
    "change_therapist",
    "view_therapistspecialty",
    "add_therapistspecialty",
    "change_therapistspecialty",
    "delete_therapistspecialty",
    "view_therapistlanguage",
    "add_therapistlanguage",
    "change_therapistlanguage",
    "delete_therapistlanguage",
    "view_sessiontype",
    "add_sessiontype",
    "change_sessiontype",
    "delete_sessiontype",
    "view_appointment",
    "view_waitlistentry",
)


def grant_to_admins(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; create booking's now.
    booking = apps.get_app_config("booking")
    booking.models_module = True
    create_permissions(booking, apps=apps, verbosity=0)
    booking.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    granted = Permission.objects.filter(
        content_type__app_label="booking", codename__in=ADMIN_BOOKING_PERMISSIONS
    )
    for group in Group.objects.filter(name="admin"):
        group.permissions.add(*granted)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    granted = Permission.objects.filter(
        content_type__app_label="booking", codename__in=ADMIN_BOOKING_PERMISSIONS
    )
    for group in Group.objects.filter(name="admin"):
        group.permissions.remove(*granted)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0004_weekday_names"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_to_admins, revoke)]
