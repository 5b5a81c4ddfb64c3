"""Demo data: realistic Chinese and English customers, owners in departments, follow-ups.

Deterministic for a given seed. Demo owners get an unusable password hash, so they can own
records but nobody can sign in as them: there are no default accounts. The procurement demo
(adapters/seed_procurement.py) builds its people, names and credit codes with the helpers here.
"""

import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, Engine, func, insert, select, update

from adapters.crypto.fields import FieldCrypto
from adapters.sqlalchemy.tables import customers, departments, follow_ups, user_roles, users
from domain.customers.credit_code import ALPHABET, check_character
from domain.customers.models import INDUSTRIES, REGIONS, CustomerStage, FollowUpKind
from domain.customers.names import name_key
from domain.shared.sensitive import SensitiveKind

CITIES = ("北京", "上海", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉", "西安", "天津", "重庆", "青岛",
          "厦门", "宁波", "长沙", "郑州", "济南", "合肥", "福州", "石家庄", "沈阳", "大连", "昆明")
SYLLABLES = "华宏兴达盛通泰丰恒瑞康源鑫隆昌富祥安嘉和信德正远鹏博创新海龙腾飞星辰光明凯旋金银天宇中科智联云"
TRADES = ("科技", "电子", "机械", "贸易", "物流", "建设", "医药", "食品", "能源", "化工", "软件", "纺织",
          "汽车配件", "环保", "材料", "咨询", "传媒", "农业")
FORMS_CN = ("有限公司", "有限责任公司", "股份有限公司", "集团有限公司")
WORDS_EN = (
    "Kestrel", "Cobalt", "Meridian", "Aurora", "Harbor", "Summit", "Granite", "Falcon", "Juniper", "Atlas",
    "Beacon", "Cedar", "Delta", "Ember", "Fjord", "Garnet", "Helix", "Ion", "Jasper", "Keystone", "Lumen",
    "Magnet", "Nimbus", "Onyx", "Pioneer", "Quartz", "Raven", "Sierra", "Tundra", "Umbra", "Vector", "Willow",
    "Xenon", "Yarrow", "Zephyr", "Alder", "Birch", "Cypress", "Dune", "Echo", "Flint", "Grove", "Hawthorn",
    "Iris", "Jade", "Kite", "Larch", "Maple", "North", "Oak", "Pine", "Quill", "Ridge", "Stone", "Thistle",
    "Union", "Vale", "West", "Yew", "Zenith",
)
TRADES_EN = ("Logistics", "Systems", "Industries", "Trading", "Foods", "Pharma", "Electronics", "Robotics",
             "Materials", "Energy", "Consulting", "Textiles", "Analytics", "Machinery", "Packaging")
FORMS_EN = ("GmbH", "Ltd", "Inc", "LLC", "AG", "Pte Ltd", "S.A.", "B.V.")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
NOTES = ("电话沟通了报价，客户希望下周再谈。", "Visited the plant; they want a pilot order in Q3.",
         "发送了产品手册和案例。", "WeChat: asked for the updated price list.", "客户对交期有顾虑，需要确认库存。",
         "Meeting with procurement; budget approved.")
BATCH = 5000
NO_LOGIN = "!demo-no-login"  # not a hash any password verifies against
SALES_TEAMS = ("华东 East", "华南 South", "华北 North", "国际 International")


class DemoPerson(NamedTuple):
    id: int
    department_id: int
    role: str


def seed_demo(engine: Engine, count: int, seed: int, crypto: FieldCrypto) -> str:
    """Insert `count` customers (plus owners and departments when missing); returns a one-line report."""
    if count <= 0:
        return "Seeded no customers."
    rng, started = random.Random(seed), time.perf_counter()
    with engine.begin() as connection:
        owners = _owners(connection, rng)
        first_id = (connection.execute(select(func.max(customers.c.id))).scalar() or 0) + 1
        now = datetime.now(UTC)
        codes: set[str] = set(connection.execute(select(customers.c.credit_code).where(
            customers.c.credit_code.is_not(None))).scalars())
        for start in range(0, count, BATCH):
            rows = [_sealed(_customer(rng, owners, codes, now, start + i, count), crypto)
                    for i in range(min(BATCH, count - start))]
            connection.execute(insert(customers), rows)
        connection.execute(insert(follow_ups), _follow_ups(rng, owners, first_id, count, now))
        connection.execute(update(customers).where(customers.c.id >= first_id).values(next_action_on=select(
            func.min(follow_ups.c.next_action_on)).where(follow_ups.c.customer_id == customers.c.id,
                                                         follow_ups.c.done_at.is_(None)).scalar_subquery()))
    elapsed = time.perf_counter() - started
    return f"Seeded {count} customers in {elapsed:.1f} s ({count / max(elapsed, 1e-9):,.0f} rows/s)."


