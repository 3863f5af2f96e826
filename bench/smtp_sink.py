"""A counting SMTP sink on loopback for the sending benchmark: accepts every
message, keeps nothing, and prints the running total once a second.

    .venv/bin/python bench/smtp_sink.py PORT
"""

from __future__ import annotations

import sys
import time

from aiosmtpd.controller import Controller


class Count:
    total = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        Count.total += len(envelope.rcpt_tos)
        return "250 OK"


if __name__ == "__main__":
    controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    try:
        while True:
            print(Count.total, flush=True)
            time.sleep(1)
    finally:
        controller.stop()
