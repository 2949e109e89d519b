"""The Web API client every Slack path shares: base URL from settings, retries on 429s."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.settings import SlackSettings

#: Seconds one Web API call may take.
API_TIMEOUT = 15


def make_web_client(settings: SlackSettings) -> AsyncWebClient:
    """An ``AsyncWebClient`` that waits out ``Retry-After`` on 429s and retries dropped connections.

    Bolt copies these retry handlers into the per-request client it gives listeners.
    """
    return AsyncWebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=API_TIMEOUT,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )
