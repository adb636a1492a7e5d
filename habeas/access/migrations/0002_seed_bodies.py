"""The monitoring bodies most reports mention, with the names sources call them by, so that the
extraction review can match "the Red Cross" or "the UN torture investigator" to a body at once."""

from django.db import migrations

from habeas.lib.names import fold

# (name, short name, kind, mandate, description, aliases)
BODIES = [
    (
        "International Committee of the Red Cross",
        "ICRC",
        "icrc",
        "detention",
        "Visits detainees under its standard conditions and reports to the authorities in confidence.",
        ["ICRC", "Red Cross", "International Red Cross", "the Red Cross"],
    ),
    (
        "Special Rapporteur on torture and other cruel, inhuman or degrading treatment or punishment",
        "SR torture",
        "un_special_procedure",
        "torture",
        "UN Human Rights Council special procedure; country visits under the terms of reference for "
        "fact-finding missions.",
        [
            "Special Rapporteur on torture",
            "UN Special Rapporteur on torture",
            "UN torture rapporteur",
            "UN torture investigator",
        ],
    ),
    (
        "Working Group on Arbitrary Detention",
        "WGAD",
        "un_special_procedure",
        "arbitrary_detention",
        "UN Human Rights Council special procedure; opinions on individual cases and country visits.",
        ["WGAD", "UN Working Group on Arbitrary Detention", "working group on arbitrary detention"],
    ),
    (
        "Special Rapporteur on freedom of religion or belief",
        "SR religion",
        "un_special_procedure",
        "religion",
        "UN Human Rights Council special procedure (formerly on religious intolerance).",
        [
            "Special Rapporteur on religious intolerance",
            "UN Special Rapporteur on freedom of religion",
            "UN religious freedom rapporteur",
        ],
    ),
    (
        "Special Rapporteur on freedom of opinion and expression",
        "SR expression",
        "un_special_procedure",
        "expression",
        "UN Human Rights Council special procedure.",
        ["UN Special Rapporteur on freedom of expression"],
    ),
    (
        "Working Group on Enforced or Involuntary Disappearances",
        "WGEID",
        "un_special_procedure",
        "disappearance",
        "UN Human Rights Council special procedure.",
        ["WGEID", "UN Working Group on Enforced Disappearances"],
    ),
    (
        "Office of the United Nations High Commissioner for Human Rights",
        "OHCHR",
        "high_commissioner",
        "general",
        "The High Commissioner and the Office; visits by invitation of the state.",
        ["OHCHR", "UN High Commissioner for Human Rights", "UN human rights chief", "High Commissioner"],
    ),
    (
        "Committee against Torture",
        "CAT",
        "un_treaty_body",
        "torture",
        "Treaty body of the Convention against Torture; reviews state reports.",
        ["UN Committee against Torture", "CAT"],
    ),
    (
        "Subcommittee on Prevention of Torture",
        "SPT",
        "un_treaty_body",
        "torture",
        "Visits places of detention in states party to the Optional Protocol to the Convention against "
        "Torture.",
        ["SPT", "UN Subcommittee on Prevention of Torture"],
    ),
    (
        "United States Commission on International Religious Freedom",
        "USCIRF",
        "foreign_commission",
        "religion",
        "A US government commission; its delegations ask to visit religious prisoners.",
        ["USCIRF", "US Commission on International Religious Freedom"],
    ),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    body_model = apps.get_model("access", "MonitoringBody")
    alias_model = apps.get_model("access", "BodyAlias")
    for name, short, kind, mandate, description, aliases in BODIES:
        body, _ = body_model.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "mandate": mandate,
                "description": description,
                "confidentiality": 0,
            },
        )
        keys = {fold(name)}
        for alias in aliases:
            key = fold(alias)
            if key and key not in keys:
                keys.add(key)
                alias_model.objects.get_or_create(body=body, key=key, defaults={"text": alias})


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
