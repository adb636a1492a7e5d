"""Covering indexes for the person list filters (a filter reads its index alone)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0003_list_filters"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="allegation",
            name="allegation_kind_idx",
        ),
        migrations.RemoveIndex(
            model_name="sentence",
            name="sentence_kind_term_idx",
        ),
        migrations.AddIndex(
            model_name="allegation",
            index=models.Index(
                fields=["kind", "wgad_category", "confidentiality", "person"], name="allegation_filter_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="detention",
            index=models.Index(
                fields=["started_start", "ended_end", "confidentiality", "person"],
                name="detention_period_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["expected_release_latest", "current_status", "confidentiality"],
                name="person_overdue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="sentence",
            index=models.Index(
                fields=["kind", "term_months", "confidentiality", "detention"], name="sentence_length_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="sentence",
            index=models.Index(
                fields=["pronounced_start", "pronounced_end", "confidentiality", "detention"],
                name="sentence_pronounced_idx",
            ),
        ),
    ]
