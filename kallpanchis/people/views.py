"""The register's pages. Every page reads through selectors (a person outside one's scope is a 404) and
writes through services; partner staff and viewers, who see counts only, get 404 on every page here."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from kallpanchis.accounts.access import access_for
from kallpanchis.core.caching import ALL, cached_for, paginator_counted
from kallpanchis.core.exports import csv_response
from kallpanchis.core.forms import errors_to_form
from kallpanchis.core.fragments import Rows
from kallpanchis.core.pdf import pdf_response, render_pdf
from kallpanchis.core.uploads import document_response

from . import legacy, scope, selectors
from .forms import ConsentForm, FamilyForm, MergeForm, PersonCreateForm, PersonForm
from .models import Consent, Person
from .services import (
    ProbableDuplicate,
    consent_record,
    consent_withdraw,
    family_create,
    family_set_members,
    import_match_pick,
    import_match_skip,
    merge_undo,
    person_create,
    person_erase,
    person_merge,
    person_update,
)
from .text import phone_display


class RegisterView(LoginRequiredMixin, View):
    """Open to the roles that keep registers of people; a 404 for the others (the page is not theirs)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope.may_read_people(access_for(request.user)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


PERSON_ROW = "people/partials/person_row.html"
# A row shows a name: kept a quarter of an hour at most, so that an erased or corrected person's old row
# leaves the cache soon (a new row is kept under a new key at once).
PERSON_ROW_SECONDS = 15 * 60


def _with_district_names(rows) -> list:
    """Rows (people or families) with `district_name` set, in one query for the page."""
    rows = list(rows)
    names = selectors.district_names(r.district_ubigeo for r in rows)
    for row in rows:
        row.district_name = names.get(row.district_ubigeo, row.district_ubigeo)
    return rows


def _call(form, service, **kwargs):
    try:
        return service(**kwargs)
    except (ValidationError, PermissionDenied) as error:
        errors_to_form(form, error)
        return None


class EditablePersonView(RegisterView):
    """A page that changes one person: only for those who may (a 404 for the others), never for an erased
    record."""

    get_person = staticmethod(selectors.person_get_editable)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.person = self.get_person(user=request.user, person_id=kwargs["pk"])
            if self.person.is_erased:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


class PersonListView(RegisterView):
    template_name = "people/person_list.html"
    paginate_by = 25

    def get(self, request):
        q = request.GET.get("q", "").strip()
        people = selectors.person_list(user=request.user, q=q)
        # Counted once for every page of one search, until the next write (the ids it counts are kept too).
        count = cached_for("people:count", user=request.user, groups=(ALL,), compute=people.count, key=(q,))
        page = paginator_counted(people, self.paginate_by, count).get_page(request.GET.get("page"))
        people = _with_district_names(page.object_list)
        return render(
            request,
            self.template_name,
            {
                "people": people,
                # Each row's HTML kept under what it shows (kallpanchis/core/fragments.py).
                "person_rows": Rows(
                    "people:person", people, template=PERSON_ROW, as_name="p", seconds=PERSON_ROW_SECONDS
                ),
                "page_obj": page,
                "is_paginated": page.has_other_pages(),
                "q": q,
                "can_add": scope.may_register_people(access_for(request.user)),
                "can_match": scope.may_register_people(access_for(request.user)),
            },
        )


class PersonSearchJsonView(RegisterView):
    """For pickers: id, name, community, district and masked phone of the people matching q (no DNI)."""

    def get(self, request):
        try:
            limit = int(request.GET.get("limit", 20))
        except ValueError:
            limit = 20
        people = selectors.person_search(user=request.user, q=request.GET.get("q", ""), limit=limit)
        names = selectors.district_names(p.district_ubigeo for p in people)
        response = JsonResponse(
            {
                "results": [
                    {
                        "id": p.pk,
                        "name": p.display_name,
                        "gender": p.gender,
                        "community": p.community,
                        "district": names.get(p.district_ubigeo, p.district_ubigeo),
                        "district_ubigeo": p.district_ubigeo,
                        "phone": p.phone_masked,
                        "family": p.family_id,
                        "url": p.get_absolute_url(),
                    }
                    for p in people
                ]
            }
        )
        response["Cache-Control"] = "private, no-store"
        return response


class PersonCreateView(RegisterView):
    template_name = "people/person_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope.may_register_people(access_for(request.user)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {
            k: request.GET[k] for k in ("given_names", "first_surname", "community") if k in request.GET
        }
        return self.render(PersonCreateForm(user=request.user, initial=initial))

    def post(self, request):
        form = PersonCreateForm(request.POST, request.FILES, user=request.user)
        duplicates = None
        if form.is_valid():
            try:
                person = person_create(
                    by=request.user,
                    consent=form.consent_data(),
                    sms_consent=form.cleaned_data["sms_consent"],
                    confirmed_new=form.cleaned_data["confirmed_new"] or "create_anyway" in request.POST,
                    **form.person_fields(),
                )
            except ProbableDuplicate as found:
                duplicates = found
            except (ValidationError, PermissionDenied) as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request, _("%(name)s is now in the register.") % {"name": person.display_name}
                )
                return redirect(person)
        return self.render(form, duplicates=duplicates)

    def render(self, form, duplicates=None):
        context = {"form": form, "duplicates": duplicates}
        if duplicates:
            context["duplicate_districts"] = selectors.district_names(
                m.person.district_ubigeo for m in duplicates.matches
            )
        return render(self.request, self.template_name, context)


