"""What the Slack tests share: the fake Slack Web API on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from fakes.slack_api import FakeSlack


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    yield fake
    await fake.close()
