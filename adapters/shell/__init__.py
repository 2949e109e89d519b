"""The shell adapter: the whole bot in a terminal, no token needed."""
