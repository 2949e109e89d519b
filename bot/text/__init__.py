"""The text room: an article's text in, a ``Briefing`` out.

One module a step, in the order the data flows: ``load`` (``fetch``, ``netguard``) →
``clean`` → ``split`` → ``dedupe`` → ``analyse`` → ``rank`` → ``keywords``; ``pipeline``
ties them together (``summarize``) and hands the choice to the translator.
"""
