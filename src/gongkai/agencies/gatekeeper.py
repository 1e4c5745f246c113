"""The one place that decides who may see and change what.

Every page, export, API and service fetches units and applications through these functions, so
a permission rule is written once and tested once (the permission matrix in
``tests/web/test_gatekeeper.py``). Two rules shape the API:

* A user acts only through their :class:`~gongkai.agencies.models.Membership`: no membership,
  an inactive account or an anonymous visitor may do nothing — Django's ``is_superuser`` grants
  nothing here, because case files hold applicants' personal data.
* "Not found" and "not allowed" raise the same :class:`AccessDeniedError` with the same message, so
  that probing ids reveals nothing about other units' cases (as Zulip's ``access_stream_*``).

The permissions themselves are the table :data:`PERMISSIONS` (role → action → scope).

**API tokens.** A token of the API acts as a *service principal* of its unit
(:func:`service_principal`): its own account, which has no membership and cannot log in, carries
the token's grant, and every function below answers for it from :data:`TOKEN_SCOPES` (scope →
actions, its own unit only) instead of :data:`PERMISSIONS`. So the API asks the same questions
as the pages, and a token can never do more than its scopes in its unit.

**Records of the apps above.** The gatekeeper sits in ``agencies``, below every app whose records
it guards (applications, remedies, the coming registers…), so it imports none of their models.
Each such app *registers* its record kind once, in its ``AppConfig.ready()``, with
:func:`register_scoped_model`: the model, the ORM path from a record to the :class:`Unit` it
belongs to (``"unit"``, ``"application__unit"``) and the "not found or not allowed" message. The
gatekeeper then scopes that model exactly as it scopes units — :func:`records_for`,
:func:`access_record_by_id` and the named shortcuts :func:`applications_for`,
:func:`access_application_by_id`, :func:`access_remedy_by_id` — so the permission rule stays
written once here while the dependency points down (DESIGN.md §2, layering rules). The shortcuts
return ``Any``: the caller knows the model it registered.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet

from gongkai.agencies.models import Membership, Role, Unit
from gongkai.agencies.selectors import subtree_q, within
from gongkai.core.errors import GongkaiError


class AccessDeniedError(GongkaiError):
    """The object does not exist or the user may not act on it; deliberately indistinguishable."""


class Action(enum.StrEnum):
    VIEW_CASES = "view_cases"  # read applications, their history and letters
    REGISTER = "register"  # register a new application
    HANDLE = "handle"  # 补正, consultation, extension request, fee, decision, reply
    APPROVE_EXTENSION = "approve_extension"  # Art 33 ¶2: the disclosure office head's consent
    ASSIGN = "assign"  # give a case to a clerk of the unit, or take it from one: the 负责人
    VIEW_DASHBOARD = "view_dashboard"  # counts only, no personal data
    MANAGE_UNITS = "manage_units"  # create units and accounts
    MANAGE_LETTER_TEMPLATES = "manage_letter_templates"  # edit the unit's letter templates
    MANAGE_CALENDAR = "manage_calendar"  # enter a year's holiday schedule (deployment-wide)
    VIEW_REPORTS = "view_reports"  # read the annual report's draft, findings and versions
    EDIT_REPORT = "edit_report"  # write the draft report's prose (the unit's staff)
    PUBLISH_REPORT = "publish_report"  # publish (or correct) the annual report: the 负责人
    PUBLISH_ROLLUP = "publish_rollup"  # publish the roll-up of the units below: the supervisor
    VIEW_REGISTERS = "view_registers"  # read the registers behind section 二 (no personal data)
    MANAGE_REGISTERS = "manage_registers"  # enter normative documents, decisions, fees, items
    VIEW_EVALUATIONS = "view_evaluations"  # read audited batches of published reports
    RUN_EVALUATIONS = "run_evaluations"  # upload a batch, re-run it, set its coverage list
    JUDGE_FINDINGS = "judge_findings"  # confirm or dismiss an audit finding with a note
    MANAGE_API_TOKENS = "manage_api_tokens"  # issue and revoke the unit's API tokens
    EXPORT_PERSONAL_DATA = "export_personal_data"  # ID and phone numbers unmasked in an export
    VIEW_ACCESS_LOG = "view_access_log"  # read who saw which applicant's personal data
    ARCHIVE_CASES = "archive_cases"  # archive closed cases past the retention period
    ADD_REASONS = "add_reasons"  # add the reasons a decision recorded without them

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: Final[dict[Action, str]] = {
    Action.VIEW_CASES: "查看申请",
    Action.REGISTER: "登记申请",
    Action.HANDLE: "办理申请",
    Action.APPROVE_EXTENSION: "批准延期答复",
    Action.ASSIGN: "指定承办人",
    Action.VIEW_DASHBOARD: "查看统计",
    Action.MANAGE_UNITS: "管理单位和人员",
    Action.MANAGE_LETTER_TEMPLATES: "管理文书模板",
    Action.MANAGE_CALENDAR: "管理工作日历",
    Action.VIEW_REPORTS: "查看年度报告",
    Action.EDIT_REPORT: "编写年度报告正文",
    Action.PUBLISH_REPORT: "发布年度报告",
    Action.PUBLISH_ROLLUP: "发布汇总年度报告",
    Action.VIEW_REGISTERS: "查看公开工作台账",
    Action.MANAGE_REGISTERS: "维护公开工作台账",
    Action.VIEW_EVALUATIONS: "查看年度报告评估",
    Action.RUN_EVALUATIONS: "上传和审查年度报告",
    Action.JUDGE_FINDINGS: "确认或排除审查问题",
    Action.MANAGE_API_TOKENS: "管理接口令牌",
    Action.EXPORT_PERSONAL_DATA: "导出申请人个人信息",
    Action.VIEW_ACCESS_LOG: "查看个人信息访问记录",
    Action.ARCHIVE_CASES: "归档已办结案件",
    Action.ADD_REASONS: "补录答复理由",
}


class Scope(enum.Enum):
    OWN = "own"  # the member's own unit only
    SUBTREE = "subtree"  # the member's unit and every unit below it
    # Deployment-wide records (the holiday calendar every deadline reads): held only by a member
    # of a top-level unit, and then everywhere. A township's administrator manages its own
    # accounts, but must not move every unit's deadlines.
    DEPLOYMENT = "deployment"


_CLERK: Final = {
    Action.VIEW_CASES: Scope.OWN,
    Action.REGISTER: Scope.OWN,
    Action.HANDLE: Scope.OWN,
    Action.VIEW_DASHBOARD: Scope.OWN,
    Action.VIEW_REPORTS: Scope.OWN,
    Action.EDIT_REPORT: Scope.OWN,
    Action.VIEW_REGISTERS: Scope.OWN,
    Action.MANAGE_REGISTERS: Scope.OWN,
    # The unit's staff who handle cases enter, from the paper file, the reasons a decision
    # recorded before decisions carried them (or imported from a ledger) lacks.
    Action.ADD_REASONS: Scope.OWN,
}

_EVALUATING: Final = {
    Action.VIEW_EVALUATIONS: Scope.SUBTREE,
    Action.RUN_EVALUATIONS: Scope.OWN,
    Action.JUDGE_FINDINGS: Scope.OWN,
}

# Who may do what, and where. Supervisors oversee and do not handle other units' cases; the
# system administrator manages accounts and sees counts but not applicants' personal data.
PERMISSIONS: Final[dict[Role, dict[Action, Scope]]] = {
    Role.CLERK: _CLERK,
    Role.HEAD: {
        **_CLERK,
        Action.APPROVE_EXTENSION: Scope.OWN,
        Action.ASSIGN: Scope.OWN,
        Action.MANAGE_LETTER_TEMPLATES: Scope.OWN,
        Action.PUBLISH_REPORT: Scope.OWN,
        Action.MANAGE_API_TOKENS: Scope.OWN,
        # The 负责人 answers for the unit's handling of personal data: only they may take ID
        # and phone numbers out of the system (with a reason, logged), and read the log.
        Action.EXPORT_PERSONAL_DATA: Scope.OWN,
        Action.VIEW_ACCESS_LOG: Scope.OWN,
    },
    Role.SUPERVISOR: {
        Action.VIEW_CASES: Scope.SUBTREE,
        Action.VIEW_DASHBOARD: Scope.SUBTREE,
        Action.VIEW_REPORTS: Scope.SUBTREE,
        # The roll-up is the supervising office's own report: its own unit only, never a unit
        # below (whose roll-up, if any, is its own supervisor's).
        Action.PUBLISH_ROLLUP: Scope.OWN,
        Action.VIEW_REGISTERS: Scope.SUBTREE,
        # The evaluator's workspace: batches belong to the office that uploaded them; an
        # office also reads the batches of the offices below it.
        **_EVALUATING,
    },
    # An evaluator (the supervising office's own staff or a commissioned third party) works
    # only in the workspace: published reports, never applicants' personal data.
    Role.EVALUATOR: _EVALUATING,
    Role.ADMIN: {
        Action.VIEW_DASHBOARD: Scope.SUBTREE,
        Action.MANAGE_UNITS: Scope.SUBTREE,
        Action.MANAGE_LETTER_TEMPLATES: Scope.SUBTREE,
        Action.MANAGE_CALENDAR: Scope.DEPLOYMENT,
        # Issuing a token is issuing an account (MANAGE_UNITS): a service principal of the unit.
        Action.MANAGE_API_TOKENS: Scope.SUBTREE,
        # Archiving reads no personal data: it makes closed cases past retention read-only.
        Action.ARCHIVE_CASES: Scope.SUBTREE,
    },
}

# What each scope of an API token allows, always in the token's own unit only. A token acts as
# a *service principal* of its unit (see :func:`service_principal`): the same functions below
# decide for it as for a member, from this table instead of :data:`PERMISSIONS`. ``audit``
# checks a submitted file and reads nothing of the unit.
TOKEN_SCOPES: Final[dict[str, frozenset[Action]]] = {
    "applications:read": frozenset({Action.VIEW_CASES}),
    # Adding the reasons a decision lacks is the handling clerk's work (as in _CLERK).
    "applications:write": frozenset({Action.REGISTER, Action.HANDLE, Action.ADD_REASONS}),
    "extensions:approve": frozenset({Action.APPROVE_EXTENSION}),
    "registers:read": frozenset({Action.VIEW_REGISTERS}),
    "reports:read": frozenset({Action.VIEW_REPORTS}),
    "audit": frozenset(),
}

APPLICATION_NOT_FOUND: Final = "未找到申请（内部编号 {id}），或您无权访问该申请"
REMEDY_NOT_FOUND: Final = "未找到行政复议或行政诉讼案件（编号 {id}），或您无权访问该案件"
UNIT_NOT_FOUND: Final = "未找到单位（内部编号 {id}），或您无权{action}"
UNIT_NOT_ALLOWED: Final = "您没有在“{unit}”{action}的权限，或该单位不存在"
NO_MEMBERSHIP: Final = "您的账号未分配所属单位和角色，请联系系统管理员"
MEMBER_NOT_FOUND: Final = "未找到人员（编号 {id}），或您无权管理该人员的账号"


_CACHE_ATTR: Final = "_gongkai_membership"
_GRANT_ATTR: Final = "_gongkai_token_grant"


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """What an API token lets its service principal do: its unit, and the actions its scopes
    allow there (:data:`TOKEN_SCOPES`)."""

    unit: Unit
    scopes: frozenset[str]

    @property
    def unit_id(self) -> int:
        return int(self.unit.pk)

    def permissions(self) -> dict[Action, Scope]:
        return {
            action: Scope.OWN
            for scope in self.scopes
            for action in TOKEN_SCOPES.get(scope, frozenset())
        }


def service_principal(user: Any, *, unit: Unit, scopes: frozenset[str]) -> Any:
    """``user`` (the token's own account, which cannot log in) acting for ``unit`` with
    ``scopes``: every check below then answers from the token's grant and never from a
    membership, so a token can do no more than its scopes in its unit, whatever the account."""
    setattr(user, _GRANT_ATTR, TokenGrant(unit=unit, scopes=frozenset(scopes)))
    return user


def token_grant(user: Any) -> TokenGrant | None:
    """The grant of a service principal, ``None`` for anyone else."""
    grant: TokenGrant | None = getattr(user, _GRANT_ATTR, None)
    return grant


def membership_of(user: Any) -> Membership | None:
    """The active member behind ``user``, or ``None``.

    One query per user object (with its unit), cached on the object, so that a page's query
    count does not depend on how many permission checks it makes.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if token_grant(user) is not None:
        return None  # a token acts through its grant alone
    if not hasattr(user, _CACHE_ATTR):
        membership = Membership.objects.select_related("unit").filter(user=user).first()
        setattr(user, _CACHE_ATTR, membership)
    cached: Membership | None = getattr(user, _CACHE_ATTR)
    return cached


def _principal(user: Any) -> Membership | TokenGrant | None:
    """Who ``user`` acts as: a service principal's grant, else the active membership."""
    return token_grant(user) or membership_of(user)


def _scope(membership: Membership | TokenGrant | None, action: Action) -> Scope | None:
    if membership is None:
        return None
    if isinstance(membership, TokenGrant):
        return membership.permissions().get(action)
    scope = PERMISSIONS[Role(membership.role)].get(action)
    if scope is Scope.DEPLOYMENT and membership.unit.parent_id is not None:
        return None
    return scope


def _unit_q(membership: Membership | TokenGrant, scope: Scope, via: str = "") -> Q:
    """The units (or, through ``via``, the records of the units) that ``scope`` reaches."""
    if scope is Scope.OWN:
        return Q(**{f"{via}__pk" if via else "pk": membership.unit_id})
    if scope is Scope.DEPLOYMENT:
        return Q()
    return subtree_q(membership.unit, via=via)


def units_for(user: Any, action: Action) -> QuerySet[Unit]:
    """The units where ``user`` may do ``action`` (empty when nowhere)."""
    membership = _principal(user)
    scope = _scope(membership, action)
    if membership is None or scope is None:
        return Unit.objects.none()
    return Unit.objects.filter(_unit_q(membership, scope))


def visible_units(user: Any) -> QuerySet[Unit]:
    """The units whose cases ``user`` may read."""
    return units_for(user, Action.VIEW_CASES)


def may_anywhere(user: Any, action: Action) -> bool:
    """Whether ``user`` may do ``action`` in at least one unit (their own, when at all)."""
    membership = _principal(user)
    return membership is not None and _scope(membership, action) is not None


def can(user: Any, action: Action, unit: Unit) -> bool:
    membership = _principal(user)
    scope = _scope(membership, action)
    if membership is None or scope is None:
        return False
    if scope is Scope.OWN:
        return unit.pk == membership.unit_id
    if scope is Scope.DEPLOYMENT:
        return True
    return within(unit, membership.unit)


def require(user: Any, action: Action, unit: Unit) -> None:
    """Raise :class:`AccessDeniedError` unless ``user`` may do ``action`` in ``unit``."""
    if _principal(user) is None:
        raise AccessDeniedError(NO_MEMBERSHIP)
    if not can(user, action, unit):
        raise AccessDeniedError(UNIT_NOT_ALLOWED.format(unit=unit.name, action=action.label))


def access_unit_by_id(user: Any, unit_id: Any, action: Action) -> Unit:
    """The unit ``unit_id`` if ``user`` may do ``action`` there; else :class:`AccessDeniedError`,
    the same whether the unit does not exist or is not the user's to act on."""
    try:
        return units_for(user, action).get(pk=unit_id)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise AccessDeniedError(UNIT_NOT_FOUND.format(id=unit_id, action=action.label)) from None


def members_for(user: Any) -> QuerySet[Membership]:
    """The memberships of the units where ``user`` manages accounts (their administrator)."""
    return Membership.objects.filter(
        unit__in=units_for(user, Action.MANAGE_UNITS), user__is_active=True
    ).select_related("user", "unit")


def access_member_by_id(user: Any, member_id: Any) -> Membership:
    """The membership ``member_id`` if ``user`` manages its unit's accounts; else
    :class:`AccessDeniedError`, the same whether the member does not exist or is not theirs."""
    try:
        return members_for(user).get(pk=member_id)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise AccessDeniedError(MEMBER_NOT_FOUND.format(id=member_id)) from None


def move_targets(user: Any, unit: Unit) -> QuerySet[Unit]:
    """The units ``unit`` may be moved under by ``user``: those they manage, except ``unit``
    and the units below it (a unit cannot go below itself)."""
    return units_for(user, Action.MANAGE_UNITS).exclude(path__startswith=unit.path)


def inactive_members_for(user: Any) -> QuerySet[Membership]:
    """The stopped accounts of the units where ``user`` manages accounts."""
    return Membership.objects.filter(
        unit__in=units_for(user, Action.MANAGE_UNITS), user__is_active=False
    ).select_related("user", "unit")


def inactive_member_by_id(user: Any, member_id: Any) -> Membership:
    """A stopped account of a unit ``user`` manages (to restore it); else
    :class:`AccessDeniedError`, the same whether it does not exist or is not theirs."""
    try:
        return Membership.objects.select_related("user", "unit").get(
            pk=member_id, unit__in=units_for(user, Action.MANAGE_UNITS), user__is_active=False
        )
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise AccessDeniedError(MEMBER_NOT_FOUND.format(id=member_id)) from None


def units_where(user: Any, action: Action, *, refusal: str) -> QuerySet[Unit]:
    """The units where ``user`` may do ``action``, by path: the choices of a page's unit field.

    Raises :class:`AccessDeniedError` with ``refusal`` when there are none, so a page that needs
    a unit is refused before it shows an empty form.
    """
    units = units_for(user, action).order_by("path")
    if not units.exists():
        raise AccessDeniedError(refusal)
    return units


def default_unit(user: Any, units: QuerySet[Unit]) -> Unit:
    """The unit a page preselects among ``units``: the member's own, else the first by path."""
    membership = _principal(user)
    own = units.filter(pk=membership.unit_id).first() if membership else None
    first = own or units.order_by("path").first()
    if first is None:
        raise AccessDeniedError(NO_MEMBERSHIP if membership is None else "没有可选的单位")
    return first


def unit_scope_q(user: Any, unit: Unit, *, include_subunits: bool, via: str = "unit") -> Q:
    """The records a count for ``unit`` covers: the unit's own, or with ``include_subunits``
    those of its whole subtree as far as ``user`` may see counts there (a supervising office's
    dashboard, table 三/四). ``via`` is the ORM path from the record to its unit.

    The caller has already required :data:`Action.VIEW_DASHBOARD` in ``unit``.
    """
    if not include_subunits:
        return Q(**{via: unit})
    return subtree_q(unit, via=via) & Q(**{f"{via}__in": units_for(user, Action.VIEW_DASHBOARD)})


# ---------------------------------------------------------------------------------------------
# Records of the apps above, registered by them (see the module docstring)
# ---------------------------------------------------------------------------------------------

APPLICATION: Final = "application"
REMEDY: Final = "remedy"


@dataclass(frozen=True, slots=True)
class ScopedModel:
    """A kind of record that belongs to a unit, as its app registered it."""

    model: type[Model]
    unit_lookup: str  # ORM path from a record to its Unit, e.g. "unit", "application__unit"
    not_found: str  # the "not found or not allowed" message, formatted with ``id``
    select_related: tuple[str, ...] = ()  # what a single access fetches along with the record


_SCOPED: dict[str, ScopedModel] = {}


def register_scoped_model(
    name: str,
    model: type[Model],
    *,
    unit_lookup: str,
    not_found: str,
    select_related: tuple[str, ...] = (),
) -> None:
    """Let the gatekeeper guard ``model``; called once from its app's ``AppConfig.ready()``."""
    _SCOPED[name] = ScopedModel(model, unit_lookup, not_found, select_related)


def _scoped(name: str) -> ScopedModel:
    try:
        return _SCOPED[name]
    except KeyError:
        raise LookupError(
            f"gatekeeper: no record kind {name!r} registered "
            "(its app registers it in AppConfig.ready())"
        ) from None


def records_for(name: str, user: Any, action: Action) -> QuerySet[Any]:
    """The records of kind ``name`` on which ``user`` may do ``action`` (empty when none)."""
    scoped = _scoped(name)
    manager = scoped.model._default_manager
    membership = _principal(user)
    scope = _scope(membership, action)
    if membership is None or scope is None:
        return manager.none()
    return manager.filter(_unit_q(membership, scope, via=scoped.unit_lookup))


def access_record_by_id(name: str, user: Any, record_id: Any, action: Action) -> Any:
    """The record ``record_id`` of kind ``name`` if ``user`` may do ``action`` on it.

    Raises :class:`AccessDeniedError` with the same message whether the id does not exist or
    belongs to a unit the user may not act on.
    """
    scoped = _scoped(name)
    queryset = records_for(name, user, action)
    if scoped.select_related:
        queryset = queryset.select_related(*scoped.select_related)
    try:
        return queryset.get(pk=record_id)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise AccessDeniedError(scoped.not_found.format(id=record_id)) from None


def applications_for(user: Any, action: Action = Action.VIEW_CASES) -> QuerySet[Any]:
    """The applications on which ``user`` may do ``action``; the base of every case list."""
    return records_for(APPLICATION, user, action)


def access_application_by_id(user: Any, application_id: Any, *, for_change: bool = False) -> Any:
    """The application ``application_id`` (with its unit) if ``user`` may read it (or, with
    ``for_change``, handle it); see :func:`access_record_by_id`."""
    action = Action.HANDLE if for_change else Action.VIEW_CASES
    return access_record_by_id(APPLICATION, user, application_id, action)


def remedies_for(user: Any, action: Action = Action.VIEW_CASES) -> QuerySet[Any]:
    """The reconsiderations and lawsuits over applications ``user`` may do ``action`` on."""
    return records_for(REMEDY, user, action)


def access_remedy_by_id(user: Any, remedy_id: Any, *, for_change: bool = False) -> Any:
    """The remedy ``remedy_id`` (with its application) if ``user`` may read it (or, with
    ``for_change``, handle it); see :func:`access_record_by_id`."""
    action = Action.HANDLE if for_change else Action.VIEW_CASES
    return access_record_by_id(REMEDY, user, remedy_id, action)
