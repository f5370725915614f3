"""Handwriting for demo slips: a pen stroke drawn the way a finger draws on the phone."""
import io
import math
import random

from PIL import Image, ImageDraw


def drawn_signature(seed, width=600, height=200):
    """A PNG of a flowing scribble, different for each seed, with transparent paper like the phone's canvas."""
    rng = random.Random(seed)
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    x, points = 40.0, []
    while x < width - 60:
        points.append((x, height / 2 + math.sin(x / rng.uniform(14, 30)) * rng.uniform(25, 60)))
        x += rng.uniform(6, 12)
    pen.line(points, fill=(20, 20, 60, 255), width=5, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
