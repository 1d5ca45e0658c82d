from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import EnrolmentProof


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if not extra["is_staff"] or not extra["is_superuser"]:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True")
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email: str):
        # Logins are case-insensitive on the address: Ana@x.org and ana@x.org are one person.
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The email address is the login; there is no username."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, blank=True, help_text=_("Used for emails sent to you.")
    )
    is_staff = models.BooleanField(
        _("national team (staff)"), default=False, help_text=_("Can sign in to the admin, with two-factor.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("An account with this email address already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class EnrolmentGrantQuerySet(models.QuerySet):
    def usable(self, now) -> EnrolmentGrantQuerySet:
        return self.filter(used_at__isnull=True, expires_at__gt=now)


class EnrolmentGrant(models.Model):
    """A single-use, expiring second proof that lets a staff member enrol their first two-factor authenticator.

    Without it, a stolen staff password would be enough: the thief would enrol an authenticator of their own and
    open the admin. The proof is either a link emailed to the staff address or a code a national-team colleague
    created (and passed on by phone or in person); codes are stored only as a hash.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    proof = models.CharField(_("proof"), max_length=20, choices=EnrolmentProof)
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = EnrolmentGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("two-factor enrolment grant")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(proof=EnrolmentProof.COLLEAGUE_CODE) | ~models.Q(code_hash=""),
                name="enrolmentgrant_code_has_hash",
                violation_error_message=_("A colleague's code needs its hash."),
            )
        ]
        indexes = [
            # Redeeming a code looks up the person's unused grants.
            models.Index(fields=["user"], name="enrolmentgrant_unused_idx", condition=models.Q(used_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_proof_display()})"
