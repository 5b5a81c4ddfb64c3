"""RFC 6238 TOTP through pyotp: 30 s steps, 6 digits, SHA-1 (what authenticator apps support)."""

import hmac
from datetime import datetime, timedelta

import pyotp

WINDOW = 1  # accept one step either side for clock drift and typing time


class PyOtpTotp:
    def new_secret(self) -> str:
        return pyotp.random_base32()  # 32 base32 characters = 160 bits

    def provisioning_uri(self, secret: str, account: str, issuer: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)

    def matching_step(self, secret: str, code: str, at: datetime) -> int | None:
        totp = pyotp.TOTP(secret)
        for offset in range(-WINDOW, WINDOW + 1):
            moment = at + timedelta(seconds=offset * totp.interval)
            if hmac.compare_digest(totp.at(moment), code):
                return totp.timecode(moment)
        return None
