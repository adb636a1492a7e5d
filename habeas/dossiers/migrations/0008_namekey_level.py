"""NameKey.level: the stricter of the name's and the person's confidentiality, so that name search
below full clearance reads the keys alone (bench/RESULTS.md section 2).

The copy is kept right by the database itself: triggers (SQLite and PostgreSQL) recompute the level of
a name's keys when the name's level or person changes, of a person's keys when the person's level
changes, and of a key when it is moved to another person or name. So a change made by any code (a
service, a merge, a queryset ``update()``, a shell) cannot leave a key readable below its level. New
keys are written with their level by the code that writes them (``services.name_key_levels``), and
the column's default is the highest level (a key written without one fails closed).

SQLite drops a table's triggers with the table: a later migration that makes SQLite rebuild
dossiers_person, dossiers_personname or dossiers_namekey (most AlterField / RemoveField there) must
create them again (``create_triggers``); test_name_key_level_triggers_exist fails until it does.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

# -- triggers --------------------------------------------------------------------------------------
# SQLite: MAX(a, b) of two values is the greater. "UPDATE OF" fires when the column is in the SET list
# (Django's save() sets every column), so each trigger also says WHEN the value really changed.
SQLITE = [
    """
    CREATE TRIGGER namekey_level_on_name_change
    AFTER UPDATE OF confidentiality, person_id ON dossiers_personname
    WHEN OLD.confidentiality IS NOT NEW.confidentiality OR OLD.person_id IS NOT NEW.person_id
    BEGIN
        UPDATE dossiers_namekey
        SET level = MAX(
            NEW.confidentiality,
            COALESCE((SELECT confidentiality FROM dossiers_person WHERE id = NEW.person_id), 2)
        )
        WHERE name_id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER namekey_level_on_person_change
    AFTER UPDATE OF confidentiality ON dossiers_person
    WHEN OLD.confidentiality IS NOT NEW.confidentiality
    BEGIN
        UPDATE dossiers_namekey
        SET level = MAX(
            NEW.confidentiality,
            COALESCE((SELECT confidentiality FROM dossiers_personname WHERE id = dossiers_namekey.name_id), 2)
        )
        WHERE person_id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER namekey_level_on_key_move
    AFTER UPDATE OF person_id, name_id ON dossiers_namekey
    WHEN OLD.person_id IS NOT NEW.person_id OR OLD.name_id IS NOT NEW.name_id
    BEGIN
        UPDATE dossiers_namekey
        SET level = MAX(
            COALESCE((SELECT confidentiality FROM dossiers_personname WHERE id = NEW.name_id), 2),
            COALESCE((SELECT confidentiality FROM dossiers_person WHERE id = NEW.person_id), 2)
        )
        WHERE id = NEW.id;
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS namekey_level_on_name_change",
    "DROP TRIGGER IF EXISTS namekey_level_on_person_change",
    "DROP TRIGGER IF EXISTS namekey_level_on_key_move",
]

POSTGRESQL = [
    """
    CREATE FUNCTION dossiers_namekey_level_on_name_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE dossiers_namekey
        SET level = GREATEST(
            NEW.confidentiality,
            COALESCE((SELECT confidentiality FROM dossiers_person WHERE id = NEW.person_id), 2)
        )
        WHERE name_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER namekey_level_on_name_change
    AFTER UPDATE OF confidentiality, person_id ON dossiers_personname
    FOR EACH ROW
    WHEN (
        OLD.confidentiality IS DISTINCT FROM NEW.confidentiality
        OR OLD.person_id IS DISTINCT FROM NEW.person_id
    )
    EXECUTE FUNCTION dossiers_namekey_level_on_name_change()
    """,
    """
    CREATE FUNCTION dossiers_namekey_level_on_person_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE dossiers_namekey AS k
        SET level = GREATEST(
            NEW.confidentiality,
            COALESCE((SELECT n.confidentiality FROM dossiers_personname n WHERE n.id = k.name_id), 2)
        )
        WHERE k.person_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER namekey_level_on_person_change
    AFTER UPDATE OF confidentiality ON dossiers_person
    FOR EACH ROW
    WHEN (OLD.confidentiality IS DISTINCT FROM NEW.confidentiality)
    EXECUTE FUNCTION dossiers_namekey_level_on_person_change()
    """,
    """
    CREATE FUNCTION dossiers_namekey_level_on_key_move() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE dossiers_namekey
        SET level = GREATEST(
            COALESCE((SELECT confidentiality FROM dossiers_personname WHERE id = NEW.name_id), 2),
            COALESCE((SELECT confidentiality FROM dossiers_person WHERE id = NEW.person_id), 2)
        )
        WHERE id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER namekey_level_on_key_move
    AFTER UPDATE OF person_id, name_id ON dossiers_namekey
    FOR EACH ROW
    WHEN (OLD.person_id IS DISTINCT FROM NEW.person_id OR OLD.name_id IS DISTINCT FROM NEW.name_id)
    EXECUTE FUNCTION dossiers_namekey_level_on_key_move()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS namekey_level_on_name_change ON dossiers_personname",
    "DROP TRIGGER IF EXISTS namekey_level_on_person_change ON dossiers_person",
    "DROP TRIGGER IF EXISTS namekey_level_on_key_move ON dossiers_namekey",
    "DROP FUNCTION IF EXISTS dossiers_namekey_level_on_name_change()",
    "DROP FUNCTION IF EXISTS dossiers_namekey_level_on_person_change()",
    "DROP FUNCTION IF EXISTS dossiers_namekey_level_on_key_move()",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise RuntimeError(f"NameKey.level triggers are written for SQLite and PostgreSQL, not {vendor}")
    for sql in statements[vendor]:
        schema_editor.execute(sql)


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


def fill_levels(apps, schema_editor):
    """Every existing key: one UPDATE (the same as services.name_key_levels)."""
    NameKey = apps.get_model("dossiers", "NameKey")
    PersonName = apps.get_model("dossiers", "PersonName")
    Person = apps.get_model("dossiers", "Person")
    name_level = PersonName.objects.filter(pk=OuterRef("name_id")).values("confidentiality")[:1]
    person_level = Person.objects.filter(pk=OuterRef("person_id")).values("confidentiality")[:1]
    NameKey.objects.update(
        level=Greatest(Coalesce(Subquery(name_level), 2), Coalesce(Subquery(person_level), 2))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_person_live_name_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="namekey",
            name="level",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.RunPython(fill_levels, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="namekey", name="namekey_key_idx"),
        migrations.AddIndex(
            model_name="namekey",
            index=models.Index(fields=["key", "level", "person"], name="namekey_key_level_idx"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
