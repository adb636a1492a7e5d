from django.urls import include, path

urlpatterns = [
    path("", include("habeas.web.urls")),
]
