"""Who may change schedules from Slack: users listed in the config, and workspace admins."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Admins

log = logging.getLogger("briefbot.slack")


@dataclass(frozen=True, slots=True)
class SlackAdmins:
    """``AdminCheck`` for Slack: the listed users, and workspace admins and owners (``users.info``)."""

    client: AsyncWebClient
    admins: Admins

    async def is_admin(self, user: str) -> bool:
        if not user:
            return False
        if user in self.admins.slack_users:
            return True
        if not self.admins.slack_workspace_admins:
            return False
        return await _workspace_admin(self.client, user)


async def _workspace_admin(client: AsyncWebClient, user: str) -> bool:
    try:
        info = await client.users_info(user=user)
    except SlackApiError as exc:  # e.g. missing_scope without users:read: deny, and say why in the log
        data = exc.response.data
        reason = data.get("error") if isinstance(data, dict) else f"HTTP {exc.response.status_code}"
        log.warning("cannot check whether %s is a workspace admin (%s); treating them as not one", user, reason)
        return False
    profile = info.get("user") or {}
    return bool(profile.get("is_admin") or profile.get("is_owner") or profile.get("is_primary_owner"))
