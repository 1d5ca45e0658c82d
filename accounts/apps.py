from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account import signals as account_signals

        from accounts.enrolment import refuse_new_address_before_two_factor

        account_signals._add_email.connect(refuse_new_address_before_two_factor)

        from accounts.landing import login_landings

        # Staff outside the national team's dashboard (reports registers that one first) sign in to the admin.
        login_landings.register("admin", lambda user: reverse("admin:index") if user.is_staff else None, order=15)
