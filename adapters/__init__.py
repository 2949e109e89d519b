"""Platform adapters: each renders the core's ``Briefing`` and delivers it; none summarises."""
