from .agreements import AgreementDetailView, AgreementDocumentView, AgreementFormView, AgreementListView
from .associations import (
    ActionAddView,
    ActionRemoveView,
    AssociationDetailView,
    AssociationFormView,
    AssociationListView,
)
from .events import (
    EventDetailView,
    EventFormView,
    EventListView,
    ParticipationRemoveView,
    ParticipationSetView,
)
from .municipalities import (
    BoundariesView,
    MapView,
    MunicipalityDetailView,
    MunicipalityEditView,
    MunicipalityListView,
    MunicipalityPublicView,
)
from .network import (
    AttendanceAddView,
    AttendanceRemoveView,
    TechnicianDetailView,
    TechnicianFormView,
    TechnicianListView,
    TrainingDetailView,
    TrainingFormView,
    TrainingListView,
)

__all__ = [
    "ActionAddView",
    "ActionRemoveView",
    "AgreementDetailView",
    "AgreementDocumentView",
    "AgreementFormView",
    "AgreementListView",
    "AssociationDetailView",
    "AssociationFormView",
    "AssociationListView",
    "AttendanceAddView",
    "AttendanceRemoveView",
    "BoundariesView",
    "EventDetailView",
    "EventFormView",
    "EventListView",
    "MapView",
    "MunicipalityDetailView",
    "MunicipalityEditView",
    "MunicipalityListView",
    "MunicipalityPublicView",
    "ParticipationRemoveView",
    "ParticipationSetView",
    "TechnicianDetailView",
    "TechnicianFormView",
    "TechnicianListView",
    "TrainingDetailView",
    "TrainingFormView",
    "TrainingListView",
]
