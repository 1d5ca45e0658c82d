"""Signals tracking sends so that apps above it, which keep copies of its public data (the search index), can
follow changes that send no post_save, without tracking importing them (DESIGN.md section 2)."""

from django.dispatch import Signal

# Sent inside the transaction of `track_recommendations` (a bulk insert, which sends no post_save) with `pks`, the
# ids of the items it created.
items_tracked = Signal()
