from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import Role


def manages_all(user) -> bool:
    """Coordinators and partner staff manage everything in this app; viewers only read."""
    return access_for(user).has(Role.COORDINATOR, Role.PARTNER_STAFF)


def in_network(user) -> bool:
    """The technicians' network, its trainings and events are read by consortium staff and by municipal
    staff (administrators, technicians, budget teams); viewers and association leaders see only public
    profiles."""
    from kallpanchis.accounts.models import MUNICIPAL_ROLES

    access = access_for(user)
    return access.has(Role.COORDINATOR, Role.PARTNER_STAFF) or bool(
        access.organisations_with(*MUNICIPAL_ROLES)
    )
