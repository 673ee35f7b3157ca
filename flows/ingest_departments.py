"""Prefect flow `ingest_departments`: read and parse each department file, validate it, load it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.runtime import flow_run

from contracts.catalogue import gazetteer, metric_catalogue
from contracts.department import Validated, validate_department
from contracts.department_mappings import department_mappings
from sources.departments import ParsedFile, UnreadableFile, parse_department_file
from flows.run_checks import checks_after_load
from flows.settings import AlertSettings
from flows.tasks import prepare_warehouse
from warehouse import CompactFile, LoadResult, ReceivedFile, Submission, Warehouse, WarehouseBusy, writing
from warehouse.loads import compacted_while

DEPARTMENT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods")


def _retry_on_io(task, task_run, state) -> bool:
    """Retry only what can succeed on a second try: I/O errors, not bad content."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file, for the run summary."""

    source: str
    status: str
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    message: str | None = None


@task(retries=2, retry_delay_seconds=[1, 5], retry_condition_fn=_retry_on_io, cache_policy=NONE)
def read_and_parse(path: str) -> tuple[CompactFile, ParsedFile | None, str | None]:
    """Read a file's bytes (retried on I/O errors) and parse them; an unreadable file returns its reason.

    The file comes back compacted: once parsed, only its hash and its bytes as they will be stored are held.
    """
    received = ReceivedFile(Path(path).name, Path(path).read_bytes())
    compact, (parsed, reason) = compacted_while(received, lambda: parse_received(received))
    return compact, parsed, reason


def parse_received(received: ReceivedFile) -> tuple[ParsedFile | None, str | None]:
    """Parse a received file's bytes with the catalogues and mappings; an unreadable file gives its reason."""
    try:
        parsed = parse_department_file(
            received.name, received.content, gazetteer=gazetteer(), metrics=metric_catalogue(),
            mappings=department_mappings(),
        )
    except UnreadableFile as error:
        return None, str(error)
    return parsed, None


@task(cache_policy=NONE)
def validate(parsed: ParsedFile) -> Validated:
    """Check every row against the department contract, collecting every failure."""
    return validate_department(parsed.frame, parsed.headers, parsed.structure)


def submission_of(parsed: ParsedFile, department: str | None) -> Submission:
    """Identify the file as a department's report: --department, else its mapping; its district; its period."""
    return Submission(department or parsed.department, parsed.district_id, parsed.report_period)


@task(retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=_retry_on_io, cache_policy=NONE)
def load(
    target: str, received: CompactFile, validated: Validated, submission: Submission, notes: tuple[str, ...], strict: bool
) -> LoadResult:
    """Load one file in one transaction (retried on I/O errors such as a briefly locked warehouse)."""
    with Warehouse(target) as wh:
        if strict and validated.rows_quarantined:
            message = f"--strict: {validated.rows_quarantined} row(s) failed the contract; the file was not loaded"
            return wh.record_failure(received, message, flow="ingest_departments", flow_run_id=flow_run.id,
                                     findings=validated.findings)
        return wh.load_department_file(
            received, valid=validated.valid, findings=validated.findings, rows_in=validated.rows_in,
            rows_quarantined=validated.rows_quarantined, rows_skipped=validated.rows_skipped,
            submission=submission, message="; ".join(notes) or None,
            flow_run_id=flow_run.id,
        )


@task(cache_policy=NONE)
def record_unreadable(target: str, received: CompactFile, reason: str) -> LoadResult:
    """Keep an unreadable file's bytes and record why it was refused."""
    with Warehouse(target) as wh:
        return wh.record_failure(received, reason, flow="ingest_departments", flow_run_id=flow_run.id)


def expand_paths(paths: list[str]) -> list[str]:
    """Expand folders into the department files they hold, sorted; missing paths are an error."""
    files = []
    for item in map(Path, paths):
        if item.is_dir():
            files += sorted(str(p) for p in item.iterdir() if p.suffix.lower() in DEPARTMENT_SUFFIXES)
        elif item.exists():
            files.append(str(item))
        else:
            raise FileNotFoundError(f"{item}: no such file or folder")
    return files


@flow(name="ingest_departments", log_prints=False)
def ingest_departments(
    paths: list[str], warehouse: str, strict: bool = False, department: str | None = None,
    lock_wait: float | None = None, alerts: AlertSettings | None = None, checks: bool = True,
) -> list[dict]:
    """Ingest department files into the warehouse; one file's failure never stops the others.

    Every file's rows_in = rows_loaded + rows_quarantined + rows_skipped (totals, headings, empty cells).
    The whole run holds the warehouse's writer lock (waiting up to `lock_wait` seconds for another run) and
    readers see its result only when it is complete. Then the data-quality checks run (unless `checks` is off:
    a flow that loads more runs them once at its end) and their alerts go out by `alerts`.
    """
    logger = get_run_logger()
    files = expand_paths(paths)
    try:
        with writing(warehouse, wait=lock_wait, purpose=f"ingest_departments run {flow_run.id}"):
            outcomes = _ingest(files, warehouse, strict, department, logger)
            if checks:
                checks_after_load(warehouse, alerts, logger)
            return outcomes
    except WarehouseBusy as busy:
        logger.warning("ingest_departments skipped: %s", busy)
        return [asdict(FileOutcome(Path(path).name, "skipped", message=str(busy))) for path in files]


def _ingest(files: list[str], warehouse: str, strict: bool, department: str | None, logger) -> list[dict]:
    prepare_warehouse(warehouse)
    outcomes = []
    for path in files:
        started = datetime.now(UTC)
        received, parsed, reason = read_and_parse(path)
        if parsed is None:
            result = record_unreadable(warehouse, received, reason)
        else:
            validated = validate(parsed)
            submission, notes = submission_of(parsed, department), parsed.notes
            del parsed  # the typed figures are in `validated`; free the parsed frame before loading
            result = load(warehouse, received, validated, submission, notes, strict)
        outcome = FileOutcome(result.source, result.status, result.rows_in, result.rows_loaded,
                              result.rows_quarantined, result.rows_skipped, result.message)
        logger.info(
            "%s: %s — %d rows in, %d loaded, %d quarantined, %d skipped (%.2fs)%s",
            outcome.source, outcome.status, outcome.rows_in, outcome.rows_loaded, outcome.rows_quarantined,
            outcome.rows_skipped,
            (datetime.now(UTC) - started).total_seconds(), f" — {outcome.message}" if outcome.message else "",
        )
        outcomes.append(asdict(outcome))
    totals = {key: sum(o[key] for o in outcomes) for key in ("rows_in", "rows_loaded", "rows_quarantined", "rows_skipped")}
    logger.info("ingest_departments: %d file(s); %s", len(outcomes), totals)
    return outcomes
