"""Everything that writes to the register: typed, keyword-only, one transaction each."""

from .consents import ConsentData, consent_record, consent_withdraw
from .erasure import person_erase
from .families import family_create, family_set_members
from .merges import merge_undo, person_merge
from .persons import ProbableDuplicate, person_create, person_update

__all__ = [
    "ConsentData",
    "ProbableDuplicate",
    "consent_record",
    "consent_withdraw",
    "family_create",
    "family_set_members",
    "merge_undo",
    "person_create",
    "person_erase",
    "person_merge",
    "person_update",
]