class PersonDetailView(RegisterView):
    template_name = "people/person_detail.html"

    def get(self, request, pk):
        person = selectors.person_get_for_user(user=request.user, person_id=pk)
        return render(
            request,
            self.template_name,
            {
                "person": person,
                "phone": phone_display(person.phone),
                "district": selectors.district_names([person.district_ubigeo]).get(
                    person.district_ubigeo, ""
                ),
                "consents": selectors.person_consents(person=person),
                "merges": selectors.person_merges(person=person),
                "family_members": selectors.family_members(family=person.family) if person.family else [],
                "can_edit": Person.objects.editable_by(request.user).filter(pk=person.pk).exists(),
                "can_manage": Person.objects.managed_by(request.user).filter(pk=person.pk).exists(),
            },
        )


class PersonEditView(EditablePersonView):
    template_name = "people/person_edit.html"

    def get(self, request, pk):
        return self.render(PersonForm(user=request.user, initial=PersonForm.initial_for(self.person)))

    def post(self, request, pk):
        form = PersonForm(request.POST, user=request.user, initial=PersonForm.initial_for(self.person))
        if form.is_valid() and _call(
            form, person_update, by=request.user, person=self.person, **form.cleaned_data
        ):
            messages.success(request, _("The corrections are saved."))
            return redirect("people:person_detail", self.person.pk)
        return self.render(form)

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "person": self.person})


class PersonConsentView(RegisterView):
    template_name = "people/consent_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.person = selectors.person_get_editable(user=request.user, person_id=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render(ConsentForm())

    def post(self, request, pk):
        if "withdraw" in request.POST:
            consent = get_object_or_404(Consent, person=self.person, pk=request.POST.get("withdraw") or 0)
            consent_withdraw(by=request.user, consent=consent)
            messages.success(request, _("The consent is withdrawn."))
            return redirect("people:person_consent", self.person.pk)
        form = ConsentForm(request.POST, request.FILES)
        if form.is_valid() and _call(
            form,
            consent_record,
            by=request.user,
            person=self.person,
            data=form.consent_data(kind=form.cleaned_data["kind"]),
        ):
            messages.success(request, _("The consent is recorded."))
            return redirect("people:person_detail", self.person.pk)
        return self.render(form)

    def render(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "person": self.person, "consents": selectors.person_consents(person=self.person)},
        )


