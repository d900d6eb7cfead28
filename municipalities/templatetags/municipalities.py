from django import template

from ..models import in_network as _in_network

register = template.Library()


@register.filter
def in_network(user) -> bool:
    """{% if request.user|in_network %}: may this person read the network's pages (see models.common)."""
    return _in_network(user)
