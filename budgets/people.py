"""The budgets' side of the register of people, found at start-up by the register's autodiscover(): how
delegates, Comité de Vigilancia members and workshop participants written before the register are brought in
(kallpanchis.people.legacy). They carry no consent to the register: they are only linked to people already
registered (the same name and organisation), never used to register anyone."""

from django.utils.translation import gettext_lazy as _

from kallpanchis.people import legacy
from municipalities.people import municipality_place

from .models import Delegate, VigilanceMember, WorkshopParticipant


def _rows(model, *, name, organisation, together, place, context, **filters):
    rows = (
        model.objects.filter(person__isnull=True, **filters)
        .annotate(place=municipality_place(place))
        .order_by("pk")
        .values_list("pk", name, "gender", organisation, "place", together, context)
    )
    for pk, written, gender, org, where, group, what in rows.iterator(chunk_size=2000):
        yield legacy.LegacyRow(
            pk=pk,
            name=written,
            gender=gender,
            organisation_id=org,
            district_ubigeo=where or "",
            context=str(what or ""),
            together=group,
        )


def _delegates(**filters):
    return _rows(
        Delegate,
        name="full_name",
        organisation="agent__organisation_id",
        together="agent_id",
        place="agent__cycle__municipality__",
        context="agent__organisation__name",
        **filters,
    )


def _vigilance(**filters):
    return _rows(
        VigilanceMember,
        name="full_name",
        organisation="agent__organisation_id",
        together="cycle_id",
        place="cycle__municipality__",
        context="agent__organisation__name",
        **filters,
    )


def _participants(**filters):
    return _rows(
        WorkshopParticipant,
        name="name",
        organisation="organisation_id",
        together="workshop_id",
        place="workshop__cycle__municipality__",
        context="workshop__place",
        **filters,
    )


for _label, _model, _reader, _org, _together, _name in (
    ("budgets.Delegate", Delegate, _delegates, "agent__organisation_id", "agent_id", _("delegate")),
    (
        "budgets.VigilanceMember",
        VigilanceMember,
        _vigilance,
        "agent__organisation_id",
        "cycle_id",
        _("Comité de Vigilancia member"),
    ),
    (
        "budgets.WorkshopParticipant",
        WorkshopParticipant,
        _participants,
        "organisation_id",
        "workshop_id",
        _("workshop participant"),
    ),
):
    legacy.register(
        legacy.Source(
            label=_label,
            model=_model,
            rows=_reader,
            linked=lambda model=_model, org=_org, together=_together: model.objects.filter(
                person__isnull=False
            ).values_list("person_id", org, together),
            verbose_name=_name,
            order=50,
        )
    )
