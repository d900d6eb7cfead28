"""Pages: a person's API tokens (make, name, see last use, revoke), every token for coordinators, and the
API's documentation page (Swagger UI, vendored, started by a static script: the CSP stays strict)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kallpanchis.accounts.access import access_for
from kallpanchis.core.forms import errors_to_form

from .forms import TokenForm
from .models import PersonalAccessToken
from .services import token_create, token_rename, token_revoke


def _token_get(user, pk) -> PersonalAccessToken:
    return get_object_or_404(PersonalAccessToken.objects.visible_to(user).select_related("user"), pk=pk)


class TokenListView(LoginRequiredMixin, View):
    """My tokens, and a form to make one. The new secret is shown in the answer to the POST only."""

    template_name = "api/token_list.html"

    def get(self, request):
        return self.render(TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, secret = token_create(user=request.user, name=form.cleaned_data["name"])
            except (ValidationError, PermissionDenied) as error:
                errors_to_form(form, error)
            else:
                response = self.render(TokenForm(), new_token=token, secret=secret)
                response["Cache-Control"] = "no-store"  # the secret is in this page: keep it out of caches
                return response
        return self.render(form)

    def render(self, form, **extra):
        tokens = PersonalAccessToken.objects.filter(user=self.request.user).order_by("-created_at", "-pk")
        return render(self.request, self.template_name, {"form": form, "tokens": tokens, **extra})


class TokenAllView(LoginRequiredMixin, View):
    """Coordinators: every token of every person, to revoke a leaked or forgotten one."""

    def get(self, request):
        if not access_for(request.user).is_coordinator:
            raise Http404
        tokens = PersonalAccessToken.objects.select_related("user").order_by(
            "revoked_at", "-created_at", "-pk"
        )
        page = Paginator(tokens, 50).get_page(request.GET.get("page"))
        return render(request, "api/token_all.html", {"page_obj": page, "tokens": page.object_list})


class TokenEditView(LoginRequiredMixin, View):
    """Rename a token (its owner, or a coordinator)."""

    def get(self, request, pk):
        token = _token_get(request.user, pk)
        return render(
            request, "api/token_form.html", {"token": token, "form": TokenForm(initial={"name": token.name})}
        )

    def post(self, request, pk):
        token = _token_get(request.user, pk)
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token_rename(by=request.user, token=token, name=form.cleaned_data["name"])
            except (ValidationError, PermissionDenied) as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Token renamed."))
                return redirect(_back(request, token))
        return render(request, "api/token_form.html", {"token": token, "form": form})


class TokenRevokeView(LoginRequiredMixin, View):
    """Revoke a token, after a confirmation page (its owner, or any coordinator)."""

    def get(self, request, pk):
        return render(request, "api/token_revoke.html", {"token": _token_get(request.user, pk)})

    def post(self, request, pk):
        token = _token_get(request.user, pk)
        token_revoke(by=request.user, token=token)
        messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
        return redirect(_back(request, token))


def _back(request, token) -> str:
    if token.user_id != request.user.pk:
        return "api:token_all"
    return "api:token_list"


class ApiDocsView(TemplateView):
    """The API's reference, drawn by Swagger UI from /api/v1/schema/ (no CDN, no inline script)."""

    template_name = "api/docs.html"
