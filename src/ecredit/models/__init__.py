"""All ORM models, one module per aggregate. Importing this package registers every table."""

from ecredit.models.audit import ChangeRecord, PersonalDataAccess, TimelineEvent
from ecredit.models.base import Base
from ecredit.models.calendar import WorkdayOverride
from ecredit.models.commitment import COMMITMENT_TRANSITIONS, Commitment, CommitmentStatus
from ecredit.models.jobs import Job, JobStatus, ScheduleState
from ecredit.models.ledger import Checkpoint, LedgerEntry, LedgerHead
from ecredit.models.org import ApiKey, Organisation, OrgKind, User
from ecredit.models.parameters import Parameter, ParameterRevision
from ecredit.models.record import CreditRecord, EntryAction, PenaltyKind, Severity
from ecredit.models.subject import (
    DomainClaim,
    DomainClaimStatus,
    DomainFlag,
    MerchantForm,
    Shop,
    Subject,
    SubjectKind,
    VerificationEvent,
    VerificationMethod,
    VerificationStatus,
)

__all__ = [
    "COMMITMENT_TRANSITIONS",
    "ApiKey",
    "Base",
    "ChangeRecord",
    "Checkpoint",
    "Commitment",
    "CommitmentStatus",
    "CreditRecord",
    "DomainClaim",
    "DomainClaimStatus",
    "DomainFlag",
    "EntryAction",
    "Job",
    "JobStatus",
    "LedgerEntry",
    "LedgerHead",
    "MerchantForm",
    "OrgKind",
    "Organisation",
    "Parameter",
    "ParameterRevision",
    "PenaltyKind",
    "PersonalDataAccess",
    "ScheduleState",
    "Severity",
    "Shop",
    "Subject",
    "SubjectKind",
    "TimelineEvent",
    "User",
    "VerificationEvent",
    "VerificationMethod",
    "VerificationStatus",
    "WorkdayOverride",
]
