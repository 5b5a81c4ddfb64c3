"""Language choice and the translated labels of domain codes (stages, regions, error codes)."""

from collections.abc import Callable
from functools import cache
from typing import TypeVar

from babel.support import NullTranslations
from flask import Flask, g, request, session
from flask_babel import Babel, force_locale, get_locale, get_translations, lazy_gettext as _l, lazy_pgettext

T = TypeVar("T")

LANGUAGES = {"zh_CN": "简体中文", "en": "English"}

STAGES = {"lead": _l("Lead"), "prospect": _l("Prospect"), "customer": _l("Customer"), "lost": _l("Lost")}
LEVELS = {"A": _l("A (key account)"), "B": _l("B"), "C": _l("C")}
MOVES = {"contacts": _l("Contacts"), "follow_ups": _l("Follow-ups"), "contracts": _l("Contracts"), "tags": _l("Tags")}
FOLLOW_UP_KINDS = {"call": _l("Call"), "visit": _l("Visit"), "email": _l("E-mail"), "wechat": _l("WeChat"),
                   "note": _l("Note")}
INDUSTRIES = {
    "manufacturing": _l("Manufacturing"), "technology": _l("Technology"), "retail": _l("Retail"),
    "logistics": _l("Logistics"), "construction": _l("Construction"), "finance": _l("Finance"),
    "healthcare": _l("Healthcare"), "energy": _l("Energy"), "education": _l("Education"),
    "agriculture": _l("Agriculture"), "services": _l("Services"), "other": _l("Other"),
}
REGIONS = {
    "beijing": _l("Beijing"), "shanghai": _l("Shanghai"), "tianjin": _l("Tianjin"), "chongqing": _l("Chongqing"),
    "guangdong": _l("Guangdong"), "zhejiang": _l("Zhejiang"), "jiangsu": _l("Jiangsu"), "shandong": _l("Shandong"),
    "fujian": _l("Fujian"), "hubei": _l("Hubei"), "hunan": _l("Hunan"), "sichuan": _l("Sichuan"),
    "henan": _l("Henan"), "hebei": _l("Hebei"), "anhui": _l("Anhui"), "liaoning": _l("Liaoning"),
    "shaanxi": _l("Shaanxi"), "hong_kong": _l("Hong Kong"), "taiwan": _l("Taiwan"),
    "asia_pacific": _l("Asia-Pacific (other)"), "europe": _l("Europe"), "north_america": _l("North America"),
    "other": _l("Other"),
}
ERRORS = {
    "required": _l("Fill in this field."),
    "too_long": _l("This is too long; shorten it."),
    "choice.invalid": _l("Choose one of the offered options."),
    "credit_code.length": _l("A unified social credit code has exactly 18 characters."),
    "credit_code.invalid": _l("This credit code fails the GB 32100-2015 check; compare it with the business licence."),
    "credit_code.taken": _l("A customer with this credit code exists already; search for it instead."),
    "phone.invalid": _l("Enter a phone number of digits, optionally with +, spaces, dashes or brackets."),
    "email.invalid": _l("Enter an e-mail address such as name@example.com."),
    "date.invalid": _l("Enter a date as YYYY-MM-DD between 2000 and 2100."),
    "owner.not_allowed": _l("You may not assign customers to this person; choose yourself or ask your manager."),
    "username.invalid": _l("Use 3 to 64 letters, digits, dots, dashes, underscores or @."),
    "password.too_short": _l("Use at least 12 characters; a few unrelated words make a strong password."),
    "password.too_long": _l("Use at most 256 characters."),
    "password.is_username": _l("The password must not be your username."),
    "password.mismatch": _l("The two passwords differ; type the same password twice."),
    "password.guessable": _l("This password is common, was leaked before, or is easy to guess from your name or the "
                             "company. Use a longer phrase of unrelated words."),
    "password.current_wrong": _l("This is not your current password. Enter the one you signed in with; "
                                 "nothing was changed."),
    "role.key_invalid": _l("Use 3 to 50 lower-case letters, digits or underscores, starting with a letter."),
    "role.key_taken": _l("A role with this key exists already; choose another key or edit that role."),
    "role.builtin_name": _l("Built-in roles keep their names; create a custom role for a different name."),
    "role.administrator_keeps": _l("The administrator role must keep “Manage roles” and “Manage users”, "
                                   "so that someone can always administer the system."),
    "role.builtin": _l("Built-in roles cannot be deleted; remove their permissions instead."),
    "role.in_use": _l("Users still hold this role; take it away from them first, then delete it."),
    "permission.unknown": _l("Only the permissions listed here can be granted; reload the page and try again."),
    "scope.unknown": _l("Choose one of the offered record scopes; reload the page and try again."),
    "username.taken": _l("This username is taken; choose another one."),
    "roles.required": _l("Choose at least one role."),
    "selection.empty": _l("Select at least one customer: tick its box, or press x on its row."),
    "selection.too_many": _l("Select at most 500 customers at a time; narrow the filters or split the change."),
    "tag.unknown": _l("No customer carries this tag; pick one of the suggested tags."),
    "view.no_department": _l("You belong to no department, so the view can only be yours; choose “Only me”."),
    "merge.same": _l("A customer cannot absorb itself; choose the duplicate to merge into this one."),
    "merge.undone": _l("This merge was undone already; nothing was changed."),
    "merge.outdated": _l("This merge can no longer be undone: its contacts, contracts, follow-ups or tags, or the "
                         "merged customer, changed since. Move those records by hand instead."),
    "department.cycle": _l("A department cannot move below itself or its own sub-departments; choose another parent."),
    "approval.no_approver": _l("Nobody but you could approve this under the approval rules, and nobody approves their "
                               "own documents. Ask an administrator to adjust the approval rules or the department "
                               "managers, then submit again."),
    "approval.already_pending": _l("This document is waiting for approval already; wait for the decision."),
    "approval.comment_required": _l("Say why you reject it, so the requester knows what to change."),
    "approval.band_overlap": _l("Another active rule for this document type and department covers part of this amount "
                                "range; change one of the ranges or deactivate the other rule."),
    "approval.band_empty": _l("The upper amount must be above the lower one; leave it empty for no upper limit."),
    "approval.steps_count": _l("A rule needs between 1 and 10 steps."),
    "approval.step_role": _l("Choose the role whose holders approve this step."),
    "approval.step_user": _l("Choose an active user to approve this step."),
    "delegation.self": _l("Choose a colleague; you cannot delegate to yourself."),
    "delegation.ends_before_start": _l("The last day must be on or after the first day."),
    "delegation.in_past": _l("The last day has passed already; choose today or a later day."),
    "delegation.too_long": _l("A delegation lasts at most a year; choose an earlier last day."),
    "amount.invalid": _l("Enter an amount with at most two decimals, such as 12345 or 12,345.67."),
    "amount.decimals": _l("Use at most two decimals (yuan, jiao, fen)."),
    "amount.not_positive": _l("Enter an amount above zero."),
    "amount.too_large": _l("Amounts above 10,000,000,000,000 are not accepted; check the number of digits."),
    "contract.customer_unknown": _l("Choose a customer you can see; search for it on the customer list."),
    "contract.customer_archived": _l("This customer is archived; choose an active customer."),
    "contract.owner_not_allowed": _l("You may not make this person the owner; choose yourself or someone in your "
                                     "team."),
    "contract.end_before_start": _l("The end date is before the start date; correct one of them."),
    "contract.edit_not_draft": _l("Only a draft can be edited. Once approved, change the contract with an amendment."),
    "contract.submit_not_draft": _l("Only a draft can be submitted for approval."),
    "contract.decide_not_pending": _l("Only a contract pending approval can be approved or rejected."),
    "contract.reopen_not_rejected": _l("Only a rejected contract can go back to draft."),
    "contract.amend_not_active": _l("Only an active contract can be amended; edit a draft directly."),
    "contract.terminate_not_active": _l("Only an active contract can be terminated."),
    "contract.renew_not_active": _l("Only an active contract can be renewed."),
    "contract.expire_not_active": _l("Only an active contract can expire."),
    "contract.not_ended": _l("The contract has not reached its end date yet."),
    "contract.changed": _l("Someone changed this contract meanwhile; nothing was done. Check it and try again."),
    "amendment.no_change": _l("Nothing was changed; change at least one term, or cancel."),
    "attachment.required": _l("Choose a file to attach."),
    "attachment.empty": _l("The file is empty. Choose the file again; if it stays empty, save it anew first."),
    "attachment.too_large": _l("The file is larger than the limit shown below. Compress it or split it into parts."),
    "attachment.type_not_allowed": _l("This type of file cannot be attached. Use PDF, PNG, JPEG, GIF, WebP, Word "
                                      "(.doc, .docx), Excel (.xls, .xlsx) or PowerPoint (.pptx)."),
    "attachment.content_mismatch": _l("The file's content does not match its extension (for example a web page "
                                      "renamed to .pdf). Save it in its real format, then attach it again."),
    "import.empty": _l("Choose a CSV or Excel file to upload."),
    "import.format": _l("Upload a CSV file (UTF-8 or GB18030) or an Excel .xlsx file; other formats cannot be read."),
    "import.encoding": _l("This CSV file is neither UTF-8 nor GB18030; save it as “CSV UTF-8” and upload it again."),
    "import.unreadable": _l("This Excel file cannot be read; open it in Excel, save it as .xlsx and upload it again."),
    "import.header": _l("The first row must name the columns (at most 200); add a header row and upload again."),
    "mapping.invalid": _l("Choose a field or “Ignore” for every column; reload the page and try again."),
    "mapping.twice": _l("Each field can come from one column only; set the other columns to “Ignore”."),
    "mapping.name_missing": _l("Choose the column that holds the customer name; every customer needs one."),
    "import.duplicate_in_file": _l("An earlier row of this file has the same value; keep only one of the rows."),
    "import.name_taken": _l("A customer with this name exists already; remove the row or import with "
                            "“update by name”."),
    "import.name_ambiguous": _l("Several customers have this name; use the credit code as the key instead."),
    "import.out_of_scope": _l("A customer with this key exists but is not yours to change; ask its owner or "
                              "your manager."),
    "import.archived": _l("This customer is archived; restore it first or remove the row."),
    "owner.unknown": _l("No active user has this username or name; enter the owner's username."),
    "owner.ambiguous": _l("Several users have this name; enter the owner's username instead."),
    "quantity.invalid": _l("Enter a quantity such as 12 or 2.5."),
    "quantity.decimals": _l("Use at most three decimals for a quantity."),
    "quantity.not_positive": _l("Enter a quantity above zero."),
    "quantity.too_large": _l("Quantities above 1,000,000,000 are not accepted; check the number of digits."),
    "price.invalid": _l("Enter a price such as 12.5 or 1,280.00."),
    "price.decimals": _l("Use at most four decimals for a unit price."),
    "price.not_positive": _l("Enter a price above zero."),
    "price.too_large": _l("Unit prices above 1,000,000,000 are not accepted; check the number of digits."),
    "tax_rate.invalid": _l("Choose one of the VAT rates: 13, 9, 6, 3 or 0 percent."),
    "budget.exceeded": _l("This would take a stop budget below zero. Reduce the amount, choose another budget line, "
                          "or ask a holder of the budget override permission to approve it."),
    "budget.over_warning": _l("This takes its budget beyond its amount; the budget only warns, so it goes through."),
    "budget.code_taken": _l("This department has a budget with this code already; choose another code."),
    "budget.period_order": _l("The period ends before it starts; correct one of the dates."),
    "budget.below_committed": _l("A stop budget cannot be set below what is already committed to it. Close "
                                 "requisitions or cancel orders to release budget first, or choose “warn”."),
    "requisition.no_department": _l("You belong to no department, and a requisition is raised for your department. "
                                    "Ask an administrator to put you in one."),
    "requisition.no_lines": _l("Add at least one line: what to buy, how many, and the estimated price."),
    "requisition.too_many_lines": _l("A requisition has at most 200 lines; split it into several requisitions."),
    "requisition.budget_required": _l("Choose the budget line this is charged to."),
    "requisition.budget_unavailable": _l("This budget line is not open for your department today; choose one of the "
                                         "listed ones."),
    "requisition.budget_missing": _l("Your department has budget lines open now: edit the draft, choose the line it "
                                     "is charged to, then submit it."),
    "requisition.budget_closed": _l("The chosen budget line is no longer open: edit the draft, choose an open line, "
                                    "then submit it."),
    "requisition.needed_by_past": _l("This date has passed; choose today or a later day."),
    "requisition.not_requester": _l("Only the person who raised this requisition can edit, submit or reopen it."),
    "requisition.edit_not_draft": _l("Only a draft can be edited. A rejected requisition goes back to draft first."),
    "requisition.submit_not_draft": _l("Only a draft can be submitted for approval."),
    "requisition.decide_not_submitted": _l("Only a requisition waiting for approval can be approved or rejected."),
    "requisition.reopen_not_rejected": _l("Only a rejected requisition can go back to draft."),
    "requisition.close_not_approved": _l("Only an approved or (partly) ordered requisition can be closed."),
    "requisition.changed": _l("Someone changed this requisition meanwhile; nothing was done. Check it and try again."),
    "contract.supplier_unknown": _l("Choose a supplier from the list; this one does not exist (any more)."),
    "contract.supplier_blacklisted": _l("This supplier is blacklisted: no new contracts, amendments or renewals "
                                        "with it. Choose another supplier, or ask procurement to review the "
                                        "blacklisting."),
    "contract.kind_fixed": _l("A sales contract stays with a customer and a purchase contract with a supplier. "
                              "Draft a new contract of the other kind instead."),
    "percent.invalid": _l("Enter a percentage such as 0, 2 or 2.5."),
    "percent.decimals": _l("Use at most two decimals for a percentage."),
    "percent.range": _l("Enter a percentage from 0 to 100."),
    "date.future": _l("This day is still to come; enter the day it happened."),
    "receipt.nothing_received": _l("Nothing was entered: type the received quantity of at least one line."),
    "receipt.quantities_disagree": _l("Accepted and rejected must add up to received; correct one of the three, or "
                                      "leave accepted empty to accept everything not rejected."),
    "receipt.reason_required": _l("Say why goods were rejected (damaged, wrong item, late …)."),
    "receipt.over_tolerance": _l("This is more than the order allows, even with the over-receipt tolerance; reject the "
                                 "surplus instead."),
    "invoice.quantity_missing": _l("Type the quantity this line bills, or clear its price."),
    "invoice.no_lines": _l("Type the quantity and price of at least one line the invoice bills."),
    "invoice.total_mismatch": _l("The lines add up to another gross total (shown below the lines); compare it with "
                                 "the invoice and correct the line or the total you typed."),
    "invoice.duplicate": _l("This supplier's invoice with this number is recorded already."),
    "invoice.reason_required": _l("Give the reason; it stays with the invoice for the auditors."),
    "supplier.credit_code_taken": _l("A supplier with this credit code is registered already; open it instead of "
                                     "registering it twice."),
    "bank_account.invalid": _l("Enter the account number as on the bank's documents: 8 to 32 digits, spaces or dashes "
                               "between groups are fine."),
    "supplier.qualify_not_allowed": _l("Only a pending or suspended supplier can be qualified; restore a blacklisted "
                                       "one first."),
    "supplier.suspend_not_qualified": _l("Only a qualified supplier can be suspended."),
    "supplier.blacklisted_already": _l("This supplier is blacklisted already."),
    "supplier.restore_not_blacklisted": _l("Only a blacklisted supplier can be restored to pending."),
    "supplier.reason_required": _l("Say why, so colleagues understand the decision; the reason is shown on the "
                                   "supplier's page and kept in the audit log."),
    "supplier.changed": _l("Someone changed this supplier meanwhile; nothing was done. Check it and try again."),
    "document.expires_before_issued": _l("The expiry date is before the issue date; correct one of them."),
    "document.date_invalid": _l("Enter a date as YYYY-MM-DD between 1950 and 2100."),
    "scorecard.end_before_start": _l("The end of the period is before its start; swap the two dates."),
    "scorecard.too_long": _l("Choose a period of at most ten years."),
    "order.edit_not_draft": _l("Only a draft can be edited. Return a rejected order to draft first; an approved order "
                               "changes only by cancelling it and ordering anew."),
    "order.submit_not_draft": _l("Only a draft can be submitted for approval."),
    "order.decide_not_pending": _l("Only an order pending approval can be approved or rejected."),
    "order.reopen_not_rejected": _l("Only a rejected order can go back to draft."),
    "order.send_not_approved": _l("Only an approved order can be sent to the supplier."),
    "order.receive_not_sent": _l("Goods are received only against an order that was sent to the supplier."),
    "order.close_not_received": _l("Only a received or partly received order can be closed; cancel it instead if "
                                   "nothing will come."),
    "order.cancel_after_receipt": _l("Only a draft, rejected, approved or sent order with nothing received can be "
                                     "cancelled. Once goods arrived, close the order instead."),
    "order.cancel_after_invoice": _l("A supplier invoice was recorded against this order, so it cannot be "
                                     "cancelled. Ask finance to reject the invoice in the exception queue first, "
                                     "or close the order once goods arrived."),
    "order.changed": _l("Someone changed this order meanwhile; nothing was done. Check it and try again."),
    "order.no_lines": _l("Add at least one line: type the item, quantity, unit and price in the first row."),
    "order.too_many_lines": _l("An order has at most 200 lines; split it into two orders."),
    "order.pick_lines": _l("Select at least one requisition line: move to it with j or k and press x, or tick its "
                           "box."),
    "order.supplier_required": _l("Choose the supplier to order from."),
    "order.supplier_unknown": _l("This supplier does not exist; choose one from the list."),
    "order.supplier_pending": _l("This supplier is still pending qualification, and orders go only to qualified "
                                 "suppliers. Ask procurement to qualify it, or choose another supplier."),
    "order.supplier_suspended": _l("This supplier is suspended, and orders go only to qualified suppliers. Choose "
                                   "another supplier."),
    "order.supplier_blacklisted": _l("This supplier is blacklisted and gets no orders. Choose another supplier."),
    "order.requisition_line_unavailable": _l("This requisition line can no longer be ordered: it was fully ordered, "
                                             "closed, or is not yours to order. Reload the page to see what is "
                                             "left."),
    "order.over_ordered": _l("This is more than is left to order on the requisition line; lower the quantity to at "
                             "most what is shown with the item."),
    "order.contract_unknown": _l("Choose a framework contract with this order's supplier, or none."),
    "order.contract_not_active": _l("This framework contract is not active; choose an active one, or none."),
    "order.contract_exceeded": _l("The order's gross total is more than is left of the framework contract. Lower the "
                                  "amounts, or order without the contract."),
    # procurement list tools
    "selection.unavailable": _l("It no longer exists, or it is outside the records you may see."),
}

