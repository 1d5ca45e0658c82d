from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from resources.enums import Language, ResourceKind, ResourceStatus
from resources.storage import resource_storage
from upr.models import ReviewCycle, Theme, in_page_language

# A UN document symbol: an organ's letters, then parts separated by slashes (A/HRC/30/12, A/HRC/46/15/Add.1,
# A/HRC/WG.6/22/USA/1, E/C.12/USA/CO/1).
UN_SYMBOL = re.compile(r"^[A-Z]{1,6}(/[A-Za-z0-9][A-Za-z0-9.\-]{0,20}){1,8}$")


def validate_un_symbol(value: str) -> None:
    if value and not UN_SYMBOL.match(value):
        raise ValidationError(
            _("Write the symbol as the UN prints it, with slashes and no spaces, for example A/HRC/30/12."),
            code="un_symbol",
        )


def validate_languages(value: str) -> None:
    codes = [code for code in value.split(",") if code]
    known = set(Language.values)
    if any(code not in known for code in codes):
        raise ValidationError(_("Choose languages from the list."), code="languages")


def resource_path(instance: Resource, filename: str) -> str:
    return f"{instance.slug or 'resource'}/{filename}"


class ResourceQuerySet(models.QuerySet):
    def published(self) -> ResourceQuerySet:
        """What any public place may show: the national team has published it (resources.selectors)."""
        return self.filter(status=ResourceStatus.PUBLISHED)


class Resource(models.Model):
    """A document, template, recording or data set people use for the review: stored as a file, a link, or both."""

    title = models.CharField(_("title"), max_length=300)
    title_es = models.CharField(
        _("title (Spanish)"), max_length=300, blank=True, help_text=_("Left empty, Spanish pages show the title.")
    )
    slug = models.SlugField(unique=True, max_length=120)
    kind = models.CharField(_("kind"), max_length=24, choices=ResourceKind)
    un_symbol = models.CharField(
        _("UN document symbol"),
        max_length=60,
        blank=True,
        validators=[validate_un_symbol],
        help_text=_("For example A/HRC/30/12. Leave empty for documents the UN did not number."),
    )
    cycle = models.ForeignKey(
        ReviewCycle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("review"),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="resources", verbose_name=_("themes"))
    # Codes between commas (",en,es,"): one column that filters the same way on PostgreSQL and on the embedded
    # SQLite default, which has no array type nor JSON containment.
    languages = models.CharField(_("languages"), max_length=40, blank=True, validators=[validate_languages])
    file = models.FileField(_("file"), upload_to=resource_path, storage=resource_storage, blank=True)
    # Read from the file's bytes when it was stored (resources.files.detect), and sent with it.
    file_content_type = models.CharField(max_length=120, blank=True, editable=False)
    link = models.URLField(_("link"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(
        _("description (Spanish)"), blank=True, help_text=_("Left empty, Spanish pages show the description.")
    )
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("When the document was issued."))
    source_note = models.CharField(_("where this record comes from"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ResourceStatus, default=ResourceStatus.SUGGESTED)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggested_resources",
        verbose_name=_("suggested by"),
    )
    suggestion_note = models.TextField(_("note from whoever suggested it"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("resource")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(link=""),
                name="resource_file_or_link",
                violation_error_message=_("Give a file, a link, or both."),
            ),
        ]
        indexes = [
            # The public library lists published resources, newest first.
            models.Index(fields=["status", "-date"], name="resource_public_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return in_page_language(self.title, self.title_es)

    @property
    def display_description(self) -> str:
        return in_page_language(self.description, self.description_es)

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels[code]) for code in self.language_codes if code in labels]

    def set_languages(self, codes) -> None:
        self.languages = "," + ",".join(sorted(set(codes))) + "," if codes else ""

    @property
    def un_document_url(self) -> str:
        """The UN's own document resolver, which opens the symbol in the reader's UN language."""
        return f"https://undocs.org/{self.un_symbol}" if self.un_symbol else ""
