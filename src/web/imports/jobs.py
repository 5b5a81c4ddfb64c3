"""Registers the import jobs, with the CSV/XLSX reader the domain's job code is given."""

from domain.imports.jobs import check_batch, commit_batch, undo_batch
from domain.imports.services import CHECK, COMMIT, UNDO
from domain.jobs.services import register
from web.imports.files import open_sheet

register(CHECK, lambda context: check_batch(context, open_sheet))
register(COMMIT, lambda context: commit_batch(context, open_sheet))
register(UNDO, undo_batch)
