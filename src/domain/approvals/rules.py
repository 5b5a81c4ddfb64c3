"""Approval rules, configured by administrators (`approval.rules`; changes need a fresh step-up)."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from domain.approvals.models import HANDLERS
from domain.approvals.records import ApprovalRule, ApproverKind, RuleStep, StepMode
from domain.audit.models import AuditEvent, Values
from domain.identity.access import require, require_sensitive
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound, StaleVersion, ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

RULES = Permission.APPROVAL_RULES
KNOWN_DOCUMENTS = ("contract", "requisition", "purchase_order")  # and any type a module registers
MAX_STEPS = 10
AMOUNT_LIMIT = Decimal("1e13")  # 15 significant digits: exact even where SQLite stores a double


@dataclass(frozen=True)
class StepInput:
    kind: str = "manager"
    mode: str = "all"
    role_key: str = ""
    user_id: str = ""


@dataclass(frozen=True)
class RuleInput:
    """A rule as submitted: strings, validated by `save_rule`."""

    name: str = ""
    document_type: str = ""
    department_id: str = ""
    min_amount: str = "0"
    max_amount: str = ""
    active: bool = True
    steps: list[StepInput] = field(default_factory=lambda: [StepInput()])


@dataclass(frozen=True)
class RuleChoices:
    """What a rule may name: document types, departments, roles and active users, each as (value, label)."""

    document_types: list[str]
    departments: list[tuple[int, str]]
    roles: list[tuple[str, str]]
    users: list[tuple[int, str]]


def document_types() -> list[str]:
    """The document types rules can be written for."""
    return [*KNOWN_DOCUMENTS, *sorted(set(HANDLERS) - set(KNOWN_DOCUMENTS))]


def list_rules(*, actor: Actor, uow: UnitOfWork) -> list[ApprovalRule]:
    """Every rule by document type, department and lower bound."""
    require(actor, RULES)
    with uow:
        return uow.approvals.rules()


def rule_choices(*, actor: Actor, uow: UnitOfWork) -> RuleChoices:
    """The options of the rule form."""
    require(actor, RULES)
    with uow:
        departments = [(d.id or 0, d.name) for d in sorted(uow.departments.all(), key=lambda d: d.path)]
        roles = [(r.key, r.role.name) for r in uow.roles.all()]
        users = uow.users.active_user_names()
    return RuleChoices(document_types(), departments, roles, users)


def get_rule(rule_id: int, *, actor: Actor, uow: UnitOfWork) -> ApprovalRule:
    """One rule with its steps."""
    require(actor, RULES)
    with uow:
        return _rule(rule_id, uow)


def save_rule(rule_id: int | None, data: RuleInput, expected_version: int, *, actor: Actor, uow: UnitOfWork,
              clock: Clock) -> ApprovalRule:
    """Create a rule (`rule_id` None) or change one; active rules of a type and department may not overlap."""
    require_sensitive(actor, RULES)
    now = clock.now()
    with uow:
        rule = _validated(data, uow)
        _no_overlap(rule, rule_id, uow)
        if rule_id is None:
            rule.id = uow.approvals.add_rule(rule)
            uow.audit.append(_event("approval_rule.created", rule, actor, now, None, _values(rule)))
        else:
            before = _rule(rule_id, uow)
            rule.id, rule.version = rule_id, expected_version + 1
            if not uow.approvals.update_rule(rule, expected_version):
                raise StaleVersion(before.version)
            uow.audit.append(_event("approval_rule.updated", rule, actor, now, _values(before), _values(rule)))
        uow.commit()
    return rule


def _validated(data: RuleInput, uow: UnitOfWork) -> ApprovalRule:
    errors: dict[str, str] = {}
    name = " ".join(data.name.split())
    if not name or len(name) > 100:
        errors["name"] = "too_long" if name else "required"
    if data.document_type not in document_types():
        errors["document_type"] = "choice.invalid"
    department_id = _department(data.department_id, uow, errors)
    low = _amount(data.min_amount or "0", "min_amount", errors)
    high = _amount(data.max_amount, "max_amount", errors) if data.max_amount.strip() else None
    if low is not None and high is not None and high <= low:
        errors["max_amount"] = "approval.band_empty"
    steps = [_step(i, s, uow, errors) for i, s in enumerate(data.steps)]
    if not data.steps or len(data.steps) > MAX_STEPS:
        errors["steps"] = "approval.steps_count"
    if errors:
        raise ValidationFailed(errors)
    return ApprovalRule(None, name, data.document_type, department_id, low or Decimal(0), high,
                        [s for s in steps if s], data.active)


def _step(index: int, data: StepInput, uow: UnitOfWork, errors: dict[str, str]) -> RuleStep | None:
    if data.kind not in set(ApproverKind) or data.mode not in set(StepMode):
        errors[f"steps.{index}"] = "choice.invalid"
        return None
    kind, position = ApproverKind(data.kind), index + 1
    if kind is ApproverKind.ROLE:
        if not data.role_key or uow.roles.get(data.role_key) is None:
            errors[f"steps.{index}"] = "approval.step_role"
            return None
        return RuleStep(position, StepMode(data.mode), kind, role_key=data.role_key)
    if kind is ApproverKind.USER:
        user_id = int(data.user_id) if data.user_id.isdigit() and len(data.user_id) < 10 else 0
        user = uow.users.get(user_id)
        if user is None or not user.is_active:
            errors[f"steps.{index}"] = "approval.step_user"
            return None
        return RuleStep(position, StepMode(data.mode), kind, user_id=user_id)
    return RuleStep(position, StepMode(data.mode), kind)


def _department(raw: str, uow: UnitOfWork, errors: dict[str, str]) -> int | None:
    if not raw:
        return None
    department = uow.departments.get(int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if department is None:
        errors["department_id"] = "choice.invalid"
        return None
    return department.id


def _amount(raw: str, name: str, errors: dict[str, str]) -> Decimal | None:
    try:
        value = Decimal(raw.strip().replace(",", ""))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or value >= AMOUNT_LIMIT or value != value.quantize(Decimal("0.01")):
        errors[name] = "amount.invalid"
        return None
    return value


def _no_overlap(rule: ApprovalRule, rule_id: int | None, uow: UnitOfWork) -> None:
    if not rule.active:
        return
    for other in uow.approvals.rules(rule.document_type):
        if other.id != rule_id and other.active and other.department_id == rule.department_id \
                and rule.overlaps(other):
            raise ValidationFailed({"min_amount": "approval.band_overlap"})


def _rule(rule_id: int, uow: UnitOfWork) -> ApprovalRule:
    rule = uow.approvals.get_rule(rule_id)
    if rule is None:
        raise NotFound()
    return rule


def _values(rule: ApprovalRule) -> Values:
    return {"name": rule.name, "document_type": rule.document_type, "department_id": rule.department_id,
            "min_amount": str(rule.min_amount), "max_amount": None if rule.max_amount is None else str(rule.max_amount),
            "active": rule.active,
            "steps": [[s.position, s.mode.value, s.kind.value, s.role_key, s.user_id] for s in rule.steps]}


def _event(action: str, rule: ApprovalRule, actor: Actor, now: datetime, before: Values | None,
           after: Values | None) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id, actor.ip, "approval_rule", str(rule.id), before, after)
