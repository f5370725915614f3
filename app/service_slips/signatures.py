"""A signature as drawn on the phone: a PNG, small, with some ink on it.

The PNG is kept byte for byte (its hash is in the signed content), so it is checked here by
decoding it fully, but not re-encoded; the PDF renderer redraws it from its pixels
(`pdf.printable_signature`), so nothing but the image reaches a printed page.
"""
import io

from PIL import Image, ImageOps

MAX_BYTES = 300 * 1024
MAX_SIDE = 2000
INK_THRESHOLD = 96  # how much darker than the white paper a pixel must be to count as ink
MIN_INK_PIXELS = 30


def check_signature(png):
    """:raise ValueError: with the reason in Chinese."""
    if not png:
        raise ValueError("缺少签名")
    if len(png) > MAX_BYTES:
        raise ValueError("签名图片过大")
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            if max(image.size) > MAX_SIDE:
                raise ValueError("签名图片尺寸过大")
            image.load()
            ink = _ink_pixels(image)
    except (OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise ValueError("签名不是有效的 PNG 图片") from error
    if ink < MIN_INK_PIXELS:
        raise ValueError("签名是空白的,请重新签名")


def _ink_pixels(image):
    on_paper = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA"))
    darkness = ImageOps.invert(on_paper.convert("L"))
    return sum(darkness.point(lambda v: 255 if v > INK_THRESHOLD else 0).histogram()[255:])

