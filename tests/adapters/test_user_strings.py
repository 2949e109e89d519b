"""No adapter writes a user-facing sentence of its own: everything a user reads goes through the
catalogue (``bot.chat.i18n``).

An AST scan of each adapter module: every argument given to a call that reaches a user (print, a
stream's write, the shell's say; Slack's ack/respond/chat_postMessage, Discord's send_message…)
must not contain words in a string literal, an f-string's literal parts, or a module constant —
unless it comes from a catalogue call (``tr``, ``ntr``, ``error_text``, ``help_text``…). Error
classes built with an f-string are flagged too (an f-string cannot be a message id). Adding
``adapters/slack`` and ``adapters/discord`` to ``SCANNED`` covers them once they are wired.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCANNED = ["adapters/shell", "adapters/cli.py", "adapters/slack", "adapters/discord"]
#: Calls whose arguments a user reads.
SPEAKERS = {
    "print",
    "say",
    "write",
    "reply",
    "ack",
    "respond",
    "send",
    "send_message",
    "edit_original_response",
    "followup",
    "chat_postMessage",
    "chat_postEphemeral",
    "chat_update",
    "_whisper",
    "exit",
}
#: Calls whose result is already in the reader's language.
CATALOGUE = {
    "tr",
    "ntr",
    "error_text",
    "user_message",
    "help_text",
    "help_lines",
    "help_footer",
    "working",
    "describe",
    "message",
    "note_text",
    "translator_line",
    "language_name",
    "render_report",
    "render_text",
    "render_markdown",
    "render_point_replies",
    "render_digest",
    "handle",
    "json_for_terminal",
    "label",
}
#: Calls that pass their argument through (their argument is what is shown).
WRAPPERS = {"for_terminal", "_printable", "str", "join"}
#: Keyword arguments that are not shown (print's file=, end=…).
NOT_SHOWN = {
    "file",
    "end",
    "sep",
    "flush",
    "response_type",
    "replace_original",
    "ephemeral",
    "channel",
    "user",
    "parse",  # Slack's chat.postMessage option ("none"), not text
}
#: Words that are names, not sentences: the program and command words, which are never translated.
NAMES = re.compile(r"briefbot|/brief\b|/quit|\bthread\b|https?://\S+")
WORDS = re.compile(r"[A-Za-z]{2,}|[\u3400-\u9fff]")


@dataclass(frozen=True)
class Finding:
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r}"


def speaks(text: str) -> bool:
    return WORDS.search(NAMES.sub("", text)) is not None


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


class Scanner(ast.NodeVisitor):
    def __init__(self, path: Path, tree: ast.Module) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.constants: dict[str, ast.expr] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.constants[node.targets[0].id] = node.value

    def where(self, node: ast.AST) -> str:
        name = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path.name
        return f"{name}:{getattr(node, 'lineno', '?')}"

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        if name in SPEAKERS:
            for arg in node.args:
                self.check(arg, node)
            for keyword in node.keywords:
                if keyword.arg not in NOT_SHOWN:
                    self.check(keyword.value, node)
        if name.endswith("Error") and node.args and isinstance(node.args[0], ast.JoinedStr):
            if any(isinstance(v, ast.Constant) and speaks(str(v.value)) for v in node.args[0].values):
                self.findings.append(Finding(self.where(node), ast.unparse(node.args[0])))
        self.generic_visit(node)

    def check(self, expr: ast.expr, call: ast.Call, seen: frozenset[str] = frozenset()) -> None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            if speaks(expr.value):
                self.findings.append(Finding(self.where(call), expr.value))
        elif isinstance(expr, ast.JoinedStr):
            for value in expr.values:
                if isinstance(value, ast.FormattedValue):
                    self.check(value.value, call, seen)
                else:
                    self.check(value, call, seen)
        elif isinstance(expr, ast.BinOp):
            self.check(expr.left, call, seen)
            self.check(expr.right, call, seen)
        elif isinstance(expr, ast.IfExp):
            self.check(expr.body, call, seen)
            self.check(expr.orelse, call, seen)
        elif isinstance(expr, ast.Name) and expr.id in self.constants and expr.id not in seen:
            value = self.constants[expr.id]
            if isinstance(value, ast.Call) and _name(value.func) == "N_":  # marked, but shown untranslated
                self.findings.append(Finding(self.where(call), f"{expr.id} is shown without tr()"))
            else:
                self.check(value, call, seen | {expr.id})
        elif isinstance(expr, ast.Call):
            name = _name(expr.func)
            if name in CATALOGUE:
                return
            if name in WRAPPERS:
                for arg in expr.args:
                    self.check(arg, call, seen)


def scan(path: Path) -> list[Finding]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    scanner = Scanner(path, tree)
    scanner.visit(tree)
    return scanner.findings


def scanned_files() -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        path = ROOT / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def test_no_adapter_writes_a_sentence_outside_the_catalogue():
    findings = [str(f) for path in scanned_files() for f in scan(path)]
    assert findings == []


@pytest.mark.parametrize(
    "source, found",
    [
        ('print("Working on it…")', ["Working on it…"]),
        ('self.say(f"Removed schedule {id}.")', ["Removed schedule "]),
        ('sys.stderr.write("briefbot: " + "interrupted.")', ["interrupted."]),
        ('GREETING = "hello there"\nprint(for_terminal(GREETING))', ["hello there"]),
        ('GREETING = N_("hello there")\nprint(GREETING)', ["GREETING is shown without tr()"]),
        ('await ack(text="請稍候", response_type="ephemeral")', ["請稍候"]),
        ('raise ConfigError(f"There is no schedule {x}.")', ["f'There is no schedule {x}.'"]),
        ('print(tr(locale, "Working on it…"))', []),
        ('print(f"briefbot: {error_text(exc, locale)}")', []),
        ('print(f"{model.pair}\\t{model.version}")', []),
        ('print(for_terminal(f"{spec.id} → {o.channel}: {o.status}"))', []),
        ('raise ConfigError("There is no schedule {id}.", id=x)', []),
    ],
)
def test_the_scan_finds_literal_sentences(tmp_path, source, found):
    path = tmp_path / "probe.py"
    path.write_text(source + "\n", encoding="utf-8")
    assert [f.text for f in scan(path)] == found
