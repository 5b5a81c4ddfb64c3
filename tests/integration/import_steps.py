"""The steps of a staged import through the test client, for any target (its pages' URL is `base`)."""

import io
import json
import re

from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from tests.integration.conftest import csrf_of

CUSTOMERS = "/customers/import"


def upload(client: FlaskClient, data: bytes, filename: str, base: str = CUSTOMERS) -> int:
    response = client.post(base, data={"csrf_token": csrf_of(client, base), "file": (io.BytesIO(data), filename)})
    assert response.status_code == 303, response.text
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def check(client: FlaskClient, batch_id: int, mode: str = "create", mapping: list[str] | None = None,
          base: str = CUSTOMERS) -> None:
    page = client.get(f"{base}/{batch_id}").text
    chosen = mapping or offered_mapping(page)
    response = client.post(f"{base}/{batch_id}/check",
                           data={"csrf_token": csrf_of(client, base), "column": chosen, "mode": mode})
    assert response.status_code == 303, response.text


def offered_mapping(page: str) -> list[str]:
    selects = re.findall(r'<select id="column-\d+" name="column">(.*?)</select>', page, re.S)
    return [next(iter(re.findall(r'value="(\w*)" selected', options)), "") for options in selects]


def post(client: FlaskClient, path: str, base: str = CUSTOMERS) -> int:
    return client.post(path, data={"csrf_token": csrf_of(client, base)}).status_code


def batch_row(engine: Engine, batch_id: int) -> dict[str, object]:
    with engine.connect() as connection:
        row = connection.execute(text("SELECT status, counts, mapping FROM import_batches WHERE id = :i"),
                                 {"i": batch_id}).one()
    counts = row.counts if isinstance(row.counts, dict) else json.loads(row.counts)
    return {"status": row.status, "counts": counts}
