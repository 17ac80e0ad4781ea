"""All ORM models, one module per aggregate. Importing this package registers every table."""

from ecredit.models.audit import ChangeRecord, PersonalDataAccess, TimelineEvent
from ecredit.models.base import Base
from ecredit.models.calendar import WorkdayOverride
from ecredit.models.jobs import Job, JobStatus, ScheduleState
from ecredit.models.org import ApiKey, Organisation, OrgKind, User
from ecredit.models.parameters import Parameter, ParameterRevision
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
    "ApiKey",
    "Base",
    "ChangeRecord",
    "DomainClaim",
    "DomainClaimStatus",
    "DomainFlag",
    "Job",
    "JobStatus",
    "MerchantForm",
    "OrgKind",
    "Organisation",
    "Parameter",
    "ParameterRevision",
    "PersonalDataAccess",
    "ScheduleState",
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
