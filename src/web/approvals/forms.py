"""The rule form: submitted lists of step fields to a RuleInput, and the add/remove/move buttons."""

from werkzeug.datastructures import MultiDict

from domain.approvals.records import ApprovalRule
from domain.approvals.rules import MAX_STEPS, RuleInput, StepInput


def rule_input(form: MultiDict[str, str]) -> RuleInput:
    """The rule as the form submitted it (strings only; the domain validates)."""
    columns = [form.getlist(name)[:MAX_STEPS + 1] for name in ("step_kind", "step_mode", "step_role", "step_user")]
    steps = [StepInput(kind, mode, role, user) for kind, mode, role, user in zip(*columns, strict=False)]
    return RuleInput(form.get("name", ""), form.get("document_type", ""), form.get("department_id", ""),
                     form.get("min_amount", ""), form.get("max_amount", ""), form.get("active") == "1", steps)


def rule_values(rule: ApprovalRule) -> RuleInput:
    """A stored rule as form values."""
    steps = [StepInput(s.kind.value, s.mode.value, s.role_key or "", str(s.user_id or "")) for s in rule.steps]
    return RuleInput(rule.name, rule.document_type, str(rule.department_id or ""), str(rule.min_amount),
                     "" if rule.max_amount is None else str(rule.max_amount), rule.active, steps)


def edited_steps(data: RuleInput, op: str) -> RuleInput | None:
    """The rule after an "add", "remove:i", "up:i" or "down:i" button; None for "save" (or anything else)."""
    steps = list(data.steps)
    action, _, raw = op.partition(":")
    index = int(raw) if raw.isdigit() and int(raw) < len(steps) else None
    if action == "add" and len(steps) < MAX_STEPS:
        steps.append(StepInput())
    elif action == "remove" and index is not None:
        del steps[index]
    elif action in ("up", "down") and index is not None:
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(steps):
            steps[index], steps[other] = steps[other], steps[index]
    else:
        return None if action not in ("add", "remove", "up", "down") else data
    return RuleInput(data.name, data.document_type, data.department_id, data.min_amount, data.max_amount,
                     data.active, steps)

