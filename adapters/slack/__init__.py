"""Slack adapter: render a ``Briefing`` as Block Kit and deliver it with slack-bolt / slack_sdk.

The files follow the data: ``user_text`` (what Slack sends) → ``app`` (the /brief command and
mentions) → ``render`` and ``layout`` (Block Kit within Slack's limits) → ``deliver`` (Web API
calls). ``server`` runs it over HTTP or Socket Mode; ``post`` is ``briefbot post slack``.
"""
