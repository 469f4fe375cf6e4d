"""The pausewatch command line: thin typer commands over importable, tested functions."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .errors import PausewatchError
from .model import Rejected
from .runner import RunSummary, run
from .scale import Processor, dask_processor
from .settings import DATA_DIR, Settings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console(stderr=True)
DEMO_DIR = DATA_DIR / "demo"

DbOption = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL of the store (default sqlite).")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="TOML file of settings.")]
ModelOption = Annotated[str | None, typer.Option("--model", help="spaCy pipeline to use.")]
GazetteerOption = Annotated[
    list[Path] | None, typer.Option("--gazetteer", help="Extra gazetteer JSON file (repeatable), added to the default.")
]


def _settings(config: Path | None, gazetteers: list[Path] | None = None, **overrides: object) -> Settings:
    try:
        settings = load_settings(config, **overrides)
    except (OSError, ValueError) as exc:
        raise PausewatchError(f"cannot read settings: {exc}") from exc
    missing = [str(p) for p in gazetteers or [] if not p.is_file()]
    if missing:
        raise PausewatchError(f"gazetteer file not found: {', '.join(missing)}")
    return settings.model_copy(update={"gazetteers": [*settings.gazetteers, *(gazetteers or [])]})


def _fail(exc: PausewatchError) -> typer.Exit:
    console.print(f"[bold red]error:[/] {escape(str(exc))}")
    return typer.Exit(2)


def _print_summary(summary: RunSummary) -> None:
    table = Table(title="pausewatch run", show_header=False)
    table.add_row("documents read", str(summary.documents_read))
    table.add_row("new / already stored", f"{summary.documents_new} / {summary.documents_known}")
    table.add_row("rejected", str(len(summary.rejected)))
    table.add_row("events", str(summary.events))
    table.add_row("contradictions", str(summary.contradictions))
    for name, path in sorted(summary.outputs.items()):
        table.add_row(name, escape(str(path)))
    console.print(table)
    _print_rejections(summary.rejected)


def _print_rejections(rejected: list[Rejected]) -> None:
    """One line per rejected input, taken as plain text whatever its name holds (markup, newlines)."""
    for r in rejected:
        console.print(Text(f"rejected: {_one_line(r.source)}: {r.reason}: {_one_line(r.detail)}"), soft_wrap=True)


def _one_line(text: str) -> str:
    """Control characters (a newline in a file name) written as escapes, so a rejection stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _run_with_progress(
    sources: list[str], settings: Settings, out: Path, title: str, processor: Processor | None = None
) -> RunSummary:
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} docs"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("reading and extracting", total=None)
        summary = run(sources, settings, out, title, progress=lambda _, n: bar.advance(task, n), processor=processor)
    return summary


@app.command("run")
def run_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, article URLs or RSS/Atom feed URLs.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for briefing.html and exports.")] = Path("out"),
    db: DbOption = None,
    config: ConfigOption = None,
    model: ModelOption = None,
    title: Annotated[str, typer.Option(help="Title of the briefing.")] = "pausewatch briefing",
    allow_private_urls: Annotated[bool, typer.Option(help="Allow fetching loopback/private hosts.")] = False,
    processes: Annotated[
        int | None, typer.Option("--processes", min=1, help="Worker processes for parsing (default 1).")
    ] = None,
    dask: Annotated[
        str | None, typer.Option("--dask", help="Parse on a dask.distributed cluster: scheduler address.")
    ] = None,
) -> None:
    """Read reports, store what they claim, and write the briefing and exports."""
    try:
        settings = _settings(config, db_url=db, spacy_model=model, allow_private_urls=allow_private_urls or None,
                             processes=processes)
        with dask_processor(dask, settings) if dask else nullcontext(None) as processor:
            summary = _run_with_progress(paths, settings, out, title, processor)
    except PausewatchError as exc:
        raise _fail(exc) from None
    _print_summary(summary)
    if summary.rejected:
        raise typer.Exit(1)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo briefing.")] = Path("pausewatch-demo"),
) -> None:
    """Run the whole pipeline on the bundled fictional corpus and write a briefing."""
    out.mkdir(parents=True, exist_ok=True)
    settings = load_settings(
        None,
        db_url=f"sqlite:///{(out / 'demo.db').resolve()}",
        gazetteers=[DATA_DIR / "gazetteer.json", DEMO_DIR / "gazetteer.json"],
    )
    try:
        summary = _run_with_progress([str(DEMO_DIR / "reports")], settings, out, "Varsena humanitarian pause (demo)")
    except PausewatchError as exc:
        raise _fail(exc) from None
    _print_summary(summary)
    console.print(f"open {escape(str(summary.outputs.get('briefing.html', out / 'briefing.html')))}")


