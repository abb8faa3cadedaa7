"""Sharing consent names the therapist it is with (security finding 1)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="consentevent",
            name="therapist",
            field=models.ForeignKey(
                blank=True,
                help_text="The therapist a share is with (sharing only).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="therapist",
            ),
        ),
        migrations.AddConstraint(
            model_name="consentevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("therapist__isnull", True),
                    ("purpose", "share_with_therapist"),
                    _connector="OR",
                ),
                name="consent_therapist_only_when_sharing",
            ),
        ),
    ]
