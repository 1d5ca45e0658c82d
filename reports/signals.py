"""What reports tells the apps above it (DESIGN.md section 2: they listen, reports imports none of them)."""

from django.dispatch import Signal

# A city's published local report changed (a version was accepted), inside the change's transaction. Sent with
# `city_id`. The search index listens: update() sends no post_save.
report_published = Signal()
