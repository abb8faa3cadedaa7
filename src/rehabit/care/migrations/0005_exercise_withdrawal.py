"""Exercise withdrawals (an administrator takes an exercise out of use), and the
permission to manage them for the admin role: granted here to the existing admin group,
which migration accounts.0002_roles created (a new database gets it the same way)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def grant_to_admins(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; create care's now.
    care = apps.get_app_config("care")
    care.models_module = True
    create_permissions(care, apps=apps, verbosity=0)
    care.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="care", codename="manage_exercises")
    for group in Group.objects.filter(name="admin"):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="care", codename="manage_exercises").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0004_clearance"),
        ("accounts", "0002_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ExerciseWithdrawal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "exercise_id",
                    models.CharField(db_index=True, max_length=64, verbose_name="exercise"),
                ),
                (
                    "reason",
                    models.TextField(max_length=300, verbose_name="reason shown to patients"),
                ),
                (
                    "withdrawn_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="withdrawn at"
                    ),
                ),
                (
                    "restored_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="brought back at"),
                ),
                (
                    "restored_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "withdrawn_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "exercise withdrawal",
                "verbose_name_plural": "exercise withdrawals",
                "ordering": ["-withdrawn_at", "-id"],
                "permissions": [
                    ("manage_exercises", "Can withdraw and bring back library exercises")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("restored_at__isnull", True)),
                        fields=("exercise_id",),
                        name="care_one_standing_withdrawal",
                    )
                ],
            },
        ),
        migrations.RunPython(grant_to_admins, revoke),
    ]
