"""Text of attachments for the search index: .docx (paragraphs and tables), .pdf (text layer), .txt.

Images and video carry no text we can read without OCR, which this system does not attempt; their captions are
part of the item's body anyway."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django.utils.translation import gettext as _

#: Enough text for search; a 300-page PDF attachment does not need all of its pages indexed.
TEXT_MAX = 100_000


def extract_text(name: str, data: bytes) -> tuple[str, str]:
    """(text, note): the note says why there is no text, for the attachment's record."""
    ext = PurePath(name).suffix.lower()
    try:
        if ext == ".docx":
            return _docx(data)[:TEXT_MAX], ""
        if ext == ".pdf":
            return _pdf(data)[:TEXT_MAX], ""
        if ext == ".txt":
            for encoding in ("utf-8", "gb18030"):
                try:
                    return data.decode(encoding)[:TEXT_MAX], ""
                except UnicodeDecodeError:
                    continue
            return "", _("文本文件编码无法识别")
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
        return "", _("无法读取文件内容：%(error)s") % {"error": str(exc)[:120]}
    return "", _("该类型的附件不提取文字")


def _docx(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join((page.extract_text() or "") for page in reader.pages)
    except PdfReadError as exc:
        raise ValueError(str(exc)) from exc
