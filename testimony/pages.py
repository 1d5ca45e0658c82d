"""Which cached public pages a change of testimony makes stale (portal/cache.py).

Every change that can reach a public page draws a new generation of every cached page, at once after commit: a
withdrawal, a narrowed consent, a rejection, an approval, a new public version (DESIGN.md section 5). One change
does not: a testimony just given online (received, waiting for moderation) is on no public page; only its city's
page counts it ("testimony collected"), so only that page's scope goes stale. Before, every submission emptied the
whole page cache, which under a steady flow of testimony kept every page rendering (issue 19).
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from cities.selectors import city_page_scope
from portal.cache import bump_public_generation, bump_scope_generation
from testimony.enums import Status
from testimony.models import Testimony


def _saved(sender, instance: Testimony, created: bool = False, raw: bool = False, **kwargs) -> None:
    if created and instance.status == Status.RECEIVED:
        bump_scope_generation(city_page_scope(instance.city.slug))
    else:
        bump_public_generation()


def _deleted(sender, instance: Testimony, **kwargs) -> None:
    bump_public_generation()


def _themes_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Themes show on public pages only with a public testimony (the lists, its page, the profiles' counts)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # theme.testimony_set.add(...): whichever testimony is public among them
        touched = Testimony.objects.public().filter(pk__in=pk_set or ()).exists() or action == "post_clear"
    else:
        touched = Testimony.objects.public().filter(pk=instance.pk).exists()
    if touched:
        bump_public_generation()


def connect() -> None:
    post_save.connect(_saved, sender=Testimony, dispatch_uid="testimony-pages-save")
    post_delete.connect(_deleted, sender=Testimony, dispatch_uid="testimony-pages-delete")
    m2m_changed.connect(_themes_changed, sender=Testimony.themes.through, dispatch_uid="testimony-pages-themes")
