"""Comment benchmark on the embedded default (SQLite, file cache, uvicorn).

1. Throughput of an article page carrying 1,000 comments in one thread, with the
   page cache on and off.
2. Latency of posting comments while 100 concurrent readers read article pages
   (the target is p95 under 100 ms): once with readers who read (wrk with a Lua
   script: a page, then 0.5-1.5 s before the next, a fifth of the pages the busy
   article), once with
   100 connections loading the busy article back to back (wrk -c100, a stress
   test that saturates both cores).

    .venv/bin/python bench/comments.py [--seconds 20] [--posts 300]

Uses its own data folder (var/bench-comments/). All requests come from
127.0.0.1, so the per-address limits (flood, per hour) and the minimum writing
time are switched off for the run; everything else (CSRF, signed form time,
duplicate check, moderation rules, the notification task) runs as usual.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-comments"
PY = str(ROOT / ".venv" / "bin" / "python")
ENV = {**os.environ, "NEWSHUB_VAR_DIR": str(VAR), "NEWSHUB_ADMIN_PASSWORD": "bench"}
ENV.pop("DATABASE_URL", None)
ENV.pop("REDIS_URL", None)


def manage(*args: str, env: dict | None = None) -> str:
    out = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env or ENV, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout


PREPARE = """
from django.utils import timezone
from articles.models import Article
from comments.models import Comment, DiscussionSettings
from comments import services
from lib.html import text_to_html
from core.models import SiteSettings
d = DiscussionSettings.load()
d.min_seconds_to_submit = 0; d.flood_seconds = 0; d.max_per_hour = 0
d.hold_first_comment = False; d.close_after_days = 0; d.per_page = 50
d.thread_depth = 10; d.save()
article = Article.objects.published().newest_first()[5]
if not Comment.objects.filter(article=article).exists():
    root = Comment.objects.create(article=article, author_name="First reader",
        author_email="first@example.test", body="Opening the discussion.",
        status="approved")
    Comment.objects.bulk_create([Comment(article=article, parent=root, thread=root,
        depth=2, author_name=f"Reader {i}", author_email=f"r{i}@example.test",
        body=f"Reply number {i} with a few words about the story.",
        body_html=text_to_html(f"Reply number {i} with a few words about the story."),
        status="approved", content_hash=str(i)) for i in range(999)])
    services.recount([article.pk])
