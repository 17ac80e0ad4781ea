"""The portal's top navigation: the public links, then the staff pages grouped by line of work.

A staff link shows only when the signed-in member holds its scope (the same check the page
itself makes), a group only when one of its links shows, and a group left with a single link
shows as that plain link, so nobody opens a menu to find one item. Labels are message ids of
the i18n tables; the template translates them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from ecredit.authz.principals import Scope


@dataclass(frozen=True)
class NavLink:
    href: str
    label: str  # message id
    scope: Scope | None = None  # None: shown to everyone who sees its part of the menu
    exact: bool = False  # current only on this very path, not on the pages below it

    def is_current(self, path: str) -> bool:
        if self.exact or self.href == "/":
            return path == self.href
        return path == self.href or path.startswith(self.href + "/")


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str  # message id
    links: tuple[NavLink, ...]


PUBLIC_LINKS = (
    NavLink("/", "nav.query"),
    NavLink("/verify-site", "nav.verify_site"),
    NavLink("/lists", "nav.lists"),
    NavLink("/ledger", "nav.ledger"),
    NavLink("/trace", "nav.trace"),
    NavLink("/track", "nav.track"),
    NavLink("/shipments", "nav.shipments"),
)
DASHBOARD = NavLink("/staff", "nav.dashboard", exact=True)
STAFF_GROUPS = (
    NavGroup(
        "registry",
        "nav.group.registry",
        (
            NavLink("/staff/subjects/new", "nav.register", Scope.SUBJECT_WRITE),
            NavLink("/staff/verifications", "nav.verifications", Scope.SUBJECT_VERIFY),
        ),
    ),
    NavGroup(
        "credit",
        "nav.group.credit",
        (
            NavLink("/staff/lists", "nav.list_queue", Scope.LIST_DECIDE),
            NavLink("/staff/cases", "nav.case_queue", Scope.REPAIR_DECIDE),
        ),
    ),
    NavGroup(
        "supervision",
        "nav.group.supervision",
        (
            NavLink("/staff/alerts", "nav.alerts", Scope.ALERT_READ),
            NavLink("/staff/detection-runs", "nav.detection_runs", Scope.ALERT_REVIEW),
            NavLink("/staff/warnings", "nav.warnings", Scope.WARNING_READ),
            NavLink("/staff/shipments", "nav.staff_shipments", Scope.RECORD_READ),
        ),
    ),
    NavGroup(
        "complaints",
        "nav.group.complaints",
        (NavLink("/staff/complaints", "nav.complaint_desk", Scope.COMPLAINT_HANDLE),),
    ),
)


@dataclass(frozen=True)
class ShownLink:
    href: str
    label: str
    current: bool


@dataclass(frozen=True)
class ShownGroup:
    key: str
    label: str
    links: tuple[ShownLink, ...]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


@dataclass(frozen=True)
class Menu:
    """What the top navigation shows to one visitor on one page."""

    public: tuple[ShownLink, ...]
    dashboard: ShownLink | None  # None for a visitor who is not signed in
    groups: tuple[ShownGroup, ...]  # a group of one link is rendered as that link


def _shown(link: NavLink, path: str) -> ShownLink:
    return ShownLink(link.href, link.label, link.is_current(path))


def _staff_groups(scopes: Collection[str], path: str) -> tuple[ShownGroup, ...]:
    groups = []
    for group in STAFF_GROUPS:
        allowed = tuple(
            _shown(link, path) for link in group.links if link.scope is None or link.scope in scopes
        )
        if allowed:
            groups.append(ShownGroup(group.key, group.label, allowed))
    return tuple(groups)


def menu(path: str, staff: Mapping[str, object] | None) -> Menu:
    """The navigation for `path`; `staff` is the signed-in member kept in the session, if any."""
    public = tuple(_shown(link, path) for link in PUBLIC_LINKS)
    if not staff:
        return Menu(public, None, ())
    held = staff.get("scopes")  # the session keeps the member's scopes as a list of strings
    scopes = frozenset(held) if isinstance(held, list) else frozenset()
    return Menu(public, _shown(DASHBOARD, path), _staff_groups(scopes, path))
