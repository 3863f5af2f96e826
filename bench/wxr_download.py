"""Speed of import_wxr --download-media's fetching (importers/download.py).

    .venv/bin/python bench/wxr_download.py [--files 400] [--latency-ms 50]
        [--kb 120] [--workers 1,8]

A local http.server on 127.0.0.1 plays the old site: it serves --files JPEG
images of about --kb KiB each, every answer held back --latency-ms (a distant
server's round trip). Each worker count fetches them all into an empty folder
(the same checks as an import: address, size, content type, Pillow), then once
more into the same folder (the resumed run: nothing left to fetch). Prints
files/s, MB/s and the peak memory of this process.
"""

from __future__ import annotations

import argparse
import io
import ipaddress
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

from importers import download  # noqa: E402


def picture(kb: int) -> bytes:
    """A JPEG of about `kb` KiB (noise does not compress)."""
    side = 64
    while True:
        out = io.BytesIO()
        Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(
            out, "JPEG", quality=90
        )
        if out.tell() >= kb * 1024 or side > 4096:
            return out.getvalue()
        side = int(side * 1.3)


def serve(body: bytes, latency: float) -> ThreadingHTTPServer:
    class OldSite(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            time.sleep(latency)
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), OldSite)
    server.request_queue_size = 128
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--kb", type=int, default=120)
    parser.add_argument("--workers", default="1,8")
    args = parser.parse_args()
    body = picture(args.kb)
    server = serve(body, args.latency_ms / 1000)
    base = f"http://127.0.0.1:{server.server_address[1]}/wp-content/uploads"
    print(
        f"{args.files} files of {len(body) / 1024:.0f} KiB, "
        f"{args.latency_ms:g} ms per answer, load avg {os.getloadavg()[0]:.1f}"
    )
    print(f"{'workers':>7} {'run':>8} {'fetched':>7} {'s':>6} {'files/s':>8} "
          f"{'MB/s':>6}")  # fmt: skip
    for workers in [int(w) for w in args.workers.split(",")]:
        limits = download.Limits(
            workers=workers, allow_private=[ipaddress.ip_network("127.0.0.0/8")]
        )
        folder = Path(tempfile.mkdtemp(prefix="wxr-download-"))
        jobs = [
            (f"{base}/2024/{n % 12 + 1:02d}/photo-{n}.jpg",
             folder / f"2024/{n % 12 + 1:02d}/photo-{n}.jpg")
            for n in range(args.files)
        ]  # fmt: skip
        for run in ("first", "resumed"):
            started = time.perf_counter()
            result = download.fetch_all(jobs, limits)
            seconds = time.perf_counter() - started
            assert not result.failed, result.failed[:3]
            print(
                f"{workers:>7} {run:>8} {result.fetched:>7} {seconds:>6.2f} "
                f"{result.fetched / seconds:>8.1f} "
                f"{result.bytes / 2**20 / seconds:>6.1f}"
            )
        shutil.rmtree(folder)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")
    server.shutdown()


if __name__ == "__main__":
    main()
