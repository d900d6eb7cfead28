import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kallpanchis.core.pdf import render_pdf
from kallpanchis.core.uploads import DocumentValidator, PrivatePath


def test_real_pdf_and_png_are_accepted():
    validator = DocumentValidator()
    validator(SimpleUploadedFile("acta.pdf", b"%PDF-1.7\n...", content_type="application/pdf"))
    validator(SimpleUploadedFile("foto.PNG", b"\x89PNG\r\n\x1a\n....", content_type="image/png"))


def test_exe_renamed_pdf_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        DocumentValidator()(SimpleUploadedFile("acta.pdf", b"MZ\x90\x00\x03", content_type="application/pdf"))
    assert error.value.code == "wrong_type"


def test_oversize_file_is_refused():
    big = SimpleUploadedFile("acta.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        DocumentValidator(max_bytes=1024 * 1024)(big)
    assert error.value.code == "too_large"


def test_private_path_drops_the_person_s_file_name():
    path = PrivatePath("agreements")(None, "Convenio Anta firmado.PDF")
    assert path.startswith("private/agreements/") and path.endswith(".pdf") and "Convenio" not in path


def test_render_pdf_makes_a_pdf_and_refuses_outside_urls(tmp_path, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    (tmp_path / "t.html").write_text('<p>Acta</p><img src="http://169.254.169.254/x.png">')
    pdf = render_pdf("t.html", {})  # the outside image is refused, the PDF is still made
    assert pdf.startswith(b"%PDF-")


def test_render_pdf_embeds_our_static_files(tmp_path, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    (tmp_path / "s.html").write_text('<link rel="stylesheet" href="/static/css/app.css"><p>Acta</p>')
    assert render_pdf("s.html", {}).startswith(b"%PDF-")


def test_pdf_fetcher_refuses_anything_but_our_static_files():
    from kallpanchis.core.pdf import _static_only_fetcher

    fetcher = _static_only_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("http://169.254.169.254/latest/meta-data")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    css = fetcher.fetch("file:///static/css/app.css")
    assert b"--kallpanchis" in css.read()
    assert css.headers.get_content_type() == "text/css"
