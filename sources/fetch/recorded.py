"""The recorded twin of the live fetcher: store fetches on disk, then serve them offline the way the site would."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

from sources.fetch.interface import FetchError, Fetcher, FetchResult, NotRecorded
from sources.fetch.pacing import Clock, SystemClock


class ResponseStore:
    """A directory with one '<key>.json' (metadata) and one '<key>.body' (raw bytes) per URL, keyed by the URL's hash."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)

    def key(self, url: str) -> str:
        """Return the file stem for a URL: the SHA-256 of the URL."""
        return hashlib.sha256(url.encode("utf-8")).hexdigest()

    def save(self, result: FetchResult) -> None:
        """Store a result under its requested URL, replacing any earlier one."""
        self.directory.mkdir(parents=True, exist_ok=True)
        stem = self.directory / self.key(result.url)
        if result.body is None:
            stem.with_suffix(".body").unlink(missing_ok=True)
        else:
            _write_atomically(stem.with_suffix(".body"), result.body)
        metadata = json.dumps(_metadata(result), ensure_ascii=False, indent=2)
        _write_atomically(stem.with_suffix(".json"), metadata.encode("utf-8"))

    def load(self, url: str) -> FetchResult:
        """Return the stored result for a URL, its text decoded afresh from the stored bytes."""
        stem = self.directory / self.key(url)
        try:
            meta = json.loads(stem.with_suffix(".json").read_bytes())
        except FileNotFoundError:
            raise NotRecorded(url, f"no recorded response in {self.directory}") from None
        fetched_at = datetime.fromisoformat(meta["fetched_at"])
        if meta["error"] is not None:
            return FetchResult(url, meta["final_url"], meta["status"], meta["headers"], fetched_at,
                               attempts=meta["attempts"], error=meta["error"])
        body = stem.with_suffix(".body").read_bytes()
        result = FetchResult.from_body(url, meta["final_url"], meta["status"], meta["headers"], body, fetched_at,
                                       meta["attempts"])
        if result.sha256 != meta["sha256"]:
            raise ValueError(f"{stem.with_suffix('.body')}: body does not match the SHA-256 recorded for {url}")
        return result


class RecordedFetcher:
    """Serve fetches from a ResponseStore: recorded failures raise again, matching validators get a 304."""

    def __init__(self, directory: Path | str, *, clock: Clock | None = None):
        self.store = ResponseStore(directory)
        self._clock = clock or SystemClock()

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Return the recorded result for the URL, as a 304 when the validators match it."""
        result = self.store.load(url)
        result.raise_for_error()
        if result.matches(etag, last_modified):
            return result.as_not_modified(self._clock.now())
        return result


class RecordingFetcher:
    """Fetch through another fetcher and store every outcome, failures included, for RecordedFetcher to replay."""

    def __init__(self, fetcher: Fetcher, directory: Path | str, *, clock: Clock | None = None):
        self.fetcher = fetcher
        self.store = ResponseStore(directory)
        self._clock = clock or SystemClock()

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Fetch and record; a 304 is not stored, so the recording keeps the full page it refers to."""
        try:
            result = self.fetcher.fetch(url, etag=etag, last_modified=last_modified)
        except FetchError as error:
            self.store.save(FetchResult.failed(url, error, self._clock.now()))
            raise
        if result.status != 304:
            self.store.save(result)
        return result


def _metadata(result: FetchResult) -> dict:
    """Return what is stored beside the body; text and encoding are not, as they follow from body and headers."""
    return {
        "url": result.url,
        "final_url": result.final_url,
        "status": result.status,
        "headers": dict(result.headers),
        "fetched_at": result.fetched_at.isoformat(),
        "sha256": result.sha256,
        "attempts": result.attempts,
        "error": result.error,
    }


def _write_atomically(path: Path, data: bytes) -> None:
    """Write through a temporary file so a reader never sees half a recording."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.replace(temporary, path)
