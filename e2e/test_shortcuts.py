"""Keyboard shortcut help: "?" opens it, Esc closes it (static/js/app.js)."""

from playwright.sync_api import Page, expect

from e2e.pages import LoginPage


def test_question_mark_opens_shortcut_help_and_escape_closes_it(page: Page) -> None:
    login = LoginPage.open(page)  # the help exists on every page, signed in or not
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(page.get_by_label("Username")).to_be_focused()  # autofocus

    page.keyboard.press("?")  # typing in a field: "?" is text, not a shortcut
    expect(page.get_by_label("Username")).to_have_value("?")
    expect(help_dialog).to_be_hidden()

    login.heading.click()  # leave the field
    page.keyboard.press("?")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Focus the search box")

    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
