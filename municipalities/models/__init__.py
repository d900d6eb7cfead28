from .agreements import AGREEMENT_DOCUMENT_MAX_BYTES, AgreementStatus, PartnershipAgreement
from .associations import MunicipalAssociation, SupportedAction
from .common import in_network, manages_all
from .events import Event, EventParticipation
from .network import Technician, Training, TrainingAttendance
from .territory import District, Municipality, Province, TerritoryFields

__all__ = [
    "AGREEMENT_DOCUMENT_MAX_BYTES",
    "AgreementStatus",
    "District",
    "Event",
    "EventParticipation",
    "Municipality",
    "MunicipalAssociation",
    "PartnershipAgreement",
    "Province",
    "SupportedAction",
    "Technician",
    "TerritoryFields",
    "Training",
    "TrainingAttendance",
    "in_network",
    "manages_all",
]
