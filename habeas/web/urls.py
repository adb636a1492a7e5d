from django.contrib.auth import views as auth_views
from django.urls import path

from habeas.web.views import persons, sources

app_name = "web"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    # POST only (Django's LogoutView refuses GET), so a link or image cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", persons.person_list_view, name="person_list"),
    path("persons/<int:pk>/", persons.person_detail_view, name="person_detail"),
    path("sources/<int:pk>/", sources.source_detail_view, name="source_detail"),
]