class ConsentSheetView(RegisterView):
    def get(self, request, pk):
        consent = get_object_or_404(
            Consent.objects.filter(person__in=Person.objects.visible_to(request.user)).exclude(
                scanned_sheet=""
            ),
            pk=pk,
        )
        return document_response(consent.scanned_sheet, f"consentimiento-{consent.pk}")


def _export_context(request, person) -> dict:
    return {
        "person": person,
        "phone": phone_display(person.phone),
        "district": selectors.district_names([person.district_ubigeo]).get(person.district_ubigeo, ""),
        "consents": selectors.person_consents(person=person),
        "merges": selectors.person_merges(person=person),
        "family_members": selectors.family_members(family=person.family) if person.family else [],
        "linked": selectors.person_linked_rows(person=person),
        "generated_at": timezone.now(),
    }


class PersonExportCsvView(RegisterView):
    """Right of access: everything the platform holds about the person, as CSV (section, field, value)."""

    def get(self, request, pk):
        person = selectors.person_get_for_user(user=request.user, person_id=pk)
        data = _export_context(request, person)
        rows = []
        section = _("Person")
        for label, value in [
            (_("Name"), person.display_name),
            (_("Gender"), person.get_gender_display()),
            (_("Year of birth"), person.birth_year or ""),
            (_("DNI"), person.dni),
            (_("Phone"), data["phone"]),
            (_("Languages spoken"), person.get_languages_display()),
            (_("Community"), person.community),
            (_("District"), f"{data['district']} ({person.district_ubigeo})"),
            (_("Family"), str(person.family) if person.family else ""),
            (_("Account"), person.user.email if person.user else ""),
            (_("Registered on"), timezone.localtime(person.created_at).strftime("%d/%m/%Y")),
            (
                _("Erased on"),
                timezone.localtime(person.erased_at).strftime("%d/%m/%Y") if person.erased_at else "",
            ),
        ]:
            rows.append([section, label, value])
        for consent in data["consents"]:
            section = _("Consent")
            rows.append([section, _("Kind"), consent.get_kind_display()])
            rows.append([section, _("Purpose"), consent.purpose])
            rows.append([section, _("Given on"), consent.given_on.strftime("%d/%m/%Y")])
            rows.append([section, _("How it was given"), consent.get_method_display()])
            rows.append([section, _("Witness"), consent.witness_name])
            withdrawn = consent.withdrawn_at.strftime("%d/%m/%Y") if consent.withdrawn_at else ""
            rows.append([section, _("Withdrawn on"), withdrawn])
        for member in data["family_members"]:
            if member.pk != person.pk:
                rows.append([_("Family"), _("Member"), member.display_name])
        for group in data["linked"]:
            for row in group.rows:
                for label, value in row:
                    rows.append([group.model_name, label, value])
        return csv_response(
            header=[_("Section"), _("Field"), _("Value")], rows=rows, filename=f"persona-{person.pk}.csv"
        )


class PersonExportPdfView(RegisterView):
    def get(self, request, pk):
        person = selectors.person_get_for_user(user=request.user, person_id=pk)
        pdf = render_pdf("people/person_export_pdf.html", _export_context(request, person))
        response = pdf_response(pdf, f"persona-{person.pk}")
        response["Cache-Control"] = "private, no-store"
        return response


class PersonEraseView(EditablePersonView):
    template_name = "people/person_confirm_erase.html"
    get_person = staticmethod(selectors.person_get_managed)

    def get(self, request, pk):
        return render(request, self.template_name, {"person": self.person})

    def post(self, request, pk):
        if request.POST.get("confirm") != "yes":
            return render(request, self.template_name, {"person": self.person, "unconfirmed": True})
        person_erase(by=request.user, person=self.person)
        messages.success(
            request, _("The person's data is erased. Their participation still counts, anonymously.")
        )
        return redirect("people:person_detail", self.person.pk)


