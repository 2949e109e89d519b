"""The translate room: the other language for what the text room selected.

``base`` is the ``Translator`` interface; ``glossary`` (with ``cedict``, the dictionary) is
the offline default; ``llm`` is the OpenAI-compatible backend; ``choose`` picks one.
"""
