"""Time-based one-time passwords (RFC 6238) for staff login, with replay protection."""

from __future__ import annotations

import time

import pyotp

ISSUER = "xuanren 选任"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def current_code(secret: str, at: float | None = None) -> str:
    return pyotp.TOTP(secret).at(at if at is not None else time.time())


def accepted_step(secret: str, code: str, last_step: int, at: float | None = None) -> int | None:
    """Return the 30-second step the code belongs to, or None if it is wrong or already used.

    One step of clock drift either way is tolerated; a code whose step is not newer than the last
    accepted one is refused, so an observed code cannot be replayed.
    """
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    now = at if at is not None else time.time()
    totp = pyotp.TOTP(secret)
    step_now = int(now // totp.interval)
    for offset in (0, -1, 1):
        step = step_now + offset
        if step > last_step and pyotp.utils.strings_equal(totp.at(step * totp.interval), code):
            return step
    return None
