"""Pages of habeas.linkage (included by habeas.web.urls in the "web" namespace): the review queue of
candidate pairs, the merge history with undo, and the split form (habeas.web.views.linkage)."""

from django.urls import URLPattern, path

from habeas.web.views import linkage

urlpatterns: list[URLPattern] = [
    path("linkage/", linkage.pair_queue_view, name="linkage_queue"),
    path("linkage/thresholds/", linkage.thresholds_view, name="linkage_thresholds"),
    path("linkage/merges/", linkage.merge_list_view, name="linkage_merges"),
    path("linkage/merges/<int:pk>/", linkage.merge_detail_view, name="linkage_merge"),
    path("linkage/merges/<int:pk>/undo/", linkage.merge_undo_view, name="linkage_merge_undo"),
    # After merges/: "merges" would otherwise read as a kind of record.
    path("linkage/<slug:kind>/<int:pk>/", linkage.pair_detail_view, name="linkage_pair"),
    path("linkage/<slug:kind>/<int:pk>/decide/", linkage.pair_decide_view, name="linkage_pair_decide"),
    path("persons/<int:pk>/split/", linkage.person_split_view, name="person_split"),
]
