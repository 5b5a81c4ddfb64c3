"""Choosing a contract's party: the kind (sales or purchase), then a customer or a supplier from a search."""

from collections.abc import Mapping

from flask import request

from domain.contracts import parties
from domain.contracts.models import ContractKind
from domain.customers import services as customers
from domain.customers.models import CustomerListQuery
from domain.identity.access import require
from domain.identity.models import Actor
from web.deps import deps
from web.guard import current_actor

PICKER = {"customer-picker": "contracts/_customer_picker.html", "supplier-picker": "contracts/_supplier_picker.html"}


def asked_kind(args: Mapping[str, str], usable: tuple[ContractKind, ...], actor: Actor) -> ContractKind | None:
    """The kind the URL asks for (PermissionDenied if the actor may not use it), else the only usable one."""
    named = args.get("kind", "")
    if named in ContractKind.__members__.values():
        require(actor, parties.PARTY_READ[ContractKind(named)])
        return ContractKind(named)
    return usable[0] if len(usable) == 1 else None


def asked_party(args: Mapping[str, str], kind: ContractKind) -> int | None:
    """The party id a picker link passes (`customer_id` or `supplier_id`), if well formed."""
    value = args.get(kind.party_field, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def picked(args: Mapping[str, str]) -> tuple[ContractKind, int] | None:
    """The kind and party a picker link chose (`?customer_id=` or `?supplier_id=`), if any."""
    for kind in ContractKind:
        party_id = asked_party(args, kind)
        if party_id is not None:
            return kind, party_id
    return None


def choices(kind: ContractKind) -> dict[str, object]:
    """The picker of the kind's parties, searched with ?q= (customers within the actor's scope)."""
    text = request.args.get("q", "").strip()[:100]
    actor, uow = current_actor(), deps().reader()
    if kind is ContractKind.PURCHASE:
        return {"suppliers": parties.supplier_choices(text, actor=actor, uow=uow), "q": text}
    found = customers.list_customers(CustomerListQuery(text=text, per_page=20), actor=actor, uow=uow,
                                     with_owner_filter=False)
    return {"choices": found.page.items, "q": text}


def party_name(kind: ContractKind, party_id: int) -> str:
    """The name of the party chosen for a new contract or an amendment: 403/404 unless the actor may choose it,
    ValidationFailed for a blacklisted supplier."""
    actor, uow = current_actor(), deps().reader()
    if kind is ContractKind.PURCHASE:
        return parties.choose_supplier(party_id, actor=actor, uow=uow).name
    return customers.get_customer(party_id, actor=actor, uow=uow).customer.name


def named_party(raw: Mapping[str, str]) -> str:
    """The name of the party a submitted form names, if the actor may choose it ("" otherwise)."""
    return parties.named_party(raw, actor=current_actor(), uow=deps().reader())
