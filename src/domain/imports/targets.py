"""The kinds of record the staged import fills, by the key batches store."""

from typing import Any

from domain.imports.customers import CUSTOMERS
from domain.imports.suppliers import SUPPLIERS
from domain.imports.target import ImportTarget

TARGETS: dict[str, ImportTarget[Any, Any]] = {target.key: target for target in (CUSTOMERS, SUPPLIERS)}
