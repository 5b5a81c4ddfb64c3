"""The record scope built once with bind parameters (bound_scope, for the navigation's counts on every page) selects
exactly the rows record_scope selects, for each of its four shapes, on SQLite and PostgreSQL."""

from sqlalchemy import Engine, select

from adapters.sqlalchemy.scope import bound_scope, record_scope, scope_shape, scope_values
from adapters.sqlalchemy.tables import purchase_orders as po
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from tests.integration.conftest import add_department, add_user
from tests.integration.receiving_helpers import add_order, add_supplier

LINE = ("Bolts", "1", "1.00", 13)


def test_bound_scope_selects_what_record_scope_selects_in_every_shape(engine: Engine) -> None:
    buying = add_department(engine, "Buying")
    east = add_department(engine, "East", parent=buying)
    other = add_department(engine, "Other")
    people = [add_user(SqlUnitOfWork(engine), name, {role}, department)
              for name, role, department in (("head", "buyer", buying), ("east", "buyer", east),
                                             ("outsider", "buyer", other), ("manager", "procurement_manager", other),
                                             ("rep", "sales_rep", east), ("staff", "employee", east),
                                             ("homeless", "buyer", None))]
    supplier = add_supplier(engine, people[0])
    for buyer in people[:3] + people[-1:]:
        add_order(engine, buyer, supplier, LINE)
        add_order(engine, buyer, supplier, LINE)

    seen = {(actor.username, entity): _compare(engine, actor, entity)
            for actor in people for entity in ("purchase_order", "contract")}

    assert set(seen.values()) == {"all", "department", "own", "none"}
    assert seen[("head", "purchase_order")] == "department" and seen[("rep", "contract")] == "own"


def _compare(engine: Engine, actor: Actor, entity: str) -> str:
    shape = scope_shape(actor, entity)
    with engine.connect() as connection:
        literal = set(connection.execute(select(po.c.id).where(
            record_scope(actor, entity, po.c.buyer_id, po.c.department_id))).scalars())
        bound = set(connection.execute(select(po.c.id).where(
            bound_scope(shape, po.c.buyer_id, po.c.department_id)), scope_values(actor)).scalars())
    assert bound == literal, (actor.username, entity, shape)
    return shape
