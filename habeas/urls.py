from django.urls import include, path

urlpatterns = [
    # The language form posts here (Django's set_language: CSRF-checked, redirects back to a safe "next").
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("habeas.web.urls")),
]
