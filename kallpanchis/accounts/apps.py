from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kallpanchis.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
    # seed_demo: the demo people work for the consortium's organisations and the partner municipalities.
    demo_after = ("organisations", "municipalities")

    def ready(self):
        # allauth tells us through this signal that someone set their password from an e-mailed link:
        # that proves they own the address, so the invitation also verifies it.
        from allauth.account.signals import password_reset

        from .services import email_verify_after_password_set

        password_reset.connect(email_verify_after_password_set, dispatch_uid="accounts_verify_on_reset")

        # The list cache lives in the base, below this app: it is told here how people's access differs.
        from kallpanchis.core.caching import access_key_from

        from .access import access_key

        access_key_from(access_key)

    def navigation(self, access):
        from .models import Role

        if access.has(Role.COORDINATOR, Role.MUNICIPAL_ADMIN):
            return [(_("Accounts"), "accounts:person_list")]
        return []
