"""Why an upload is refused as a whole (the file: not a workbook, too large, with macros or
formulas, …), or one of its rows before it is sent (a cell too long to keep): each a class with
its stable code, as every refusal of the registry is, so the Chinese catalogue has its message.
Nothing is recorded when any of them is raised."""

from __future__ import annotations

from domain.shared.errors import DomainError


class UploadRefused(DomainError):
    """The uploaded file cannot be taken; ``detail``: where (a cell, a header), when known."""

    code = "upload_refused"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(f"{self.code}: {detail}" if detail else self.code, field="file")
        self.detail = detail


class UploadMissing(UploadRefused):
    """No file came with the form."""

    code = "upload_missing"


class UploadEmpty(UploadRefused):
    """The file holds no bytes at all."""

    code = "upload_empty"


class UploadTooLarge(UploadRefused):
    """Over 5 MB, or unpacking to more than the limit (a zip bomb), or too many parts."""

    code = "upload_too_large"


class UploadNotXlsx(UploadRefused):
    """Not an .xlsx workbook: another extension, a CSV or anything else renamed."""

    code = "upload_not_xlsx"


class UploadCorrupt(UploadRefused):
    """A zip or workbook that cannot be read (damaged, or XML that is not XML)."""

    code = "upload_corrupt"


class UploadHasMacros(UploadRefused):
    """A workbook with macros (vbaProject.bin, a macro-enabled content type)."""

    code = "upload_has_macros"


class UploadHasFormulas(UploadRefused):
    """A cell holds a formula: its value is what a spreadsheet would compute."""

    code = "upload_has_formulas"


class UploadTooManyRows(UploadRefused):
    """More filled rows than one upload takes, or more rows than are read."""

    code = "upload_too_many_rows"


class UploadHeadersMissing(UploadRefused):
    """The first row lacks a required column's header."""

    code = "upload_headers_missing"


class UploadNoRows(UploadRefused):
    """No row of the file is filled in."""

    code = "upload_no_rows"


class UploadExpired(UploadRefused):
    """The preview is no longer kept (30 minutes, or the server restarted)."""

    code = "upload_expired"


class CellTimeInvalid(UploadRefused):
    """A time cell that reads as no time of day (11:30, a time cell, a fraction of a day)."""

    code = "upload_time_invalid"


class CellTooLong(UploadRefused):
    """A row with a cell over the length any value may have; the row is refused."""

    code = "text_too_long"
