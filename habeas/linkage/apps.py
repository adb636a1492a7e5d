from typing import Any

from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "habeas.linkage"
    label = "linkage"

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_save

        from habeas.dossiers.models import PersonName

        def recode(sender: Any, instance: PersonName, created: bool = False, **kwargs: Any) -> None:
            # An edited name is re-coded once the edit is committed. New names, one at a time or in
            # bulk (imports send no signal), are coded in id order by the next lookup
            # (codes.index_new_names), which takes the highest id coded as how far it got.
            if created:
                return
            from habeas.linkage.codes import recode_names

            name_id = instance.pk
            transaction.on_commit(lambda: recode_names([name_id], only_indexed=True))

        post_save.connect(recode, sender=PersonName, weak=False, dispatch_uid="linkage_name_codes")
