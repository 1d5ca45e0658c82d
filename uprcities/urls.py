from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from accounts import views as account_views
from uprcities import views

# A database outage met outside a view still answers the short 503 page (portal.faults).
handler500 = "uprcities.views.server_error"

admin.site.site_header = _("UPR Cities: national team")
admin.site.site_title = _("UPR Cities admin")
admin.site.index_title = _("National team")

urlpatterns = [
    path("", views.home, name="home"),
    path("about-the-upr/", views.about_upr, name="about_upr"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon),
    # Choosing a language is not a privileged action, and a CSRF token in every page's language form would make
    # public pages uncacheable (portal/cache.py): the language switch is exempt.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("portal.urls")),
    # Before allauth's: a staff member's first authenticator needs a second proof besides the password.
    path("accounts/2fa/totp/activate/", account_views.activate_totp, name="mfa_activate_totp"),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    # The national report's admin pages moved with its models from the reports app: old bookmarks still open them.
    re_path(
        r"^admin/reports/(?P<model>nationalreport|nationalparagraph|jointsubmitter|unsubmission)/(?P<rest>.*)$",
        views.moved_admin_page,
    ),
    # Before admin.site.urls: the admin's own password-only login would skip two-factor authentication.
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("", include("upr.urls")),
    # Before cities: /organize/national/ is the national team's dashboard, never a city's organizer page.
    path("", include("national.urls")),
    # Before cities: /cities/compare/ is no city's page.
    path("", include("indicators.urls")),
    path("", include("cities.urls")),
    path("", include("testimony.urls")),
    path("", include("events.urls")),
    path("", include("events.registration_urls")),
    path("", include("reports.urls")),
    path("", include("tracking.urls")),
    path("", include("resources.urls")),
    path("", include("search.urls")),
    path("", include("api.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
