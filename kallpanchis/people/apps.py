from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "kallpanchis.people"
    label = "people"
    verbose_name = _("People and families")

    def ready(self):
        # Each domain app says, in its own `people.py`, which people a role sees (see scope.py).
        from .scope import autodiscover

        autodiscover()

    def navigation(self, access):
        from .scope import may_read_people

        if may_read_people(access):
            return [(_("People"), "people:person_list")]
        return []
