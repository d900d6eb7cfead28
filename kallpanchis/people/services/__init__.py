"""Everything that writes to the register: typed, keyword-only, one transaction each."""

from .consents import ConsentData, consent_record, consent_withdraw
from .erasure import person_erase
from .families import family_create, family_set_members
from .imports import import_match_pick, import_match_skip, import_run
from .linking import NewPerson, person_check_linkable, person_register_and_link
from .merges import merge_undo, person_merge
from .persons import ProbableDuplicate, person_create, person_update

__all__ = [
    "ConsentData",
    "NewPerson",
    "ProbableDuplicate",
    "consent_record",
    "consent_withdraw",
    "family_create",
    "family_set_members",
    "import_match_pick",
    "import_match_skip",
    "import_run",
    "merge_undo",
    "person_create",
    "person_check_linkable",
    "person_erase",
    "person_merge",
    "person_register_and_link",
    "person_update",
]