class PersonMergeView(EditablePersonView):
    """Choose the duplicate (search), then confirm which record stays."""

    template_name = "people/person_merge.html"
    get_person = staticmethod(selectors.person_get_managed)

    def _other(self, value):
        if not str(value or "").isdigit() or int(value) == self.person.pk:
            return None
        return Person.objects.managed_by(self.request.user).active().filter(pk=int(value)).first()

    def get(self, request, pk):
        other = self._other(request.GET.get("other"))
        q = request.GET.get("q", "").strip()
        found = []
        if other is None and q:
            found = [
                p for p in selectors.person_search(user=request.user, q=q, limit=20) if p.pk != self.person.pk
            ]
        form = MergeForm(initial={"other": other.pk}) if other else None
        return self.render(other=other, form=form, q=q, found=found)

    def post(self, request, pk):
        form = MergeForm(request.POST)
        other = self._other(request.POST.get("other"))
        if other is None:
            form.add_error(None, _("Choose the duplicate first."))
        elif form.is_valid():
            kept, merged = (
                (self.person, other) if form.cleaned_data["keep"] == "this" else (other, self.person)
            )
            record = _call(form, person_merge, by=request.user, kept=kept, merged=merged)
            if record:
                messages.success(
                    request, _("The two records are now one. The merge can be undone from the history.")
                )
                return redirect("people:person_detail", record.kept_id)
        return self.render(other=other, form=form, q="", found=[])

    def render(self, **context):
        return render(self.request, self.template_name, {"person": self.person, **context})


class MergeUndoView(RegisterView):
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.method != "POST":  # refused before any lookup
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        record = selectors.merge_get_for_user(user=request.user, merge_id=pk)
        try:
            merged = merge_undo(by=request.user, record=record)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("people:person_detail", record.kept_id)
        messages.success(
            request,
            _("The merge is undone: %(name)s is a record of their own again.")
            % {"name": merged.display_name},
        )
        return redirect("people:person_detail", merged.pk)


class FamilyListView(RegisterView):
    template_name = "people/family_list.html"

    def get(self, request):
        page = Paginator(selectors.family_list(user=request.user), 25).get_page(request.GET.get("page"))
        families = _with_district_names(page.object_list)
        return render(
            request,
            self.template_name,
            {
                "families": families,
                "page_obj": page,
                "is_paginated": page.has_other_pages(),
                "can_match": scope.may_register_people(access_for(request.user)),
            },
        )


class MatchListView(RegisterView):
    """Rows written before the register that fit several people (or one, without the evidence to be sure):
    pick the person, or say it is none of them. Registrars only; each sees the rows of their territory."""

    template_name = "people/match_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope.may_register_people(access_for(request.user)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        page = Paginator(selectors.match_list(user=request.user), 25).get_page(request.GET.get("page"))
        matches = list(page.object_list)
        names = selectors.district_names(p.district_ubigeo for m in matches for p in m.candidates_seen)
        for match in matches:
            for person in match.candidates_seen:
                person.district_name = names.get(person.district_ubigeo, person.district_ubigeo)
            source = legacy.SOURCES.get(match.source)
            match.source_name = source.verbose_name if source else match.source
        return render(
            request,
            self.template_name,
            {
                "matches": matches,
                "page_obj": page,
                "is_paginated": page.has_other_pages(),
                "can_match": True,
            },
        )


