"""The translation catalogs match the sources: every string is translated, nothing is fuzzy, placeholders agree.

Plain pytest on the .pot/.po text (no Flask app, no compiled .mo). The messages are re-extracted with the same
babel.cfg that pybabel uses, so a wrapped string that was never extracted fails here too. To fix a failure:

    .venv/bin/pybabel extract -F babel.cfg --no-location --omit-header --sort-output --no-wrap --ignore-dirs '.*' \
        -o translations/messages.pot .
    .venv/bin/pybabel update -i translations/messages.pot -d translations -D messages --no-wrap \
        --ignore-pot-creation-date

then translate the new or fuzzy entries in translations/*/LC_MESSAGES/messages.po.
"""

import io
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from web.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")


def catalog_path(language: str) -> Path:
    """Flask-Babel looks for str(Locale.parse(code)): "zh_CN" is found only as translations/zh_Hans_CN."""
    return TRANSLATIONS / str(Locale.parse(language)) / "LC_MESSAGES" / "messages.po"


def not_hidden(directory: str) -> bool:
    """Babel's directory filter for `--ignore-dirs '.*'`: only dot directories are skipped."""
    return not Path(directory).name.startswith(".")


@cache
def extracted_pot() -> str:
    """What `pybabel extract -F babel.cfg --no-location --omit-header --sort-output --no-wrap --ignore-dirs '.*' .`
    writes. Without --ignore-dirs, Babel skips every directory whose name starts with "_" (templates/_macros,
    templates/_contacts), so their strings would silently stay English."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, "babel.cfg")
    catalog = Catalog()
    for _filename, _lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, directory_filter=not_hidden):
        catalog.add(message, None, auto_comments=comments, context=context)
    out = io.BytesIO()
    write_po(out, catalog, no_location=True, omit_header=True, sort_output=True, width=None)
    return out.getvalue().decode("utf-8")


@cache
def load(path: Path) -> Catalog:
    with open(path, "rb") as file:
        return read_po(file)


def source_messages() -> Iterator[Message]:
    return (message for message in load(POT) if message.id)


def key(message: Message) -> tuple[str, str | None]:
    return (message.id if isinstance(message.id, str) else message.id[0]), message.context


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_pot_is_up_to_date_with_the_sources() -> None:
    assert POT.read_text(encoding="utf-8") == extracted_pot(), \
        "translations/messages.pot is stale: re-extract and update the catalogs (see this module's docstring)"


def test_the_sources_have_messages() -> None:
    assert len(list(source_messages())) > 50


def test_templates_in_underscore_directories_are_extracted() -> None:
    """templates/_macros/sensitive.html holds the reveal button of every masked field."""
    assert any(message.id == "Reveal" for message in source_messages())


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_catalog_header(language: str) -> None:
    path = catalog_path(language)
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing (Flask-Babel looks exactly there)"
    catalog = load(path)
    assert not catalog.fuzzy, f"{path.relative_to(ROOT)}: the header is fuzzy, so pybabel compile would skip it"
    assert catalog.num_plurals == get_plural(Locale.parse(language)).num_plurals


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_source_message_is_translated(language: str) -> None:
    catalog = load(catalog_path(language))
    problems = []
    for source in source_messages():
        message = catalog.get(source.id, context=source.context)
        if message is None or message.id != source.id:
            problems.append(f"missing: {source.id!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {source.id!r}")
        elif source.pluralizable and (not isinstance(message.string, tuple)
                                      or len(message.string) != catalog.num_plurals):
            problems.append(f"needs {catalog.num_plurals} plural form(s): {source.id!r}")
        elif not all(message.string if source.pluralizable else [message.string]):
            problems.append(f"untranslated: {source.id!r}")
    known = {key(source) for source in source_messages()}
    problems += [f"not in the sources any more: {message.id!r}" for message in catalog
                 if message.id and key(message) not in known]
    assert not problems, f"{catalog_path(language).relative_to(ROOT)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_placeholders_are_kept(language: str) -> None:
    catalog = load(catalog_path(language))
    problems = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, str):
            pairs = [(message.id, message.string)]
        else:  # one form (zh): it must carry the plural's placeholders; else form 0 ↔ singular, the rest ↔ plural
            singular, plural = message.id[0], message.id[1]
            pairs = [(singular if i == 0 and len(message.string) > 1 else plural, form)
                     for i, form in enumerate(message.string)]
        problems += [f"{msgid!r} has {placeholders(msgid)} but {msgstr!r} has {placeholders(msgstr)}"
                     for msgid, msgstr in pairs if msgstr and placeholders(msgid) != placeholders(msgstr)]
    problems += [f"{message.id!r}: {error}" for message, errors in catalog.check() for error in errors]
    assert not problems, f"{catalog_path(language).relative_to(ROOT)}:\n" + "\n".join(problems)
