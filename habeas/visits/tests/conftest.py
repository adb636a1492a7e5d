"""Every visits test gets a notes key through settings and may ask for a ``trip`` (see fixtures.py)."""

from habeas.visits.tests.fixtures import notes_key_fixture, trip_fixture  # noqa: F401
