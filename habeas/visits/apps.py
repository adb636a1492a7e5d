from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "habeas.visits"
    label = "visits"
    verbose_name = "visits"

    def ready(self) -> None:
        # Visits on the access app's country timeline and pages, without access importing visits.
        from habeas.access.selectors import register_section, register_timeline_provider
        from habeas.visits import selectors

        register_timeline_provider("visits", selectors.country_timeline_entries)
        register_section("country", "visits", selectors.country_section)
        register_section("negotiation", "visits", selectors.negotiation_section)
