"""What the sync endpoints say to the phone. The texts live here, with the offline app's catalogues, so that
spaces/offline.py (which uses them) adds nothing to another app's catalogue."""

from django.utils.translation import gettext_lazy as _

SIGNED_OUT = _("Your session has ended. Sign in again to send: your drafts stay on this phone.")
DAMAGED = _("The draft is damaged; open it and save it again.")
TOO_MANY_ROWS = _("The draft has too many rows.")
NEED_MINUTES = _("Write the minutes.")
PERSON_NAME = _("Person %(n)s: write the name.")
AGREEMENT_WHAT = _("Agreement %(n)s: write what was agreed.")
AGREEMENT_DUE = _("Agreement %(n)s: give a due date.")
ALREADY_LOGGED = _("This meeting was already logged on the server after you saved your draft.")
CANCELLED = _("This meeting was cancelled on the server after you saved your draft.")
MOVED = _("This meeting was moved to %(when)s on the server after you saved your draft.")
CHANGED = _("This meeting was changed on the server after you saved your draft.")
KEPT = _("%(what)s Your draft is kept on this phone: check the meeting, then send it again.")
NOT_OPEN = _("This meeting is not open to you.")
ID_USED = _("This draft id was already used; save the draft again.")
NEW_PERSON_NAME = _("Person %(n)s: write the given names and surnames of someone who enters the register.")
PERSON_GONE = _("Someone ticked is no longer in the register you may see; open the draft and check the list.")
DUPLICATES = _(
    "Some new people are probably in the register already. Your draft is kept on this phone: open it, say "
    "who they are, and send it again."
)
NOT_YOURS = _("This draft was written by another person on this phone; only they can send it.")
