from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0002_no_overlap_on_postgresql"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="attendance",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not marked yet"),
                    ("attended", "Attended"),
                    ("no_show", "Did not attend"),
                ],
                default="",
                max_length=8,
                verbose_name="attendance",
            ),
        ),
    ]
