"""Signals testimony sends so that apps above it, which keep copies of a testimony's words, can act on them
without testimony importing them (DESIGN.md section 2)."""

from django.dispatch import Signal

# Sent inside the withdrawal's transaction with `testimony` (already erased). Receivers erase their own copies of
# the words (report quotes, frozen versions); an exception rolls the whole withdrawal back.
testimony_withdrawn = Signal()