class MatchDecideView(MatchListView):
    """POST `pick=<person id>` or `skip=1`; answers by going back to the list (where the row is gone)."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.method != "POST":  # refused before any lookup
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        match = selectors.match_get_for_user(user=request.user, match_id=pk)
        try:
            if request.POST.get("skip"):
                import_match_skip(by=request.user, match=match)
                messages.success(request, _("Noted: none of them. The row will not be proposed again."))
            elif request.POST.get("pick"):
                person = get_object_or_404(
                    Person.objects.visible_to(request.user), pk=_int(request.POST.get("pick"))
                )
                import_match_pick(by=request.user, match=match, person=person)
                messages.success(request, _("The row is linked to %(name)s.") % {"name": person.display_name})
            else:
                messages.error(request, _("Pick the person, or press “None of them”."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        page = request.POST.get("page", "")
        url = reverse("people:match_list")
        return redirect(f"{url}?page={page}" if page.isdigit() else url)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


class FamilyFormMixin:
    def people_for_form(self, current):
        """The current members, the person the page started from, and those found by the search box."""
        q = self.request.GET.get("q", "").strip()
        people = {p.pk: p for p in current}
        for p in selectors.person_search(user=self.request.user, q=q, limit=20) if q else []:
            people.setdefault(p.pk, p)
        return list(people.values()), q

    def chosen(self, form):
        ids = form.cleaned_data["members"]
        people = {p.pk: p for p in Person.objects.editable_by(self.request.user).active().filter(pk__in=ids)}
        members = [people[i] for i in ids if i in people]
        ref = people.get(form.cleaned_data.get("reference_person"))
        return members, ref


class FamilyCreateView(FamilyFormMixin, RegisterView):
    template_name = "people/family_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope.may_register_people(access_for(request.user)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _start(self):
        value = self.request.GET.get("person") or self.request.POST.get("person") or ""
        if not value.isdigit():
            return []
        return list(
            Person.objects.editable_by(self.request.user).active().filter(pk=int(value), family__isnull=True)
        )

    def get(self, request):
        start = self._start()
        people, q = self.people_for_form(start)
        initial = {"members": [p.pk for p in start], "reference_person": start[0].pk if start else None}
        return self.render(FamilyForm(people=people, initial=initial), q)

    def post(self, request):
        people = list(
            Person.objects.editable_by(request.user).active().filter(pk__in=request.POST.getlist("members"))
        )
        form = FamilyForm(request.POST, people=people)
        if form.is_valid():
            members, ref = self.chosen(form)
            family = _call(form, family_create, by=request.user, members=members, reference_person=ref)
            if family:
                messages.success(request, _("The family is registered."))
                return redirect("people:family_detail", family.pk)
        return self.render(form, "")

    def render(self, form, q):
        return render(self.request, self.template_name, {"form": form, "family": None, "q": q})


class FamilyDetailView(FamilyFormMixin, RegisterView):
    template_name = "people/family_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.family = selectors.family_get_for_user(user=request.user, family_id=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        members = selectors.family_members(family=self.family)
        people, q = self.people_for_form(members)
        initial = {"members": [p.pk for p in members], "reference_person": self.family.reference_person_id}
        return self.render(FamilyForm(people=people, initial=initial), members, q)

    def post(self, request, pk):
        if not scope.may_register_people(access_for(request.user)):
            raise Http404
        members = selectors.family_members(family=self.family)
        ids = set(request.POST.getlist("members")) | {str(p.pk) for p in members}
        people = list(Person.objects.editable_by(request.user).filter(pk__in=[i for i in ids if i.isdigit()]))
        form = FamilyForm(request.POST, people=people)
        if form.is_valid():
            chosen, ref = self.chosen(form)
            if _call(
                form,
                family_set_members,
                by=request.user,
                family=self.family,
                members=chosen,
                reference_person=ref,
            ):
                messages.success(request, _("The family's members are saved."))
                return redirect("people:family_detail", self.family.pk)
        return self.render(form, members, "")

    def render(self, form, members, q):
        return render(
            self.request,
            self.template_name,
            {
                "family": self.family,
                "members": members,
                "form": form,
                "q": q,
                "district": selectors.district_names([self.family.district_ubigeo]).get(
                    self.family.district_ubigeo, ""
                ),
                "can_edit": scope.may_register_people(access_for(self.request.user)),
            },
        )
