"""JSON shapes and upload forms of exports and of the import of a draft."""

from __future__ import annotations

from fastapi import UploadFile
from pydantic import BaseModel, Field

from app.fields import NameInput
from app.schemas.common import Shape


class ImportUpload(BaseModel):
    """The import form: the file(s) and what they do not say themselves."""

    file: UploadFile = Field(description="A .md (UTF-8) or .docx file")
    file2: UploadFile | None = Field(
        default=None, description="Optional: the other language, block by block"
    )
    lang: str = Field(default="de", max_length=10, description="Language of `file`: de or fr")
    title_de: NameInput = ""
    title_fr: NameInput = ""


class ImportedParagraphOut(Shape):
    kind: str
    de: str
    fr: str


class ImportPreviewOut(Shape):
    title_de: str
    title_fr: str
    paragraphs: list[ImportedParagraphOut]