@app.command()
def extract(
    files: Annotated[list[str], typer.Argument(help="Documents to read.")],
    format: Annotated[str, typer.Option("--format", help="jsonl or json.")] = "jsonl",
    config: ConfigOption = None,
    model: ModelOption = None,
    gazetteer: GazetteerOption = None,
) -> None:
    """Print what each document claims, one JSON object per document (the gold format of FORMAT.md)."""
    from .extract_cmd import extract_records

    try:
        if format not in {"jsonl", "json"}:
            raise PausewatchError(f"unknown --format {format!r}: use jsonl or json")
        settings = _settings(config, gazetteer, spacy_model=model)
        records, rejected = extract_records(files, settings)
    except PausewatchError as exc:
        raise _fail(exc) from None
    if format == "json":
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    else:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    _print_rejections(rejected)


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path | None, typer.Argument(help="Gold JSONL file (FORMAT.md).")] = None,
    texts: Annotated[Path | None, typer.Option("--texts", help="Folder of the gold documents.")] = None,
    fakes: Annotated[Path | None, typer.Option("--fakes", help="A FA-KES-layout CSV to score.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    predictions: Annotated[Path | None, typer.Option("--predictions", help="Per-article predictions CSV.")] = None,
    config: ConfigOption = None,
    model: ModelOption = None,
    gazetteer: GazetteerOption = None,
) -> None:
    """Score extraction against a gold file, or against a FA-KES CSV."""
    from .eval.report import print_fakes, print_gold, run_fakes, run_gold

    try:
        settings = _settings(config, gazetteer, spacy_model=model)
        if fakes is not None:
            print_fakes(run_fakes(fakes, settings, predictions), as_json)
        elif gold is not None:
            print_gold(run_gold(gold, texts or gold.parent, settings), as_json)
        else:
            raise PausewatchError("give a gold file (pausewatch eval GOLD.jsonl --texts DIR) or --fakes FILE.csv")
    except PausewatchError as exc:
        raise _fail(exc) from None


TOKEN_HELP = "Bearer token for uploads and reviews (or PAUSEWATCH_API_TOKEN); without one, read-only."


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option("--token", help=TOKEN_HELP)] = None,
    config: ConfigOption = None,
    model: ModelOption = None,
    allow_private_urls: Annotated[bool, typer.Option(help="Allow fetching loopback/private hosts.")] = False,
) -> None:
    """Serve the dashboard and HTTP API over the store (SQLite or PostgreSQL)."""
    import uvicorn

    from .web.app import create_app

    try:
        settings = _settings(config, db_url=db, spacy_model=model, api_token=token,
                             allow_private_urls=allow_private_urls or None)
        web_app = create_app(settings)
    except PausewatchError as exc:
        raise _fail(exc) from None
    mode = "uploads and reviews need the token" if settings.api_token else "read-only (no token)"
    console.print(f"pausewatch serving {settings.db_url.split('@')[-1]} on http://{host}:{port}/ ({mode})")
    uvicorn.run(web_app, host=host, port=port, log_level="info")


if __name__ == "__main__":
    app()
