"""QR codes decode, with a real decoder, to exactly the URL they were made for."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from app.core.qrcodes import qr_png, qr_svg

TOKEN_URL = (
    "https://buergeramt.heidelberg.example/c/"
    "AWMZ2Jfm47ZhlNmS-TIdVm75AAAAAJoYNgb5YAzzHUWzwLBMwu3Rjo6GUlqL-ry2yP9y4YjedusSXv1KFAa2Tr"
    "CNbExUvRNNyvG8A277ddP9Td6K_AQ"
)
SVG = "{http://www.w3.org/2000/svg}"
PIXELS_PER_UNIT = 6


def _decoded(image: Image.Image) -> list[tuple[str, str]]:
    return [(result.format.name, result.text) for result in zxingcpp.read_barcodes(image)]


def _render_svg(svg: str) -> Image.Image:
    """Draw the SVG with Pillow: qrcode writes each module as a square of M/H/V…z steps."""
    root = ET.fromstring(svg)  # noqa: S314 — our own output, not untrusted input
    _x, _y, width, height = (float(part) for part in root.attrib["viewBox"].split())
    size = (round(width * PIXELS_PER_UNIT), round(height * PIXELS_PER_UNIT))
    image = Image.new("L", size, 0)  # black where nothing is drawn: a missing background shows
    draw = ImageDraw.Draw(image)
    for rect in root.iter(f"{SVG}rect"):
        assert (rect.attrib["width"], rect.attrib["height"], rect.attrib["fill"]) == (
            "100%",
            "100%",
            "white",
        )
        draw.rectangle((0, 0, *size), fill=255)
    for path in root.iter(f"{SVG}path"):
        for shape in re.findall(r"M[^M]*", path.attrib["d"]):
            corners = _corners(shape)
            xs = sorted({x for x, _y in corners})
            ys = sorted({y for _x, y in corners})
            assert len(corners) == 4 and len(xs) == 2 and len(ys) == 2, shape
            # Pillow fills both edges of a box; the SVG square ends where the next begins.
            box = (xs[0] * PIXELS_PER_UNIT, ys[0] * PIXELS_PER_UNIT)
            end = (xs[1] * PIXELS_PER_UNIT - 1, ys[1] * PIXELS_PER_UNIT - 1)
            draw.rectangle((*box, *end), fill=0)
    return image


def _corners(shape: str) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    x = y = 0.0
    for command, value in re.findall(r"([MHVz])([\d.,]*)", shape):
        if command == "M":
            x, y = (float(part) for part in value.split(","))
        elif command == "H":
            x = float(value)
        elif command == "V":
            y = float(value)
        else:
            break
        points.append((x, y))
    return points


def test_the_png_decodes_to_the_token_url() -> None:
    image = Image.open(io.BytesIO(qr_png(TOKEN_URL)))
    assert image.format == "PNG"
    assert _decoded(image) == [("QRCode", TOKEN_URL)]


def test_the_svg_decodes_to_the_token_url() -> None:
    svg = qr_svg(TOKEN_URL)
    assert svg.startswith("<svg") and "<script" not in svg
    assert _decoded(_render_svg(svg)) == [("QRCode", TOKEN_URL)]


@pytest.mark.parametrize(("kind", "module"), [("png", 8), ("svg", PIXELS_PER_UNIT)])
def test_the_code_keeps_a_white_quiet_zone_of_four_modules(kind: str, module: int) -> None:
    if kind == "png":
        image = Image.open(io.BytesIO(qr_png(TOKEN_URL))).convert("L")
    else:
        image = _render_svg(qr_svg(TOKEN_URL))
    border = 4 * module
    frame = [
        image.crop((0, 0, image.width, border)),
        image.crop((0, image.height - border, image.width, image.height)),
        image.crop((0, 0, border, image.height)),
        image.crop((image.width - border, 0, image.width, image.height)),
    ]
    assert all(part.getextrema() == (255, 255) for part in frame)
    finder_corner = image.crop((border, border, border + module, border + module))
    assert finder_corner.getextrema() == (0, 0)


def test_the_code_uses_error_correction_level_m() -> None:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(TOKEN_URL))))
    assert [result.ec_level for result in results] == ["M"]


def test_different_urls_give_different_codes() -> None:
    other = TOKEN_URL[:-1] + "A"
    assert qr_png(other) != qr_png(TOKEN_URL)
    assert _decoded(Image.open(io.BytesIO(qr_png(other)))) == [("QRCode", other)]
