"""Storage stage: SQLite by default, PostgreSQL for teams; re-ingesting a document changes nothing."""

from pausewatch.store.repository import ArticleSummary, Grade, ReviewAction, ReviewRecord, Store

__all__ = ["ArticleSummary", "Grade", "ReviewAction", "ReviewRecord", "Store"]
