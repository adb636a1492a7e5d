"""Visits to places of detention: interviews, conditions against norms, recommendations and follow-up."""
