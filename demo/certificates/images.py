"""Drawn demo seal and signature images (Pillow), so the demo certificate looks complete."""

import io
import math

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from certificates.rendering import FONTS_DIR


def _png(image: PILImage.Image, name: str) -> ImageFile:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return ImageFile(io.BytesIO(buffer.getvalue()), name=name)


def seal_png(text: str = "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI") -> ImageFile:
    """A round red seal with the issuer's name around a star."""
    size, red = 360, (200, 30, 30, 215)
    image = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, size - 6, size - 6), outline=red, width=10)
    draw.ellipse((70, 70, size - 70, size - 70), outline=red, width=5)
    centre, outer, inner = size / 2, 70, 28
    star = [
        (
            centre + (outer if i % 2 == 0 else inner) * math.sin(i * math.pi / 5),
            centre - (outer if i % 2 == 0 else inner) * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(str(FONTS_DIR / "BeVietnamPro-Bold.ttf"), 24)
    step = 2 * math.pi / (len(text) + 6)
    for index, letter in enumerate(text):
        angle = -math.pi / 2 - (len(text) - 1) * step / 2 + index * step
        glyph = PILImage.new("RGBA", (40, 40), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((20, 20), letter, font=font, fill=red, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=PILImage.BICUBIC)
        x = centre + 140 * math.cos(angle) - 20
        y = centre + 140 * math.sin(angle) - 20
        image.alpha_composite(glyph, (int(x), int(y)))
    return _png(image, "con-dau-demo.png")


def signature_png() -> ImageFile:
    """A pen-like flourish standing in for a signature."""
    width, height = 420, 150
    image = PILImage.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [
        (20 + t * 3.8, 80 - 45 * math.sin(t / 9) * math.exp(-t / 140) + 14 * math.sin(t / 2.3))
        for t in range(100)
    ]
    draw.line(points, fill=(20, 40, 120, 255), width=5, joint="curve")
    draw.line([(60, 120), (380, 105)], fill=(20, 40, 120, 255), width=4)
    return _png(image, "chu-ky-demo.png")
