"""The chat room: the ``/brief …`` language every adapter speaks.

``commands`` parses what a user typed, ``schedule`` carries out ``/brief schedule …``
and ``briefer`` briefs a command off the event loop and words its failures.
"""
