"""Registers the import jobs of every target, with the CSV/XLSX reader the domain's job code is given."""

from domain.imports.jobs import check_batch, commit_batch, undo_batch
from domain.imports.services import CHECK, COMMIT, UNDO
from domain.imports.targets import TARGETS
from domain.jobs.services import register
from web.imports.files import open_sheet

for _target in TARGETS.values():  # the kinds differ per target; the batch itself says which target it fills
    register(_target.job_kind(CHECK), lambda context: check_batch(context, open_sheet))
    register(_target.job_kind(COMMIT), lambda context: commit_batch(context, open_sheet))
    register(_target.job_kind(UNDO), undo_batch)
