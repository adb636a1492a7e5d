"""Aliases for the names the extractor writes (habeas.extraction.lexicon.BODIES), so every body it
names is matched by habeas.access.services.body_for_name."""

from django.db import migrations

from habeas.lib.names import fold

ALIASES = {
    "WGEID": ["UN Working Group on Enforced or Involuntary Disappearances"],
    "SR religion": [
        "UN Special Rapporteur on freedom of religion or belief",
        "Special Rapporteur on religious freedom",
    ],
    "SR expression": [
        "UN Special Rapporteur on freedom of opinion and expression",
        "Special Rapporteur on freedom of expression",
    ],
    "SR torture": ["anti-torture investigator", "UN torture envoy", "UN torture expert"],
    "CAT": ["Committee against Torture"],
}


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    body_model = apps.get_model("access", "MonitoringBody")
    alias_model = apps.get_model("access", "BodyAlias")
    for short, aliases in ALIASES.items():
        body = body_model.objects.filter(short_name=short).first()
        if body is None:
            continue
        for alias in aliases:
            key = fold(alias)
            if key and key != fold(body.name):
                alias_model.objects.get_or_create(body=body, key=key, defaults={"text": alias})


class Migration(migrations.Migration):
    dependencies = [("access", "0002_seed_bodies")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
