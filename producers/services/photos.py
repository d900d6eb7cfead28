"""Photos of the work done, cleaned on the server before they are kept: turned upright, reduced to at most
1600 px, saved again as JPEG with no metadata, except the place (GPS) when the person who sent the photo
agreed to keep it. A phone's photo carries the camera, the owner's name, the date and often the place of
a family's house: nothing is kept that the person did not choose."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 12 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # refuse decompression bombs well before Pillow's own limit


@dataclass
class PhotoData:
    content: bytes
    keep_gps: bool = False
    name: str = ""


@dataclass
class CleanPhoto:
    file: ContentFile
    width: int
    height: int
    gps_kept: bool


def photo_clean(photo: PhotoData) -> CleanPhoto:
    """The photo resized and stripped: a ContentFile ready for an ImageField."""
    if not photo.content or len(photo.content) > MAX_BYTES:
        raise ValidationError(_("Each photo must be an image of up to 12 MB."))
    try:
        with Image.open(io.BytesIO(photo.content)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("Each photo must be an image of up to 12 MB."))
            probe.verify()
        image = Image.open(io.BytesIO(photo.content))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("Each photo must be a JPEG or PNG image.")) from None
    gps = {}
    if photo.keep_gps:
        gps = dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))
    image = ImageOps.exif_transpose(image)  # upright, so the orientation tag is not needed
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    options = {"format": "JPEG", "quality": 82, "optimize": True}
    if gps:
        exif = Image.Exif()
        exif[ExifTags.IFD.GPSInfo] = gps
        options["exif"] = exif.tobytes()
    image.save(out, **options)
    name = f"{get_random_string(16).lower()}.jpg"
    return CleanPhoto(
        file=ContentFile(out.getvalue(), name=name),
        width=image.width,
        height=image.height,
        gps_kept=bool(gps),
    )
