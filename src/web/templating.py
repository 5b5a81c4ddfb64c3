"""Values every template may use."""

from functools import cache
from typing import Any

from flask import Flask, g, request, url_for
from flask_babel import force_locale, lazy_gettext as _l

from web import i18n
from web.listing import query_string
from web.numbers import register_number_filters

FIELD_NAMES = {"name": _l("Name"), "credit_code": _l("Unified social credit code"), "industry": _l("Industry"),
               "region": _l("Region"), "stage": _l("Stage"), "owner_id": _l("Owner"), "phone": _l("Phone"),
               "email": _l("E-mail"), "level": _l("Level"), "title": _l("Job title"), "notes": _l("Notes")}
_LABELS = {"stage_names": i18n.STAGES, "level_names": i18n.LEVELS, "move_names": i18n.MOVES,
           "region_names": i18n.REGIONS, "industry_names": i18n.INDUSTRIES,
           "follow_up_names": i18n.FOLLOW_UP_KINDS, "field_names": FIELD_NAMES}


def register_template_helpers(app: Flask) -> None:
    register_number_filters(app)
    app.jinja_env.globals.update(languages=i18n.LANGUAGES, fixed_url=fixed_url)

    @app.context_processor
    def _request_values() -> dict[str, Any]:
        locale = i18n.request_language()
        return {"actor": g.get("actor"), "locale": locale, "list_link": _list_link, **_labels(locale)}


def label_tables(locale: str) -> dict[str, dict[str, str]]:
    """The translated label tables (stage_names, region_names, …) of one language, e.g. to read them back."""
    return _labels(locale)


@cache
def _labels(locale: str) -> dict[str, dict[str, str]]:
    """Translated label tables, computed once per language instead of once per row."""
    with force_locale(locale):
        return {name: {k: str(v) for k, v in table.items()} for name, table in _LABELS.items()}


def fixed_url(endpoint: str, filename: str | None = None) -> str:
    """url_for for links without variable parts (layout links, static files), built once per mount point."""
    return _fixed_urls(request.script_root, endpoint, filename)


@cache
def _fixed_urls(_script_root: str, endpoint: str, filename: str | None) -> str:
    return url_for(endpoint, filename=filename) if filename else url_for(endpoint)


def _list_link(**changes: str | None) -> str:
    return query_string(request.args, **changes)
