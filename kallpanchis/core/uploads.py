"""Uploaded documents (signed minutes, agreements, proposals): checked by content, kept out of reach.

A file is accepted only when its first bytes say it is what its name says (an .exe renamed .pdf is
refused) and it is under the size limit. Files are stored under MEDIA_ROOT with a random name and are
never served by URL: a view that has checked the reader's scope answers with `document_response`.
"""

import os
import uuid

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

SIGNATURES = {
    "pdf": ((b"%PDF-",), "application/pdf", (".pdf",)),
    "jpeg": ((b"\xff\xd8\xff",), "image/jpeg", (".jpg", ".jpeg")),
    "png": ((b"\x89PNG\r\n\x1a\n",), "image/png", (".png",)),
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def document_kind(name: str, head: bytes) -> str | None:
    """The kind of a file whose extension and first bytes agree, else None."""
    extension = os.path.splitext(name)[1].lower()
    for kind, (magics, _mime, extensions) in SIGNATURES.items():
        if extension in extensions and any(head.startswith(m) for m in magics):
            return kind
    return None


@deconstructible
class DocumentValidator:
    def __init__(self, kinds: tuple[str, ...] = ("pdf", "jpeg", "png"), max_bytes: int = DEFAULT_MAX_BYTES):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, upload) -> None:
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("The file is too large (%(size)s MB). The limit is %(limit)s MB."),
                code="too_large",
                params={"size": round(upload.size / 1048576, 1), "limit": self.max_bytes // 1048576},
            )
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(16)
        upload.seek(position)
        if document_kind(upload.name, head) not in self.kinds:
            allowed = ", ".join(k.upper() for k in self.kinds)
            raise ValidationError(
                _("This is not a valid %(allowed)s file. Save or scan it as %(allowed)s, then try again."),
                code="wrong_type",
                params={"allowed": allowed},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, DocumentValidator) and (self.kinds, self.max_bytes) == (
            other.kinds,
            other.max_bytes,
        )


@deconstructible
class PrivatePath:
    """upload_to: private/<folder>/<random>.<ext> — the person's file name never reaches the disk."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower()[:8]
        return f"private/{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, PrivatePath) and self.folder == other.folder


def document_response(field_file, download_name: str) -> FileResponse:
    """Serve a stored document to someone the calling view has already checked."""
    extension = os.path.splitext(field_file.name)[1].lower()
    mime = next(
        (m for _k, (_s, m, exts) in SIGNATURES.items() if extension in exts), "application/octet-stream"
    )
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=download_name + extension)
    response["Content-Type"] = mime
    response["Cache-Control"] = "private, no-store"
    return response


def _document_validator(form, name, field) -> "DocumentValidator | None":
    for validator in field.validators:
        if isinstance(validator, DocumentValidator):
            return validator
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is not None:
        try:
            model_field = model._meta.get_field(name)
        except Exception:  # a form field with no model field of that name
            return None
        for validator in model_field.validators:
            if isinstance(validator, DocumentValidator):
                return validator
    return None


def describe_documents(form) -> None:
    """Say on each document input what the server accepts, and let static/js/forms.js refuse a wrong or too
    big file in the browser before it is sent over a slow link (the validator still checks it): the
    `accept` list, `data-max-bytes` and the two messages, and a help text naming types and size."""
    from django.forms import FileField
    from django.utils.text import format_lazy

    for name, field in form.fields.items():
        if not isinstance(field, FileField):
            continue
        validator = _document_validator(form, name, field)
        if validator is None:
            continue
        kinds = [k for k in validator.kinds if k in SIGNATURES]
        names = ", ".join(k.upper() for k in kinds)
        megabytes = validator.max_bytes // 1048576
        accept = [ext for k in kinds for ext in SIGNATURES[k][2]] + [SIGNATURES[k][1] for k in kinds]
        field.widget.attrs.update(
            {
                "accept": ",".join(accept),
                "data-max-bytes": str(validator.max_bytes),
                "data-too-big": format_lazy(
                    _("This file is too large. The limit is {limit} MB."), limit=megabytes
                ),
                "data-wrong-type": format_lazy(_("Choose a {allowed} file."), allowed=names),
            }
        )
        if not field.help_text:
            field.help_text = format_lazy(_("{allowed}, up to {limit} MB."), allowed=names, limit=megabytes)
