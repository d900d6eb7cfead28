from django.apps import apps

from kallpanchis.accounts.access import access_for


def navigation(request):
    """Each app says what a person may do there (AppConfig.navigation(access) -> [(label, url name)]);
    the menu shows the union, so a new app adds its entries without touching this file."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    access = access_for(user)
    items = []
    for config in apps.get_app_configs():
        navigation = getattr(config, "navigation", None)
        if navigation:
            items.extend(navigation(access))
    return {"nav_items": items, "access": access}
