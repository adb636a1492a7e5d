"""Pages of habeas.access (included by habeas.web.urls in the "web" namespace)."""

from django.urls import URLPattern, path

from habeas.web.views import access

urlpatterns: list[URLPattern] = [
    path("access/bodies/", access.body_list_view, name="access_body_list"),
    path("access/bodies/new/", access.body_create_view, name="access_body_create"),
    path("access/bodies/<int:pk>/", access.body_detail_view, name="access_body_detail"),
    path("access/negotiations/", access.negotiation_list_view, name="access_negotiation_list"),
    path("access/negotiations/new/", access.negotiation_create_view, name="access_negotiation_create"),
    path("access/negotiations/<int:pk>/", access.negotiation_detail_view, name="access_negotiation_detail"),
    path("access/negotiations/<int:pk>/edit/", access.negotiation_edit_view, name="access_negotiation_edit"),
    path("access/negotiations/<int:pk>/status/new/", access.status_add_view, name="access_status_add"),
    path(
        "access/negotiations/<int:pk>/guarantees/new/", access.guarantee_add_view, name="access_guarantee_add"
    ),
    path("access/countries/", access.country_list_view, name="access_country_list"),
    path("access/countries/<str:country>/", access.country_view, name="access_country"),
    path("benchmarks/", access.benchmark_list_view, name="benchmark_list"),
    path("benchmarks/new/", access.benchmark_create_view, name="benchmark_create"),
    path("benchmarks/<int:pk>/", access.scorecard_view, name="benchmark_scorecard"),
    path("benchmarks/<int:pk>/assess/", access.assessment_add_view, name="benchmark_assess"),
]
