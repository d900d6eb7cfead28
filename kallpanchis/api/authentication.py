"""How a program says who it reads for: `Authorization: Bearer kp_…` (a personal access token)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from .services import token_use


class PersonalAccessTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after 'Bearer', with no spaces in it."))
        if request.method not in SAFE_METHODS:
            # Tokens read; they never write, whatever their owner may do on the pages.
            raise exceptions.MethodNotAllowed(request.method)
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        token = token_use(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid, or it was revoked."))
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
