"""QR code for TOTP enrolment as inline SVG (presentation attributes only, so CSP-safe)."""

import qrcode
import qrcode.image.svg
from markupsafe import Markup


def qr_svg(data: str) -> Markup:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return Markup(image.to_string(encoding="unicode"))  # built from our own URI, not from user HTML
