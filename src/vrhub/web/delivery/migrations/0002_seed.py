"""Seed the strategic priorities, prevention tiers, YEF Toolkit approaches and the partnership logic model."""

from django.db import migrations

from vrhub.web.delivery import seeds


class Migration(migrations.Migration):
    dependencies = [("delivery", "0001_initial")]

    operations = [migrations.RunPython(seeds.load, seeds.unload)]
