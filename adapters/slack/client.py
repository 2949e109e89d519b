"""The Web API client every Slack path shares: base URL from settings, retries on 429s."""

from __future__ import annotations

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.settings import SlackSettings
from bot import metrics

#: Seconds one Web API call may take.
API_TIMEOUT = 15


class CountedRateLimitRetries(AsyncRateLimitErrorRetryHandler):
    """Waits out ``Retry-After`` on a 429, as slack_sdk's own handler does, and counts every 429."""

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None and response.status_code == 429:
            metrics.record_rate_limited("slack")
        return await super().can_retry_async(state=state, request=request, response=response, error=error)


def make_web_client(settings: SlackSettings, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """An ``AsyncWebClient`` that waits out ``Retry-After`` on 429s and retries dropped connections.

    Bolt copies these retry handlers, and ``session``, into the per-request client it gives
    listeners: with one session every post reuses its connections instead of opening one each.
    """
    return AsyncWebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=API_TIMEOUT,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            CountedRateLimitRetries(max_retry_count=3),
        ],
    )
