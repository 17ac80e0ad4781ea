"""Principals (a user, an API client, the system) and the scopes they hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ecredit.models.org import ApiKey, OrgKind, User


class Scope(StrEnum):
    """A permission. API keys carry scopes directly; users get them through roles."""

    SUBJECT_READ = "subject:read"
    SUBJECT_WRITE = "subject:write"
    SUBJECT_VERIFY = "subject:verify"
    RECORD_READ = "record:read"
    RECORD_WRITE = "record:write"
    PERSONAL_READ = "personal:read"
    AUDIT_READ = "audit:read"
    ORG_ADMIN = "org:admin"
    PARAMETER_WRITE = "parameter:write"
    COMMITMENT_WRITE = "commitment:write"
    EVALUATION_RUN = "evaluation:run"  # evaluate a subject or platform on demand
    CHECK_READ = "check:read"
    MEASURE_FEEDBACK = "measure:feedback"
    SUBSCRIPTION_MANAGE = "subscription:manage"
    REPAIR_FILE = "repair:file"  # file an objection or repair for a subject
    REPAIR_DECIDE = "repair:decide"  # acknowledge and decide objections and repairs
    LIST_PROPOSE = "list:propose"  # propose a subject for a red, black or watch list
    LIST_DECIDE = "list:decide"  # review, publicise, confirm, reject or remove list entries
    FUND_MANAGE = "fund:manage"  # contributions, payouts and recoveries of a platform's fund
    TRACE_WRITE = "trace:write"  # register products and batches, report trace events, recall
    LAKE_UPLOAD = "lake:upload"  # upload orders, reviews, traffic, prices, shipments to the lake
    ALERT_READ = "alert:read"  # see detector alerts (a platform: about its own shops)
    ALERT_REVIEW = "alert:review"  # confirm or dismiss alerts (credit office, departments)
    COMPLAINT_HANDLE = "complaint:handle"  # settle, refer, accept, decide complaints and reports
    SHIPMENT_WRITE = "shipment:write"  # register shipments, push tracking events (own only)
    SHIPMENT_EVALUATE = "shipment:evaluate"  # rate a shipment's carrier or courier
    WARNING_READ = "warning:read"  # see merchants' credit-risk early warnings (staff only)


class Role(StrEnum):
    ADMIN = "admin"
    REGISTRAR = "registrar"
    VERIFIER = "verifier"
    AUDITOR = "auditor"
    VIEWER = "viewer"


ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.ADMIN: frozenset(Scope),
    Role.REGISTRAR: frozenset(
        {
            Scope.SUBJECT_READ,
            Scope.SUBJECT_WRITE,
            Scope.RECORD_READ,
            Scope.RECORD_WRITE,
            Scope.COMMITMENT_WRITE,
            Scope.REPAIR_FILE,
            Scope.LIST_PROPOSE,
            Scope.TRACE_WRITE,
        }
    ),
    Role.VERIFIER: frozenset(
        {
            Scope.SUBJECT_READ,
            Scope.SUBJECT_VERIFY,
            Scope.RECORD_READ,
            Scope.REPAIR_DECIDE,
            Scope.LIST_DECIDE,
            Scope.ALERT_READ,
            Scope.ALERT_REVIEW,
            Scope.COMPLAINT_HANDLE,
            Scope.WARNING_READ,
        }
    ),
    Role.AUDITOR: frozenset({Scope.SUBJECT_READ, Scope.AUDIT_READ, Scope.RECORD_READ}),
    # Read-only: a platform's viewers read the alerts about its own shops (alert_service narrows
    # them), a department's read them all; only verifiers of a department decide them.
    Role.VIEWER: frozenset(
        {Scope.SUBJECT_READ, Scope.RECORD_READ, Scope.CHECK_READ, Scope.ALERT_READ}
    ),
}


@dataclass(frozen=True)
class Principal:
    """Who is calling: the acting organisation and the scopes granted."""

    actor: str
    organisation_id: int | None
    org_kind: OrgKind | None
    org_subject_id: int | None = None
    scopes: frozenset[Scope] = field(default_factory=frozenset)
    # For a department: which one (samr, commerce, post ...); the measures it carries out follow.
    department: str | None = None

    def has(self, scope: Scope) -> bool:
        return scope in self.scopes


SYSTEM = Principal(actor="system", organisation_id=None, org_kind=None, scopes=frozenset(Scope))


def principal_for_user(user: User) -> Principal:
    scopes: set[Scope] = set()
    for role in user.roles:
        scopes |= ROLE_SCOPES.get(Role(role), frozenset())
    return Principal(
        actor=f"user:{user.username}",
        organisation_id=user.organisation_id,
        org_kind=user.organisation.kind,
        org_subject_id=user.organisation.subject_id,
        scopes=frozenset(scopes),
        department=user.organisation.department,
    )


def principal_for_api_key(key: ApiKey) -> Principal:
    return Principal(
        actor=f"apikey:{key.prefix}",
        organisation_id=key.organisation_id,
        org_kind=key.organisation.kind,
        org_subject_id=key.organisation.subject_id,
        scopes=frozenset(Scope(s) for s in key.scopes),
        department=key.organisation.department,
    )
