"""Linkage: one record per real person (and place) across sources, scripts and spellings."""
