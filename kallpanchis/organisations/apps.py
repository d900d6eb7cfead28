from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "kallpanchis.organisations"
    label = "organisations"