PERMISSIONS = {
    "customer.read": _l("View customers"), "customer.create": _l("Create customers"),
    "customer.update": _l("Edit customers"), "customer.archive": _l("Archive customers"),
    "customer.assign": _l("Assign customers to others"), "customer.reveal": _l("Reveal masked contact data"),
    "customer.export": _l("Export customers"), "customer.import": _l("Import customers"),
    "customer.merge": _l("Merge duplicate customers"),
    "followup.create": _l("Add follow-ups"), "audit.read": _l("Read the audit log"),
    "contract.read": _l("View contracts"), "contract.create": _l("Draft contracts"),
    "contract.update": _l("Edit and amend contracts"), "contract.terminate": _l("Terminate contracts"),
    "approval.rules": _l("Manage approval rules"),
    "audit.export": _l("Export the audit log"), "user.manage": _l("Manage users"),
    "department.manage": _l("Manage departments"), "role.manage": _l("Manage roles"),
    "session.manage": _l("Manage sessions"),
    "supplier.read": _l("View suppliers"), "supplier.create": _l("Create suppliers"),
    "supplier.update": _l("Edit suppliers"), "supplier.qualify": _l("Qualify, suspend and blacklist suppliers"),
    "supplier.reveal": _l("Reveal supplier bank accounts and contact data"),
    "supplier.import": _l("Import suppliers"), "supplier.export": _l("Export suppliers"),
    "requisition.read": _l("View requisitions"), "requisition.create": _l("Raise requisitions"),
    "requisition.close": _l("Close requisitions"), "budget.read": _l("View budgets"),
    "budget.manage": _l("Manage budgets"), "budget.override": _l("Approve beyond a stop budget"),
    "purchase_order.read": _l("View purchase orders"), "purchase_order.create": _l("Create purchase orders"),
    "purchase_order.update": _l("Edit, send, cancel and close purchase orders"),
    "receipt.create": _l("Record goods receipts"), "invoice.read": _l("View supplier invoices"),
    "invoice.create": _l("Record supplier invoices"), "invoice.resolve": _l("Resolve invoice match exceptions"),
    "purchase.export": _l("Export requisitions, orders, receipts and invoices"),
    "procurement.settings": _l("Set receipt and match tolerances"),
}
MODULES = {"customers": _l("Customers"), "contracts": _l("Contracts"), "suppliers": _l("Suppliers"),
           "procurement": _l("Procurement"), "approvals": _l("Approvals"), "administration": _l("Administration"),
           "audit": _l("Audit")}