def _owners(connection: Connection, rng: random.Random) -> list[DemoPerson]:
    return demo_staff(connection, rng, "demo", "销售部 Sales", SALES_TEAMS, 10,
                      lambda _team, member: "sales_manager" if member == 0 else "sales_rep")


def demo_staff(connection: Connection, rng: random.Random, prefix: str, root_name: str, teams: Sequence[str],
               members: int, role_of: Callable[[int, int], str]) -> list[DemoPerson]:
    """The demo people named `prefix.<team>.<member>`, created with their department tree when none exists yet."""
    held_role = select(func.min(user_roles.c.role)).where(user_roles.c.user_id == users.c.id).scalar_subquery()
    existing = list(connection.execute(select(users.c.id, users.c.department_id, held_role).where(
        users.c.username.like(f"{prefix}.%")).order_by(users.c.id)))
    if existing:
        return [DemoPerson(user_id, department_id, held or "") for user_id, department_id, held in existing]
    root = _department(connection, root_name, None, "/")
    people = []
    for index, team in enumerate(teams):
        dept = _department(connection, team, root, f"/{root}/")
        for member in range(members):
            name = person_name(rng)
            role = role_of(index, member)
            user_id = connection.execute(insert(users).values(
                username=f"{prefix}.{index}.{member}", display_name=name, password_hash=NO_LOGIN,
                department_id=dept, is_active=True, totp_confirmed=False, failed_logins=0,
                created_at=datetime.now(UTC)).returning(users.c.id)).scalar_one()
            connection.execute(insert(user_roles).values(user_id=user_id, role=role))
            people.append(DemoPerson(user_id, dept, role))
    return people


def _department(connection: Connection, name: str, parent: int | None, parent_path: str) -> int:
    dept = connection.execute(insert(departments).values(name=name, parent_id=parent, path="").returning(
        departments.c.id)).scalar_one()
    connection.execute(departments.update().where(departments.c.id == dept).values(path=f"{parent_path}{dept}/"))
    return int(dept)


def person_name(rng: random.Random) -> str:
    """A Chinese personal name: surname + two given characters."""
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def _customer(rng: random.Random, owners: list[DemoPerson], codes: set[str], now: datetime, index: int,
              count: int) -> dict[str, object]:
    chinese = rng.random() < 0.5
    owner_id, department_id, _role = rng.choice(owners)
    created = now - timedelta(days=6 * 365) * (1 - index / max(count, 1)) - timedelta(seconds=rng.randint(0, 3600))
    name = _chinese_name(rng) if chinese else _english_name(rng)
    return {
        "name": name, "name_key": name_key(name),
        "credit_code": credit_code(rng, codes) if chinese or rng.random() < 0.2 else None,
        "industry": rng.choice(INDUSTRIES), "region": rng.choice(REGIONS[:17] if chinese else REGIONS[17:]),
        "stage": rng.choices(list(CustomerStage), weights=(4, 3, 2, 1))[0].value,
        "owner_id": owner_id, "department_id": department_id,
        "phone": f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}" if chinese
        else f"+49 {rng.randint(30, 89)} {rng.randint(1000000, 9999999)}",
        "email": f"info{index}@example.{'cn' if chinese else 'com'}",
        "created_at": created, "updated_at": created, "created_by": owner_id, "version": 1,
    }


def _sealed(row: dict[str, object], crypto: FieldCrypto) -> dict[str, object]:
    phone, email = str(row.pop("phone")), str(row.pop("email"))
    return row | {"phone_enc": crypto.seal(phone), "phone_index": crypto.index_of(SensitiveKind.PHONE, phone),
                  "email_enc": crypto.seal(email), "email_index": crypto.index_of(SensitiveKind.EMAIL, email)}


def _chinese_name(rng: random.Random) -> str:
    return rng.choice(CITIES) + rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(TRADES) + \
        rng.choice(FORMS_CN)


def _english_name(rng: random.Random) -> str:
    return f"{rng.choice(WORDS_EN)} {rng.choice(WORDS_EN)} {rng.choice(TRADES_EN)} {rng.choice(FORMS_EN)}"


def credit_code(rng: random.Random, taken: set[str]) -> str:
    """A unified social credit code valid by its check character and not in `taken` (which it joins)."""
    while True:
        body = "91" + f"{rng.randint(110000, 659999)}" + "".join(rng.choice(ALPHABET) for _ in range(9))
        code = body + check_character(body)
        if code not in taken:
            taken.add(code)
            return code


def _follow_ups(rng: random.Random, owners: list[DemoPerson], first_id: int, count: int,
                now: datetime) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for customer_id in range(first_id, first_id + count, 10):
        for _ in range(rng.randint(1, 3)):
            rows.append({"customer_id": customer_id, "author_id": rng.choice(owners)[0],
                         "kind": rng.choice(list(FollowUpKind)).value, "content": rng.choice(NOTES),
                         "next_action_on": (now + timedelta(days=rng.randint(-10, 30))).date(),
                         "created_at": now - timedelta(days=rng.randint(0, 400))})
    return rows
