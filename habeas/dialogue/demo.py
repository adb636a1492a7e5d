"""A little fictional dialogue on top of the demo dossiers, so the web app shows lists, answers,
outcomes, statistics and alerts from the first run. Written through the services, like hand entry.

Interlocutors are real kinds of institution; every list, answer and outcome is invented.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

from habeas.accounts.models import Confidentiality
from habeas.dialogue import services
from habeas.dialogue.models import Interlocutor
from habeas.dossiers.models import Person, Status

MIN_PERSONS = 12

ANSWERS = [
    (
        "information_provided",
        "{name} is serving the sentence in accordance with the law. The person's health is normal.",
    ),
    (
        "denied_facts",
        "The case of {name} was handled in strict accordance with the law; there is no political prisoner.",
    ),
    ("requested_more_information", "Please provide the date of birth and place of residence of {name}."),
    ("token_response", "The relevant departments have taken note of the concern about {name}."),
    ("favourable_result", "{name} has received a sentence reduction for good behaviour."),
]


@transaction.atomic
def dialogue_demo_create(*, seed: int = 0) -> str:
    """Create the demo dialogue once, as the demo researcher; returns a line saying what was made, or
    "" when it exists already, or when there are too few demo persons or no researcher to make it."""
    from habeas.accounts.models import User

    by = User.objects.filter(username="researcher", is_active=True).first()
    if by is None or not by.can_edit or Interlocutor.objects.exists():
        return ""
    held = list(
        Person.objects.filter(current_status=Status.DETAINED, confidentiality__lte=Confidentiality.INTERNAL)
        .order_by("id")
        .values_list("pk", flat=True)[:200]
    )
    if len(held) < MIN_PERSONS:
        return ""
    rng = random.Random(seed)
    persons = Person.objects.in_bulk(rng.sample(held, MIN_PERSONS))
    chosen = list(persons.values())
    ministry = services.interlocutor_create(
        name="Ministry of Justice", name_local="司法部", kind="ministry", country="CN", by=by
    )
    foreign = services.interlocutor_create(
        name="Ministry of Foreign Affairs", name_local="外交部", kind="ministry", country="CN", by=by
    )
    court = services.interlocutor_create(
        name="Xinjiang Uyghur Autonomous Region Higher People's Court",
        name_local="新疆维吾尔自治区高级人民法院",
        kind="court",
        country="CN",
        by=by,
    )
    round_ = services.engagement_create(
        kind="dialogue_round",
        title="Human rights dialogue, round 24 (demo)",
        our_side="Demo delegation",
        interlocutor=foreign,
        date="2025-05-14",
        location="Geneva",
        unsourced=True,
        by=by,
    )
    letter = services.engagement_create(
        kind="letter",
        title="Letter on detained teachers (demo)",
        interlocutor=ministry,
        date="2026-02",
        unsourced=True,
        by=by,
    )
    summary = (
        "{name} was detained for peaceful expression; we ask for news of the person's health and whereabouts."
    )

    def fill(prisoner_list: Any, group: list[Person], requests: list[str]) -> list[Any]:
        return [
            services.entry_add(
                prisoner_list=prisoner_list,
                person=p,
                requests=requests,
                case_summary=summary.format(name=p.display_name),
                internal_note="Family asked us not to mention the second arrest.",
                by=by,
            )
            for p in group
        ]

    first = services.list_create(
        title="Dialogue round 24 list (demo)", interlocutor=foreign, engagement=round_, by=by
    )
    first_entries = fill(first, chosen[:6], ["information", "release"])
    services.list_hand_over(prisoner_list=first, handed_over="2025-05-14", by=by)
    second = services.list_create(
        title="Teachers' cases (demo)", interlocutor=ministry, engagement=letter, by=by
    )
    fill(second, chosen[6:10], ["medical_parole", "family_visit"])
    services.list_hand_over(prisoner_list=second, handed_over="2026-02-20", by=by)
    draft = services.list_create(title="Next round (draft, demo)", interlocutor=court, by=by)
    fill(draft, chosen[10:], ["information"])
    services.saved_query_save(
        owner=by, name="Detained, sentenced 10 years or more", query="status=detained&sentence_min=10"
    )

    responses = []
    for entry, (kind, words) in zip(first_entries[:5], ANSWERS, strict=True):
        responses.append(
            services.response_record(
                entry=entry,
                type=kind,
                received=f"2025-{rng.randint(7, 11):02d}-{rng.randint(1, 28):02d}",
                text=words.format(name=entry.person.display_name),
                by=by,
            )
        )
    services.outcome_record(
        person=first_entries[4].person,
        kind="sentence_reduction",
        date="2025-12",
        entries=[first_entries[4]],
        responses=[responses[4]],
        citations=[c for c in (responses[4].citation,) if c is not None],
        by=by,
    )
    services.outcome_record(
        person=first_entries[0].person,
        kind="family_visit",
        date="2026-01",
        entries=[first_entries[0]],
        unsourced=True,
        by=by,
    )
    return "Demo dialogue: 3 interlocutors, 2 engagements, 3 lists (2 handed over), 5 responses, 2 outcomes."
