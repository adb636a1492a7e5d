"""Pages of habeas.visits (included by habeas.web.urls in the "web" namespace)."""

from django.urls import URLPattern, path

from habeas.web.views import visits

urlpatterns: list[URLPattern] = [
    path("visits/", visits.visit_list_view, name="visit_list"),
    path("visits/new/", visits.visit_create_view, name="visit_create"),
    path("visits/gaps/", visits.gap_list_view, name="visit_gaps"),
    path("visits/<int:pk>/", visits.visit_detail_view, name="visit_detail"),
    path("visits/<int:pk>/edit/", visits.visit_edit_view, name="visit_edit"),
    path("visits/<int:pk>/places/new/", visits.visit_place_add_view, name="visit_place_add"),
    path("visits/<int:pk>/stages/<slug:kind>/", visits.visit_stage_view, name="visit_stage"),
    path("visits/<int:pk>/guarantees/new/", visits.visit_guarantee_view, name="visit_guarantee"),
    path("visits/<int:pk>/interviews/new/", visits.interview_add_view, name="interview_add"),
    path("visits/<int:pk>/findings/new/", visits.finding_add_view, name="finding_add"),
    path(
        "visits/<int:pk>/recommendations/new/",
        visits.visit_recommendation_add_view,
        name="visit_recommendation_add",
    ),
    # Consent decides what goes in: "authorities" or "public" (?format=json: the export).
    path("visits/<int:pk>/report/<slug:audience>/", visits.visit_report_view, name="visit_report"),
    path("interviews/<int:pk>/", visits.interview_detail_view, name="interview_detail"),
    path("interviews/<int:pk>/edit/", visits.interview_edit_view, name="interview_edit"),
    path("interviews/<int:pk>/notes/", visits.interview_notes_view, name="interview_notes"),
    path("interviews/<int:pk>/allegations/new/", visits.allegation_add_view, name="allegation_add"),
    path("interviews/<int:pk>/follow-ups/new/", visits.follow_up_add_view, name="follow_up_add"),
    path("recommendations/", visits.recommendation_list_view, name="recommendation_list"),
    path("recommendations/new/", visits.recommendation_add_view, name="recommendation_add"),
    path(
        "recommendations/<int:pk>/status/new/",
        visits.recommendation_status_add_view,
        name="recommendation_status_add",
    ),
]