others = Article.objects.published().newest_first()[10:110]
with timezone.override(SiteSettings.load().tzinfo):
    print(json.dumps({"busy": article.get_absolute_url(), "busy_id": article.pk,
                      "others": [a.get_absolute_url() for a in others]}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(page_cache: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = ENV | {"PAGE_CACHE_SECONDS": str(page_cache)}
    proc = subprocess.Popen(
        [PY, "manage.py", "serve", "--port", str(port)], cwd=ROOT, env=env,
        stdout=open(VAR / "serve.log", "a"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz/", timeout=2)
            return proc, base
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start; see var/bench-comments/serve.log")


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=30)


def wrk(url: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = {"rps": float(out.split("Requests/sec:")[1].split()[0])}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("50%", "90%", "99%"):
            result[parts[0]] = parts[1]
    result["errors"] = "Non-2xx" in out or "Socket errors" in out
    return result


class Poster:
    """One reader's browser: a cookie jar, a CSRF token, a signed form time."""

    def __init__(self, base: str, article_id: int, number: int):
        self.base, self.article_id, self.number = base, article_id, number
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )
        self.token = json.load(self.opener.open(base + "/csrf/"))["token"]
        stamp = f"{base}/comments/stamp/{article_id}/"
        self.ts = json.load(self.opener.open(stamp))["ts"]

    def post_many(self, count: int) -> list[float]:
        """Post `count` comments, a person's pace apart (0.5-1.5 s)."""
        rng, times = random.Random(self.number), []
        for i in range(count):
            times.append(self.post(i))
            time.sleep(rng.uniform(0.5, 1.5))
        return times

    def post(self, i: int) -> float:
        data = urllib.parse.urlencode({
            "csrfmiddlewaretoken": self.token, "article": self.article_id,
            "ts": self.ts, "body": f"Benchmark remark {self.number}-{i}: the "
            "timeline and the map disagree on the second day.",
            "name": f"Poster {self.number}", "email": f"p{self.number}@example.test",
        }).encode()  # fmt: skip
        request = urllib.request.Request(self.base + "/comments/post/", data=data)
        request.add_header("Referer", self.base + "/")
        started = time.perf_counter()
        try:
            response = self.opener.open(request)
            status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        elapsed = time.perf_counter() - started
        if status != 302:
            raise RuntimeError(f"post answered {status}")
        return elapsed


BROWSE_LUA = """
local paths = {%s}
request = function()
  return wrk.format(nil, paths[math.random(#paths)])
end
delay = function()
  return math.random(500, 1500)  -- a reader reads for 0.5-1.5 s
end
"""


def measure_posting(base: str, plan: dict, args, *, saturate: bool):
    """Post comments while readers load pages; return (latencies, wall, reads/s)."""
    if saturate:
        command = ["wrk", "-t2", "-c100", "-d600s", base + plan["busy"]]
    else:
        paths = [plan["busy"]] * 20 + plan["others"][:80]
        script = VAR / "browse.lua"
        script.write_text(BROWSE_LUA % ", ".join(json.dumps(p) for p in paths))
        command = ["wrk", "-t2", "-c100", "-d600s", "-s", str(script), base + "/"]
    wrk_proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    time.sleep(3)
    posters = [Poster(base, plan["busy_id"], n + 10 * saturate) for n in range(4)]
    times: list[float] = []
    started = time.perf_counter()
    with ThreadPoolExecutor(len(posters)) as pool:
        per = args.posts // len(posters)
        for result in pool.map(lambda p: p.post_many(per), posters):
            times.extend(result)
    wall = time.perf_counter() - started
    wrk_proc.send_signal(signal.SIGINT)
    out = wrk_proc.communicate(timeout=60)[0]
    reads = float(out.split("Requests/sec:")[1].split()[0])
    return times, wall, reads


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--posts", type=int, default=120)
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    VAR.mkdir(parents=True, exist_ok=True)
    manage("bootstrap", "--articles", str(args.articles))
    plan = json.loads(manage("shell", "--no-imports", "-v", "0", "-c",
                             "import json\n" + PREPARE).strip())  # fmt: skip

    rows = []
    for cache_seconds, label in ((300, "page cache on"), (0, "page cache off")):
        proc, base = start_server(cache_seconds)
        try:
            r = wrk(base + plan["busy"], args.seconds, 16)
            rows.append((f"article with 1,000 comments, {label}", r))
        finally:
            stop_server(proc)

    proc, base = start_server(300)
    try:
        browsing = measure_posting(base, plan, args, saturate=False)
        saturated = measure_posting(base, plan, args, saturate=True)
    finally:
        stop_server(proc)

    print(f"Machine: {os.cpu_count()} cores, {platform.machine()}, "
          f"{date.today().isoformat()}; SQLite (WAL), file cache, uvicorn 2 workers "
          f"x 4 threads, db_worker running")  # fmt: skip
    print(f"Data: {args.articles} articles; the busy article has 1,000 comments\n")
    print("| what | requests/s | p50 | p90 | p99 | errors |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, r in rows:
        print(f"| {name} | {r['rps']:.0f} | {r['50%']} | {r['90%']} | {r['99%']} | "
              f"{'yes' if r['errors'] else 'none'} |")  # fmt: skip
    for label, (times, wall, reads) in (
        ("100 readers browsing (a page, then 0.5-1.5 s of reading)", browsing),
        ("100 connections reading the busy article back to back (wrk)", saturated),
    ):
        ms = [t * 1000 for t in times]
        print(
            f"\nPosting {len(ms)} comments (4 posters) with {label}; "
            f"{reads:.0f} page reads/s during the run:"
        )
        print(f"p50 {statistics.median(ms):.1f} ms, p95 {percentile(ms, 95):.1f} ms, "
              f"p99 {percentile(ms, 99):.1f} ms, max {max(ms):.1f} ms; "
              f"{len(ms) / wall:.0f} posts/s")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
