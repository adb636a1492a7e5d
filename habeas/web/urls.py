from django.contrib.auth import views as auth_views
from django.urls import include, path

from habeas.web import urls_access, urls_dialogue, urls_linkage, urls_visits
from habeas.web.views import cite, edit, history, ingest, persons, places, review, sources

app_name = "web"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    # POST only (Django's LogoutView refuses GET), so a link or image cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", persons.person_list_view, name="person_list"),
    path("persons/<int:pk>/", persons.person_detail_view, name="person_detail"),
    # Editing dossiers (habeas.web.views.edit): researchers and admins only.
    path("persons/new/", edit.person_create_view, name="person_create"),
    path("persons/<int:pk>/edit/", edit.person_edit_view, name="person_edit"),
    path("persons/<int:pk>/facts/", edit.person_facts_view, name="person_facts"),
    path("persons/<int:pk>/add/<slug:kind>/", edit.fact_add_view, {"parent": "person"}, name="person_add"),
    path(
        "detentions/<int:pk>/add/<slug:kind>/",
        edit.fact_add_view,
        {"parent": "detention"},
        name="detention_add",
    ),
    path(
        "sentences/<int:pk>/add/<slug:kind>/", edit.fact_add_view, {"parent": "sentence"}, name="sentence_add"
    ),
    path("facts/<slug:kind>/<int:pk>/edit/", edit.fact_edit_view, name="fact_edit"),
    path("facts/<slug:kind>/<int:pk>/remove/", edit.fact_remove_view, name="fact_remove"),
    path("pick/sources/", cite.pick_sources_view, name="pick_sources"),
    path("pick/sources/<int:pk>/", cite.pick_source_view, name="pick_source"),
    path("sources/", sources.source_list_view, name="source_list"),
    path("sources/new/", sources.source_create_view, name="source_create"),
    path("sources/upload/", ingest.source_upload_view, name="source_upload"),
    path("sources/<int:pk>/", sources.source_detail_view, name="source_detail"),
    path("sources/<int:pk>/edit/", sources.source_edit_view, name="source_edit"),
    # The review queue (habeas.web.views.review): reviewers, researchers and admins; extraction: editors.
    path("sources/<int:pk>/extract/", review.source_extract_view, name="source_extract"),
    path("review/", review.review_queue_view, name="review_queue"),
    path("review/sources/<int:pk>/", review.review_source_view, name="review_source"),
    path("review/candidates/<int:pk>/", review.candidate_decide_view, name="candidate_decide"),
    path("places/", places.place_list_view, name="place_list"),
    path("places/new/", places.place_create_view, name="place_create"),
    path("places/<int:pk>/", places.place_detail_view, name="place_detail"),
    path("places/<int:pk>/edit/", places.place_edit_view, name="place_edit"),
    path("places/<int:pk>/population/new/", places.population_add_view, name="place_population_add"),
    # Change history of each record (habeas.web.views.history).
    path("persons/<int:pk>/history/", history.history_view, {"kind": "person"}, name="person_history"),
    path("sources/<int:pk>/history/", history.history_view, {"kind": "source"}, name="source_history"),
    path("places/<int:pk>/history/", history.history_view, {"kind": "place"}, name="place_history"),
    path("facts/<slug:kind>/<int:pk>/history/", history.history_view, name="fact_history"),
    # Each part of the domain keeps its pages in its own module, in this same "web" namespace.
    path("", include(urls_dialogue.urlpatterns)),
    path("", include(urls_access.urlpatterns)),
    path("", include(urls_visits.urlpatterns)),
    path("", include(urls_linkage.urlpatterns)),
]
