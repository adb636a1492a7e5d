"""Pages of habeas.dialogue (included by habeas.web.urls in the "web" namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
