from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people are created by a coordinator or a municipal administrator
    (accounts.services.person_invite) and set their own password from the link they receive."""

    def is_open_for_signup(self, request) -> bool:
        return False
