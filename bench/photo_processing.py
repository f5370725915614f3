"""Server cost of one photo: validate, turn upright, downscale, stamp, re-encode, thumbnail.

Two inputs: a 12-megapixel camera JPEG (what arrives if a phone skips its own downscale) and the
1600-px JPEG the field app sends. Prints a Markdown table; nothing is stored.

    .venv/bin/python bench/photo_processing.py
"""
import io
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app.photos import images  # noqa: E402

RUNS = 7


def camera_image():
    # Noise over a gradient compresses like a real photo (a flat image would be unrealistically small).
    base = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    noise = Image.effect_noise((4000, 3000), 24).convert("RGB")
    return Image.blend(base, noise, 0.35)


def encoded(image, quality):
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def measure(raw):
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = images.process(raw, "GD2611250007  2026-11-25 14:30")
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(result.jpeg), len(result.thumbnail)


def main():
    print("| input | input KB | median ms | stored KB | thumbnail KB |")
    print("|---|--:|--:|--:|--:|")
    camera = camera_image()
    inputs = (
        ("12 MP camera JPEG 4000×3000", encoded(camera, 90)),
        ("as the field app sends it: 1600×1200, quality 0.8", encoded(camera.resize((1600, 1200)), 80)),
    )
    for label, raw in inputs:
        ms, stored, thumb = measure(raw)
        print(f"| {label} | {len(raw) / 1024:.0f} | {ms * 1000:.0f} | {stored / 1024:.0f} | {thumb / 1024:.0f} |")


if __name__ == "__main__":
    main()
