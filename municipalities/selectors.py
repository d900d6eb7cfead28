from django.shortcuts import get_object_or_404

from .models import Municipality


def municipalities_for_user(*, user):
    return Municipality.objects.visible_to(user).select_related("organisation", "province", "district")


def municipality_get_for_user(*, user, municipality_id: int) -> Municipality:
    return get_object_or_404(municipalities_for_user(user=user), pk=municipality_id)
