"""List filters: sentence pronounced bounds and indexes; name keys rebuilt for Wade-Giles and Uyghur."""

from django.conf import settings
from django.db import migrations, models

import habeas.lib.fields

CHUNK = 2000


def fill_pronounced_bounds(apps, schema_editor):
    from habeas.lib.dates import PartialDate

    Sentence = apps.get_model("dossiers", "Sentence")
    batch = []
    for sentence in Sentence.objects.exclude(pronounced="").only("pk", "pronounced").iterator(CHUNK):
        # The historical model stores the field as text or PartialDate depending on the field class.
        date = PartialDate.coerce(str(sentence.pronounced))
        if date is None:
            continue
        sentence.pronounced_start, sentence.pronounced_end = date.earliest, date.latest
        batch.append(sentence)
        if len(batch) >= CHUNK:
            Sentence.objects.bulk_update(batch, ["pronounced_start", "pronounced_end"])
            batch = []
    Sentence.objects.bulk_update(batch, ["pronounced_start", "pronounced_end"])


def rebuild_name_keys(apps, schema_editor):
    """Names now also have Wade-Giles, Uyghur Latin and ö-as-oe keys: derive every name's keys again."""
    from habeas.lib.names import name_keys

    PersonName = apps.get_model("dossiers", "PersonName")
    NameKey = apps.get_model("dossiers", "NameKey")
    last = 0
    while True:
        names = list(
            PersonName.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "person_id", "text")[:CHUNK]
        )
        if not names:
            return
        last = names[-1][0]
        NameKey.objects.filter(name_id__in=[pk for pk, _, _ in names]).delete()
        NameKey.objects.bulk_create(
            [
                NameKey(person_id=person_id, name_id=pk, key=key[:300])
                for pk, person_id, text in names
                for key in sorted(name_keys(text))
            ],
            batch_size=CHUNK,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_fewer_constraints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="sentence",
            name="pronounced_end",
            field=habeas.lib.fields.PartialDateBound(blank=True, db_index=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="sentence",
            name="pronounced_start",
            field=habeas.lib.fields.PartialDateBound(blank=True, db_index=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="allegation",
            index=models.Index(fields=["kind", "wgad_category", "person"], name="allegation_kind_idx"),
        ),
        migrations.AddIndex(
            model_name="sentence",
            index=models.Index(fields=["kind", "term_months"], name="sentence_kind_term_idx"),
        ),
        migrations.AddIndex(
            model_name="detention",
            index=models.Index(
                condition=models.Q(("confidentiality__gt", 0)), fields=["person"], name="detention_hidden_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="personname",
            index=models.Index(
                condition=models.Q(("confidentiality__gt", 0)),
                fields=["person"],
                name="personname_hidden_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="sentence",
            index=models.Index(
                condition=models.Q(("confidentiality__gt", 0)),
                fields=["detention"],
                name="sentence_hidden_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="sentencechange",
            index=models.Index(
                condition=models.Q(("confidentiality__gt", 0)),
                fields=["sentence"],
                name="sentencechange_hidden_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="statuschange",
            index=models.Index(
                condition=models.Q(("confidentiality__gt", 0)),
                fields=["person"],
                name="statuschange_hidden_idx",
            ),
        ),
        migrations.RunPython(fill_pronounced_bounds, migrations.RunPython.noop),
        migrations.RunPython(rebuild_name_keys, migrations.RunPython.noop),
    ]
