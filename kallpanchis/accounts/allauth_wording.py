"""allauth's own texts that its Spanish catalogue says with "tú": listed here only so that `makemessages`
puts them in the base catalogue (locale/), which Django reads before allauth's, and they read with "usted"
like the rest of the platform. Nothing imports this module."""

from django.utils.translation import gettext_noop

ALLAUTH_TEXTS = [
    gettext_noop("Be patient, you are sending too many requests."),
    gettext_noop("You cannot generate recovery codes without having two-factor authentication enabled."),
    gettext_noop("Your email has been changed from %(from_email)s to %(to_email)s."),
    gettext_noop(
        "You're receiving this email because user %(user_display)s has given your email address to register "
        "an account on %(site_domain)s."
    ),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop(
        "You currently do not have any email address set up. You should really add an email address so you "
        "can receive notifications, reset your password, etc."
    ),
    gettext_noop(
        '<strong>Note:</strong> you can still <a href="%(email_url)s">change your email address</a>.'
    ),
]
