"""Bearer-token check for the write endpoints; without a configured token the server is read-only."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from pausewatch.settings import Settings

READ_ONLY = ("this server is read-only: start it with --token or set PAUSEWATCH_API_TOKEN to allow "
             "uploads and reviews")
bearer = HTTPBearer(auto_error=False, description="The token given to `pausewatch serve --token`.")


def token_matches(given: str, expected: str) -> bool:
    """Constant-time comparison, so response timing does not reveal how much of a guess was right."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def check_token(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> None:
    """403 when writes are off or the token is wrong, 401 when no bearer token was sent."""
    if not settings.api_token:
        raise HTTPException(status.HTTP_403_FORBIDDEN, READ_ONLY)
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "send the token as 'Authorization: Bearer TOKEN'",
                            headers={"WWW-Authenticate": "Bearer"})
    if not token_matches(credentials.credentials, settings.api_token):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "wrong token")


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """FastAPI dependency guarding every write endpoint."""
    check_token(request.app.state.settings, credentials)


WriteAccess = Depends(require_token)
