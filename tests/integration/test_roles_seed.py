"""The roles the migration seeds are the domain's default roles, grant for grant."""

from sqlalchemy import Engine, text

from domain.identity.permissions import DEFAULT_ROLES


def test_seeded_roles_match_the_domain_defaults(engine: Engine) -> None:
    with engine.connect() as connection:
        roles = dict(connection.execute(text("SELECT key, name FROM roles WHERE builtin")).all())
        permissions = connection.execute(text("SELECT role, permission FROM role_permissions")).all()
        scopes = connection.execute(text("SELECT role, entity, scope FROM role_scopes")).all()

    assert roles == {key: role.name for key, role in DEFAULT_ROLES.items()}
    for key, role in DEFAULT_ROLES.items():
        assert {p for r, p in permissions if r == key} == {p.value for p in role.permissions}, key
        assert {e: s for r, e, s in scopes if r == key} == {e: s.value for e, s in role.scopes.items()}, key
