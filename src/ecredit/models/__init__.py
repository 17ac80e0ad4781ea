"""All ORM models, one module per aggregate. Importing this package registers every table."""

from ecredit.models.alert import ALERT_TRANSITIONS, Alert, AlertStatus, SubjectMatch
from ecredit.models.audit import ChangeRecord, PersonalDataAccess, TimelineEvent
from ecredit.models.base import Base
from ecredit.models.calendar import WorkdayOverride
from ecredit.models.commitment import COMMITMENT_TRANSITIONS, Commitment, CommitmentStatus
from ecredit.models.complaint import Complaint, ComplaintKind, ComplaintStatus
from ecredit.models.detection import DetectionRun, DetectionStep, RunStatus, RunTrigger
from ecredit.models.fund import AccountKind, EntryKind, Fund, FundAccount, JournalEntry, Posting
from ecredit.models.jobs import Job, JobStatus, ScheduleState
from ecredit.models.lake import BatchStatus, LakeBatch
from ecredit.models.ledger import Checkpoint, LedgerEntry, LedgerHead
from ecredit.models.listing import LIST_TRANSITIONS, ListEntry, ListStatus
from ecredit.models.measure import CheckLog, FeedbackOutcome, MeasureFeedback
from ecredit.models.notice import Notice
from ecredit.models.org import ApiKey, Organisation, OrgKind, User
from ecredit.models.parameters import Parameter, ParameterRevision
from ecredit.models.record import CreditRecord, EntryAction, PenaltyKind, Severity
from ecredit.models.repair import CASE_TRANSITIONS, CaseKind, CaseStatus, CaseTarget, RepairCase
from ecredit.models.scoring import Evaluation, Grade, PlatformEvaluation, SubjectGrade
from ecredit.models.shipment import (
    RaterParty,
    Shipment,
    ShipmentEvaluation,
    TrackingEvent,
    TrackingStatus,
)
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
from ecredit.models.subscription import (
    DeliveryStatus,
    Subscription,
    SubscriptionScope,
    WebhookDelivery,
)
from ecredit.models.throttle import AttemptCounter
from ecredit.models.trace import (
    Batch,
    BusinessStep,
    Product,
    ProductCategory,
    ResponsibleRole,
    TraceEvent,
)
from ecredit.models.warning import SubjectWarning, WarningLevel

__all__ = [
    "ALERT_TRANSITIONS",
    "CASE_TRANSITIONS",
    "COMMITMENT_TRANSITIONS",
    "LIST_TRANSITIONS",
    "AccountKind",
    "Alert",
    "AlertStatus",
    "ApiKey",
    "AttemptCounter",
    "Base",
    "Batch",
    "BatchStatus",
    "BusinessStep",
    "CaseKind",
    "CaseStatus",
    "CaseTarget",
    "ChangeRecord",
    "CheckLog",
    "Checkpoint",
    "Commitment",
    "CommitmentStatus",
    "Complaint",
    "ComplaintKind",
    "ComplaintStatus",
    "CreditRecord",
    "DeliveryStatus",
    "DetectionRun",
    "DetectionStep",
    "DomainClaim",
    "DomainClaimStatus",
    "DomainFlag",
    "EntryAction",
    "EntryKind",
    "Evaluation",
    "FeedbackOutcome",
    "Fund",
    "FundAccount",
    "Grade",
    "Job",
    "JobStatus",
    "JournalEntry",
    "LakeBatch",
    "LedgerEntry",
    "LedgerHead",
    "ListEntry",
    "ListStatus",
    "MeasureFeedback",
    "MerchantForm",
    "Notice",
    "OrgKind",
    "Organisation",
    "Parameter",
    "ParameterRevision",
    "PenaltyKind",
    "PersonalDataAccess",
    "PlatformEvaluation",
    "Posting",
    "Product",
    "ProductCategory",
    "RaterParty",
    "RepairCase",
    "ResponsibleRole",
    "RunStatus",
    "RunTrigger",
    "ScheduleState",
    "Severity",
    "Shipment",
    "ShipmentEvaluation",
    "Shop",
    "Subject",
    "SubjectGrade",
    "SubjectKind",
    "SubjectMatch",
    "SubjectWarning",
    "Subscription",
    "SubscriptionScope",
    "TimelineEvent",
    "TraceEvent",
    "TrackingEvent",
    "TrackingStatus",
    "User",
    "VerificationEvent",
    "VerificationMethod",
    "VerificationStatus",
    "WarningLevel",
    "WebhookDelivery",
    "WorkdayOverride",
]
