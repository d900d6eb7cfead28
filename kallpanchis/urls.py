from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from kallpanchis.accounts.home import home
from kallpanchis.core import views as core_views

# The admin signs in through allauth, so rate limits and MFA apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Kallpanchis"

# A moment without PostgreSQL or Redis answers "try again" (503), any other error the 500 page.
handler500 = "kallpanchis.core.outage.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("users/", include("kallpanchis.accounts.urls")),
    path("people/", include("kallpanchis.people.urls")),
    path("municipalities/", include("municipalities.urls")),
    path("spaces/offline/", include("spaces.offline_urls")),
    path("spaces/", include("spaces.urls")),
    path("producers/", include("producers.urls")),
    path("budgets/", include("budgets.urls")),
    path("results/", include("results.urls")),
    path("reminders/", include("kallpanchis.notifications.urls")),
    path("backups/", include("kallpanchis.backups.urls")),
    path("dashboard/", include("kallpanchis.dashboard.urls")),
    path("offline/", include("kallpanchis.offline.urls")),
    path("history/", include("kallpanchis.history.urls")),
    path("api/", include("kallpanchis.api.urls")),
    path("open-data/", include("kallpanchis.api.open_data_urls")),
    path("admin/", admin.site.urls),
]
