"""Name keys follow `geoportal.text.normalize_street`; recompute them when its rules change."""

from django.db import migrations


def recompute(apps, schema_editor):
    from geoportal.text import normalize_street

    for model, source, target in (
        ("Area", "name", "name_key"),
        ("Street", "name", "name_key"),
        ("Address", "street_name", "street_key"),
    ):
        Model = apps.get_model("geoportal", model)
        keys = {}
        for pk, value in Model.objects.values_list("pk", source).iterator(chunk_size=5000):
            keys.setdefault(normalize_street(value), []).append(pk)
        for key, pks in keys.items():
            Model.objects.filter(pk__in=pks).exclude(**{target: key}).update(**{target: key})


class Migration(migrations.Migration):
    dependencies = [("geoportal", "0002_area_parts_trigger")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
