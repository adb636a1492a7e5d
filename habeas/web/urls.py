from django.contrib.auth import views as auth_views
from django.urls import path

from habeas.web.views import history, persons, places, sources

app_name = "web"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    # POST only (Django's LogoutView refuses GET), so a link or image cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", persons.person_list_view, name="person_list"),
    path("persons/<int:pk>/", persons.person_detail_view, name="person_detail"),
    path("sources/", sources.source_list_view, name="source_list"),
    path("sources/new/", sources.source_create_view, name="source_create"),
    path("sources/<int:pk>/", sources.source_detail_view, name="source_detail"),
    path("sources/<int:pk>/edit/", sources.source_edit_view, name="source_edit"),
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
]
