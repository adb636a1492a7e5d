"""Small builders shared by the access tests (and usable by the visits tests)."""

from __future__ import annotations

from typing import Any

from habeas.access.models import AccessNegotiation, MonitoringBody
from habeas.access.services import negotiation_create
from habeas.accounts.models import Confidentiality
from habeas.places.models import Place
from habeas.sources.models import Citation, Source
from habeas.sources.services import citation_for_quote, source_store

# Our own test text, in the style of the reports that started the project.
REPORT = (
    "Geneva, 12 March 2004. The government said it would give positive consideration to prison "
    "inspections by the Red Cross. A year earlier the UN's demand to visit any prison and talk to "
    "inmates in private had not been accepted. On 2 November 2005 the UN torture investigator arrived "
    "with unconditional access, the ministry said."
)


def source(
    text: str = REPORT, *, title: str = "Wire report", level: int = Confidentiality.PUBLIC, by: Any = None
) -> Source:
    made, _ = source_store(
        text=text, title=title, publisher="Test wire", published="2004-03-12", confidentiality=level, by=by
    )
    return made


def cite(quote: str, *, text: str = REPORT, level: int = Confidentiality.PUBLIC) -> Citation:
    return citation_for_quote(source=source(text, level=level, title=f"Source {level}"), quote=quote)


def body(short_name: str = "ICRC") -> MonitoringBody:
    return MonitoringBody.objects.get(short_name=short_name)


def negotiation(
    *,
    short_name: str = "ICRC",
    country: str = "CN",
    level: int = Confidentiality.PUBLIC,
    subject: str = "prison visits",
    by: Any = None,
) -> AccessNegotiation:
    return negotiation_create(
        body=body(short_name), country=country, subject=subject, confidentiality=level, by=by
    )


def place(
    name: str = "Qinghe No. 3 Prison", *, country: str = "CN", level: int = Confidentiality.PUBLIC
) -> Place:
    return Place.objects.create(name=name, country=country, confidentiality=level, kind="prison")
