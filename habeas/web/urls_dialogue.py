"""Pages of habeas.dialogue (included by habeas.web.urls in the "web" namespace)."""

from django.urls import URLPattern, path

from habeas.web.views import dialogue as views

urlpatterns: list[URLPattern] = [
    # Prisoner lists: reading for signed-in users within clearance, forms for researchers and admins.
    path("dialogue/", views.list_list_view, name="dialogue_lists"),
    path("dialogue/lists/new/", views.list_create_view, name="dialogue_list_new"),
    path("dialogue/lists/add-from-query/", views.list_build_view, name="dialogue_list_build"),
    path("dialogue/lists/<int:pk>/", views.list_detail_view, name="dialogue_list"),
    path("dialogue/lists/<int:pk>/edit/", views.list_edit_view, name="dialogue_list_edit"),
    path("dialogue/lists/<int:pk>/hand-over/", views.list_hand_over_view, name="dialogue_list_hand_over"),
    path("dialogue/lists/<int:pk>/export/<slug:fmt>/", views.list_export_view, name="dialogue_list_export"),
    path("dialogue/lists/<int:pk>/add/", views.entry_add_view, name="dialogue_entry_add"),
    path(
        "dialogue/lists/<int:pk>/suggestions/", views.list_suggestions_view, name="dialogue_list_suggestions"
    ),
    path(
        "dialogue/lists/<int:pk>/responses/upload/",
        views.responses_upload_view,
        name="dialogue_responses_upload",
    ),
    path("dialogue/entries/<int:pk>/edit/", views.entry_edit_view, name="dialogue_entry_edit"),
    path("dialogue/entries/<int:pk>/remove/", views.entry_remove_view, name="dialogue_entry_remove"),
    path("dialogue/entries/<int:pk>/response/", views.response_add_view, name="dialogue_response_add"),
    path("dialogue/entries/<int:pk>/outcome/", views.outcome_add_view, name="dialogue_outcome_add"),
    # Engagements and the interlocutors lists are handed to.
    path("dialogue/engagements/", views.engagement_list_view, name="dialogue_engagements"),
    path("dialogue/engagements/new/", views.engagement_create_view, name="dialogue_engagement_new"),
    path("dialogue/engagements/<int:pk>/", views.engagement_detail_view, name="dialogue_engagement"),
    path("dialogue/engagements/<int:pk>/edit/", views.engagement_edit_view, name="dialogue_engagement_edit"),
    path("dialogue/interlocutors/new/", views.interlocutor_create_view, name="dialogue_interlocutor_new"),
    # What the dialogue has achieved, and what needs attention.
    path("dialogue/statistics/", views.statistics_view, name="dialogue_statistics"),
    path("dialogue/alerts/", views.alerts_view, name="dialogue_alerts"),
]
