"""Everything the pages and exports read, scoped to the person asking and prefetched."""

from django.apps import apps
from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404

from .models import (
    Event,
    EventParticipation,
    MunicipalAssociation,
    Municipality,
    PartnershipAgreement,
    Technician,
    Training,
    TrainingAttendance,
)


def municipalities_for_user(*, user):
    return (
        Municipality.objects.worked_by(user)
        .select_related("organisation", "province", "district")
        .order_by("level", "organisation__name")
    )


def municipalities_listed_for(*, user):
    """(municipalities, full): the person's scope with full profiles; a person with no municipal scope
    (an association leader) gets every municipality's public profile instead."""
    from .models import in_network

    if in_network(user):
        return municipalities_for_user(user=user), True
    public = Municipality.objects.public().select_related("organisation", "province", "district")
    return public.order_by("level", "organisation__name"), False


def municipality_get_for_user(*, user, municipality_id: int) -> Municipality:
    return get_object_or_404(municipalities_for_user(user=user), pk=municipality_id)


def municipality_get_public(*, municipality_id: int) -> Municipality:
    """The public profile: place, office and contacts only."""
    return get_object_or_404(
        Municipality.objects.public().select_related("organisation", "province", "district"),
        pk=municipality_id,
    )


def municipality_get_editable(*, user, municipality_id: int) -> Municipality:
    return get_object_or_404(
        Municipality.objects.profile_editable_by(user).select_related("organisation"), pk=municipality_id
    )


def municipality_can_edit(*, user, municipality: Municipality) -> bool:
    return Municipality.objects.profile_editable_by(user).filter(pk=municipality.pk).exists()


def municipality_sections(*, municipality: Municipality, user) -> list[tuple[str, str, int]]:
    """What other apps know of this municipality (spaces, producer associations, budget cycles…): every
    installed app whose config has `municipality_sections(municipality, user)` returning
    [(title, url, count)] adds its lines. This app imports none of them."""
    sections: list[tuple[str, str, int]] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "municipality_sections", None)
        if callable(provider):
            sections.extend(provider(municipality, user) or [])
    return sections


def municipality_map_features(*, user) -> list[dict]:
    """The project's municipalities for the map: UBIGEO, name, level and where its page is. A municipality
    in the person's scope links to its full profile, any other to its public profile."""
    visible = set(Municipality.objects.worked_by(user).values_list("pk", flat=True))
    # The project's municipalities: consortium partners (public owners of the process) and any municipality
    # with a partnership agreement; members of a mancomunidad alone are not highlighted.
    project = Municipality.objects.filter(
        Q(organisation__consortium_role__gt="") | Q(agreements__isnull=False)
    )
    rows = (
        Municipality.objects.filter(pk__in=project.values("pk"))
        .select_related("organisation", "province", "district")
        .order_by("pk")
    )
    return [
        {
            "ubigeo": m.ubigeo,
            "name": m.organisation.name,
            "level": m.level,
            "full": m.pk in visible,
            "pk": m.pk,
        }
        for m in rows
    ]


# Partnership agreements


def agreements_for_user(*, user):
    return (
        PartnershipAgreement.objects.visible_to(user)
        .with_status()
        .select_related("municipality__organisation", "municipality__province", "municipality__district")
        .prefetch_related("consortium_parties")
    )


def agreement_get_for_user(*, user, agreement_id: int) -> PartnershipAgreement:
    return get_object_or_404(agreements_for_user(user=user), pk=agreement_id)


def agreement_get_editable(*, user, agreement_id: int) -> PartnershipAgreement:
    return get_object_or_404(
        PartnershipAgreement.objects.visible_to(user).editable_by(user).select_related("municipality"),
        pk=agreement_id,
    )


# Technicians' network


def technicians_for_user(*, user):
    return (
        Technician.objects.visible_to(user)
        .select_related("municipality__organisation", "user")
        .annotate(trainings_completed=Count("attendance", filter=Q(attendance__completed=True)))
        .order_by("person_name", "pk")
    )


def technician_get_for_user(*, user, technician_id: int) -> Technician:
    return get_object_or_404(technicians_for_user(user=user), pk=technician_id)


def technician_get_editable(*, user, technician_id: int) -> Technician:
    return get_object_or_404(
        Technician.objects.editable_by(user).select_related("municipality__organisation"), pk=technician_id
    )


def technician_trainings(*, technician: Technician):
    """The trainings a member has attended, newest first, with whether they completed each."""
    return technician.attendance.select_related("training__trainer_organisation").order_by(
        "-training__held_on"
    )


def trainings_for_user(*, user):
    return (
        Training.objects.visible_to(user)
        .select_related("trainer_organisation")
        .annotate(
            women=Count("attendance", filter=Q(attendance__gender="female")),
            men=Count("attendance", filter=Q(attendance__gender="male")),
            attendees=Count("attendance"),
        )
        .order_by("-held_on", "title", "pk")
    )


def training_get_for_user(*, user, training_id: int) -> Training:
    return get_object_or_404(
        trainings_for_user(user=user).prefetch_related(
            Prefetch(
                "attendance",
                queryset=TrainingAttendance.objects.select_related(
                    "municipality__organisation", "technician"
                ),
            )
        ),
        pk=training_id,
    )


def training_get_editable(*, user, training_id: int) -> Training:
    return get_object_or_404(Training.objects.editable_by(user), pk=training_id)


# Mancomunidades


def associations_for_user(*, user):
    return (
        MunicipalAssociation.objects.visible_to(user)
        .annotate(member_count=Count("members", distinct=True), action_count=Count("actions", distinct=True))
        .order_by("name")
        .prefetch_related(
            Prefetch("members", queryset=Municipality.objects.select_related("organisation")),
        )
    )


def association_get_for_user(*, user, association_id: int) -> MunicipalAssociation:
    return get_object_or_404(associations_for_user(user=user).prefetch_related("actions"), pk=association_id)


def association_get_editable(*, user, association_id: int) -> MunicipalAssociation:
    return get_object_or_404(MunicipalAssociation.objects.editable_by(user), pk=association_id)


# Events


def events_for_user(*, user):
    participations = EventParticipation.objects.select_related("municipality__organisation")
    return (
        Event.objects.visible_to(user)
        .annotate(women_total=Sum("participations__women"), men_total=Sum("participations__men"))
        .order_by("-starts_on", "name", "pk")
        .prefetch_related("organisers", Prefetch("participations", queryset=participations))
    )


def event_get_for_user(*, user, event_id: int) -> Event:
    return get_object_or_404(events_for_user(user=user), pk=event_id)


def event_get_editable(*, user, event_id: int) -> Event:
    return get_object_or_404(Event.objects.editable_by(user), pk=event_id)
