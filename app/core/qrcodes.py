"""QR codes for token URLs, as SVG (for pages) and PNG (for printers and downloads).

Error correction M survives a smudged print or a scratched phone screen while keeping a
115-character token URL at a size a kiosk camera reads from arm's length. The quiet zone
of four modules is what the standard asks for; without it scanners miss the finder marks.
Both images carry a white background, so the code also scans on a page in dark mode.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.constants
import qrcode.image.pil
import qrcode.image.svg

QUIET_ZONE_MODULES = 4
PNG_PIXELS_PER_MODULE = 8
# The SVG backend counts a box of 10 as one millimetre: whole numbers in the path, and a
# size CSS can scale freely.
SVG_BOX_SIZE = 10


def _code(url: str, box_size: int) -> qrcode.QRCode:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=QUIET_ZONE_MODULES,
        box_size=box_size,
    )
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_svg(url: str) -> str:
    """An SVG document (one path on a white square) that encodes `url`."""
    image = _code(url, SVG_BOX_SIZE).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    svg: str = image.to_string(encoding="unicode")
    return svg


def qr_png(url: str) -> bytes:
    """A black-on-white PNG that encodes `url`."""
    image = _code(url, PNG_PIXELS_PER_MODULE).make_image(image_factory=qrcode.image.pil.PilImage)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
