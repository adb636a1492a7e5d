from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from habeas.audit.models import History


def history_for(obj: models.Model) -> QuerySet[History]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return History.objects.filter(content_type=content_type, object_id=obj.pk).select_related("user")
