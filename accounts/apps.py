from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account import signals as account_signals

        from accounts.enrolment import refuse_new_address_before_two_factor

        account_signals._add_email.connect(refuse_new_address_before_two_factor)