ENTITIES = {"customer": _l("Customers"), "contract": _l("Contracts"), "requisition": _l("Requisitions"),
            "purchase_order": _l("Purchase orders")}
SCOPES = {"none": _l("None"), "own": _l("Own records"), "department": _l("Department subtree"), "all": _l("All")}
ROLE_NAMES = {
    "administrator": _l("Administrator"), "sales_manager": _l("Sales manager"), "sales_rep": _l("Sales rep"),
    "buyer": _l("Buyer"), "procurement_manager": _l("Procurement manager"), "employee": _l("Employee"),
    "finance": lazy_pgettext("role", "Finance"), "auditor": _l("Auditor"),
}


def select_locale() -> str:
    """The language chosen in this session, else the browser's preference, else English."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"], default="en")
    return "zh_CN" if best.startswith("zh") else "en"


def error_messages(errors: dict[str, str]) -> dict[str, str]:
    """Field → translated message for domain error codes."""
    return {field: str(ERRORS.get(code, code)) for field, code in errors.items()}


def init_babel(app: Flask, translations: str) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", translations)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    Babel(app, locale_selector=select_locale)
    # Flask-Babel looks the catalogue up again for every string; a page has dozens of them.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _catalogue().ugettext(s), ngettext=lambda s, p, n: _catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: _catalogue().upgettext(c, s), newstyle=True)


def _catalogue() -> NullTranslations:
    """The request's translations, looked up once per request."""
    catalogue: NullTranslations | None = g.get("_houtai_catalogue")
    if catalogue is None:
        catalogue = g._houtai_catalogue = get_translations()
    return catalogue



def request_language() -> str:
    """The request's language as LANGUAGES names it ("zh_CN" or "en"; Babel says zh_Hans_CN)."""
    return "zh_CN" if str(get_locale()).startswith("zh") else "en"


def per_language(compute: Callable[[], T]) -> Callable[[], T]:
    """`compute` (translated label tables) run once per language, then answered from memory in the request's."""
    @cache
    def in_language(language: str) -> T:
        with force_locale(language):
            return compute()

    return lambda: in_language(request_language())
