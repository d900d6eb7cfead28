from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from kallpanchis.core.uploads import document_response

from .. import selectors
from ..filters import AgreementFilter
from ..forms import AgreementForm
from ..models import AgreementStatus, PartnershipAgreement, manages_all
from ..services import agreement_create, agreement_update
from .common import ScopedListView, call_service


class AgreementListView(ScopedListView):
    template_name = "municipalities/partnershipagreement_list.html"
    context_object_name = "agreements"
    selector = selectors.agreements_for_user
    filterset_class = AgreementFilter
    csv_filename = "convenios.csv"

    def csv_header(self):
        return [
            _("Title"),
            _("Municipality"),
            _("UBIGEO"),
            _("Consortium parties"),
            _("Signed on"),
            _("Valid from"),
            _("Valid until"),
            _("Status"),
            _("Signed document"),
        ]

    def csv_row(self, a):
        return [
            a.title,
            a.municipality.organisation.name,
            a.municipality.ubigeo,
            "; ".join(str(p) for p in a.consortium_parties.all()),
            a.signed_on,
            a.valid_from,
            a.valid_until,
            AgreementStatus(a.status_code).label,
            _("yes") if a.document else _("no"),
        ]


class AgreementDetailView(LoginRequiredMixin, DetailView):
    template_name = "municipalities/partnershipagreement_detail.html"
    context_object_name = "agreement"

    def get_object(self, queryset=None):
        return selectors.agreement_get_for_user(user=self.request.user, agreement_id=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_manage=manages_all(self.request.user), **kwargs)


class AgreementDocumentView(LoginRequiredMixin, View):
    """The signed document, only to people who see the agreement."""

    def get(self, request, pk):
        agreement = selectors.agreement_get_for_user(user=request.user, agreement_id=pk)
        if not agreement.document:
            raise Http404
        return document_response(agreement.document, slugify(f"convenio-{agreement.title}")[:60])


class AgreementFormView(LoginRequiredMixin, View):
    template_name = "municipalities/partnershipagreement_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.agreement = None
        if request.user.is_authenticated:
            if "pk" in kwargs:
                self.agreement = selectors.agreement_get_editable(
                    user=request.user, agreement_id=kwargs["pk"]
                )
            elif not manages_all(request.user):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        initial = {}
        if self.agreement is None and request.GET.get("municipality", "").isdigit():
            initial["municipality"] = int(request.GET["municipality"])
        return self.render(AgreementForm(instance=self.agreement, initial=initial))

    def post(self, request, **kwargs):
        instance = self.agreement or PartnershipAgreement()
        form = AgreementForm(request.POST, request.FILES, instance=instance)
        if form.is_valid():
            data = dict(form.cleaned_data)
            parties = data.pop("consortium_parties")
            document = data.pop("document")
            if document is False:
                data["document"] = ""  # "clear" was ticked
            elif isinstance(document, UploadedFile):
                data["document"] = document  # otherwise the stored file stays as it is
            if self.agreement is None:
                saved = call_service(
                    form, agreement_create, by=request.user, consortium_parties=parties, **data
                )
            else:
                saved = call_service(
                    form,
                    agreement_update,
                    by=request.user,
                    agreement=self.agreement,
                    consortium_parties=parties,
                    **data,
                )
            if saved:
                return redirect("municipalities:agreement_detail", saved.pk)
        return self.render(form)

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "agreement": self.agreement})
