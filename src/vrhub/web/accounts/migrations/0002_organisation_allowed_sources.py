"""Which sources each organisation may upload.

Existing organisations are seeded with their kind's defaults, frozen here as they were when this migration
was written (police: police records and police.uk; health: ED attendances and hospital admissions;
ambulance; fire; council and education: indicators; the VRP: police.uk and indicators; probation and the
voluntary sector: none). From then on the administrator's setting rules: review it in the admin.
"""

from django.db import migrations, models

SEED = {
    "police": ["police-records", "police-uk"],
    "health": ["ed-attendances", "hospital-admissions"],
    "ambulance": ["ambulance"],
    "fire": ["fire"],
    "council": ["indicators"],
    "education": ["indicators"],
    "vrp": ["police-uk", "indicators"],
}


def seed(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    for organisation in Organisation.objects.all():
        organisation.allowed_sources = SEED.get(organisation.kind, [])
        organisation.save(update_fields=["allowed_sources"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="allowed_sources",
            field=models.JSONField(
                blank=True,
                default=None,
                help_text="Record-level sources this organisation's people may upload (reference data, "
                "areas and population, is for analysts and administrators).",
                null=True,
                verbose_name="sources it may upload",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
