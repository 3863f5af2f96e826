from __future__ import annotations

import logging
import time
from pathlib import Path

from django.core.cache import cache
from django.tasks import task
from django.utils import timezone

from importers.models import ImportRun
from importers.wxr import WXRError

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 1.0


@task
def run_import(run_id: int) -> str:
    """Import an uploaded export; progress goes to the cache (the import's own
    transaction is not visible to the admin until it ends), the report to the run."""
    from importers.services import import_wxr

    claimed = ImportRun.objects.filter(
        pk=run_id, status=ImportRun.Status.QUEUED
    ).update(status=ImportRun.Status.RUNNING)
    if not claimed:
        return "not queued"
    run = ImportRun.objects.get(pk=run_id)
    total = max(run.file.size, 1)
    last = [0.0]

    def progress(done: int, counts) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_SECONDS and done < total:
            return
        last[0] = now
        posts = sum(n for k, n in counts.items() if k.startswith("posts"))
        comments = sum(n for k, n in counts.items() if k.startswith("comments"))
        cache.set(
            run.progress_key,
            f"{100 * done // total}%: {posts:,} posts, {comments:,} comments",
            24 * 3600,
        )

    try:
        with run.file.open("rb") as stream:
            report = import_wxr(
                stream,
                media_dir=Path(run.media_dir) if run.media_dir else None,
                dry_run=run.dry_run,
                progress=progress,
            )
        run.status, run.report = ImportRun.Status.DONE, report.text()
    except WXRError as exc:
        run.status = ImportRun.Status.FAILED
        run.report = f"The file could not be imported: {exc}. Nothing was imported."
    except Exception:
        logger.exception("WordPress import %s failed", run_id)
        run.status = ImportRun.Status.FAILED
        run.report = "The import failed unexpectedly (see the server log). Nothing "
        "was imported."
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "report", "finished_at"])
    cache.delete(run.progress_key)
    return run.status
