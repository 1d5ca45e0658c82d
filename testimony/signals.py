"""Signals testimony sends so that apps above it, which keep copies of a testimony's words, can act on them
without testimony importing them (DESIGN.md section 2)."""

from django.dispatch import Signal

# Sent inside the withdrawal's transaction with `testimony` (already erased). Receivers erase their own copies of
# the words (report quotes, frozen versions); an exception rolls the whole withdrawal back.
testimony_withdrawn = Signal()

# Sent inside the transaction of a change made with QuerySet.update() (which sends no post_save: bulk approval and
# rejection) with `pks`, the ids of the testimonies changed, so that copies kept elsewhere (the search index) follow.
testimonies_changed = Signal()
