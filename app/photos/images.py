"""Turning an uploaded photo into one we keep: checked by content, upright, small, stamped, no EXIF."""
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageDraw, ImageFile, ImageFont, ImageOps, UnidentifiedImageError

from app.errors import ValidationFailed

FORMATS = ("JPEG", "PNG", "WEBP")
MAX_PIXELS = 40_000_000  # a 12 MP phone photo is far below; a decompression bomb is far above
LONG_SIDE = 1600
THUMB_SIDE = 320
QUALITY = 80
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow refuses twice this outright, before decoding


@dataclass(frozen=True)
class Processed:
    jpeg: bytes
    thumbnail: bytes
    width: int
    height: int


def _open(raw: bytes):
    try:
        image = Image.open(BytesIO(raw), formats=FORMATS)  # reads the header only
        if image.width * image.height > MAX_PIXELS:
            raise ValidationFailed("照片像素过大。", {"file": ["超过 4000 万像素"]})
        _load_whole(image)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise ValidationFailed(
            "照片无法识别:只接受 JPEG、PNG 或 WebP 图片,且不超过 4000 万像素。", {"file": ["不是可用的图片"]}
        ) from error
    return image


def _load_whole(image):
    """Decode every pixel, refusing a truncated file. Pillow pads a truncated image with grey when the
    process-wide ImageFile.LOAD_TRUNCATED_IMAGES is on (WeasyPrint turns it on when imported): a photo
    is checked the same way whatever the process did before."""
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    image.load()


def _stamp(image, text):
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(14, image.width // 45))
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    pad = max(4, (bottom - top) // 3)
    y = image.height - (bottom - top) - 3 * pad
    draw.rectangle((0, y, right - left + 2 * pad, image.height), fill=(0, 0, 0))
    draw.text((pad, y + pad - top), text, fill=(255, 255, 255), font=font)


def _jpeg(image):
    out = BytesIO()
    image.save(out, "JPEG", quality=QUALITY, optimize=True)  # no exif= argument: EXIF and GPS are dropped
    return out.getvalue()


def process(raw: bytes, stamp: str) -> Processed:
    image = ImageOps.exif_transpose(_open(raw)).convert("RGB")
    image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    _stamp(image, stamp)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return Processed(_jpeg(image), _jpeg(thumbnail), image.width, image.height)
