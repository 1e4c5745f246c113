"""Import of a unit's existing Excel ledger (台账) of applications.

Clerks keep ledgers in many shapes: a merged title row, the header on row 2 or 3, dates typed as
``2024年3月5日`` or ``2024.3.5``, blank rows between months. The import therefore works in two
steps, as the clerk sees them:

1. :func:`ledger_preview` finds the header row, proposes which column holds which field and
   shows the first rows, so the clerk can correct the mapping;
2. :func:`ledger_import` reads every row with that mapping. Any row that cannot be read — an
   unknown channel, an unreadable date, a result that is not a table 三 row — is reported with
   its row number, column, value and what is wrong, and then **nothing** is imported. Otherwise
   every case is registered and, when the ledger records a result, decided and replied through
   the real services, in one transaction, so its clock, events and result are those of any
   other case.

Limits are checked before the workbook is parsed: ``.xlsx`` only, at most 10 MB and 20,000 rows.

The package: :mod:`.workbook` reads the file and finds the header, :mod:`.cells` parses one
cell (pure functions), :mod:`.service` previews and imports.
"""

from gongkai.applications.ledger_import.cells import (
    DATE_FORMATS_HINT,
    parse_applicant_type,
    parse_channel,
    parse_date,
    parse_delivery,
    parse_result,
)
from gongkai.applications.ledger_import.service import (
    MAX_REPORTED_ERRORS,
    ON_DUPLICATE_LABELS,
    Duplicate,
    ImportResult,
    LedgerImportError,
    OnDuplicate,
    RowError,
    find_duplicates,
    ledger_duplicates,
    ledger_import,
    ledger_preview,
)
from gongkai.applications.ledger_import.workbook import (
    FIELD_LABELS,
    HEADER_SCAN_ROWS,
    HEADER_WORDS,
    MAX_BYTES,
    MAX_ROWS,
    PREVIEW_ROWS,
    REQUIRED,
    Field,
    LedgerError,
    Preview,
)

__all__ = [
    "DATE_FORMATS_HINT",
    "FIELD_LABELS",
    "HEADER_SCAN_ROWS",
    "HEADER_WORDS",
    "MAX_BYTES",
    "MAX_REPORTED_ERRORS",
    "MAX_ROWS",
    "ON_DUPLICATE_LABELS",
    "PREVIEW_ROWS",
    "REQUIRED",
    "Duplicate",
    "Field",
    "ImportResult",
    "LedgerError",
    "LedgerImportError",
    "OnDuplicate",
    "Preview",
    "RowError",
    "find_duplicates",
    "ledger_duplicates",
    "ledger_import",
    "ledger_preview",
    "parse_applicant_type",
    "parse_channel",
    "parse_date",
    "parse_delivery",
    "parse_result",
]
