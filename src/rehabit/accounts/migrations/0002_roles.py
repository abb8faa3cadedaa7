"""Create the role groups (patient, therapist, admin) with their explicit permissions."""

from django.db import migrations

# Frozen copy of rehabit.accounts.roles.GROUP_PERMISSIONS at the time of this migration
# (migrations must not import code that may change later).
GROUP_PERMISSIONS = {
    "patient": ("accounts.view_own_record",),
    "therapist": ("accounts.view_patient_record",),
    "admin": (
        "accounts.view_patient_record_as_admin",
        "accounts.manage_accounts",
        "accounts.view_profile",
        "accounts.view_consentevent",
        "auth.view_user",
        "auth.change_user",
        "auth.view_group",
        "account.view_emailaddress",
        "account.change_emailaddress",
        "mfa.view_authenticator",
        "mfa.delete_authenticator",
        "assessments.view_assessment",
        "audit.view_auditentry",
    ),
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("mfa", "0003_authenticator_type_uniq"),
        ("assessments", "0002_assessment_owner"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
