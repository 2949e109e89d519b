"""Discord adapter: the ``/brief`` application command, channel posts and discussion threads.

Built on discord.py. Inside this package ``import discord`` is the library (imports are
absolute); our own modules are ``adapters.discord.<name>``.
"""
