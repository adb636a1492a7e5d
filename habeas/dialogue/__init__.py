"""Dialogue: engagements with governments, prisoner lists handed over, responses case by case, clemency."""
