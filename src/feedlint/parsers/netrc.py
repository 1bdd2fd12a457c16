"""``.netrc`` / ``_netrc`` and ``.git-credentials``.

``.netrc`` is read as curl and Python's :mod:`netrc` read it: whitespace-separated
tokens (newlines are whitespace, ``"quoted tokens"`` with backslash escapes), ``machine
NAME`` or ``default`` starting an entry with ``login``/``user``, ``password`` and
``account`` values, ``macdef NAME`` followed by a macro body up to an empty line, and
``#`` comments to the end of the line. Each password becomes a
:class:`~feedlint.model.Credential` (kind ``netrc``, key ``password``, ``host`` the machine
or ``default``) located at the password's first character.

Tokens outside any entry make Python's :mod:`netrc` (and so pip/requests) reject the whole
file: FL001. Unknown tokens inside an entry (``port``, ``protocol`` used by
git-credential-netrc) are skipped with their value, as curl does. A keyword with nothing
after it at the end of the file is FL001 too.

``.git-credentials`` holds one ``https://user:token@host`` URL a line; the URL scan every
file gets finds its secrets, so its parser only counts the entries (``facts["entries"]``)
and never fails (git ignores lines it cannot read).
"""

from __future__ import annotations

from typing import Optional

from feedlint.model import Credential, FileKind, FileModel, SourceFile

__all__ = ["parse"]

_KEYWORDS = frozenset({"machine", "default", "macdef", "login", "user", "password", "account"})
_ENTRY = frozenset({"machine", "default", "macdef"})


class _Lexer:
    """Tokens with the 1-based line and column of their first character."""

    def __init__(self, lines: tuple[str, ...]) -> None:
        self.lines = lines
        self.line = 0  # 0-based index
        self.col = 0

    def _char(self) -> Optional[str]:
        while self.line < len(self.lines):
            text = self.lines[self.line]
            if self.col < len(text):
                return text[self.col]
            if self.col == len(text):
                return "\n"
            self.line += 1
            self.col = 0
        return None

    def _advance(self) -> None:
        text = self.lines[self.line]
        if self.col >= len(text):
            self.line += 1
            self.col = 0
        else:
            self.col += 1

    def skip_line(self) -> None:
        self.line += 1
        self.col = 0

    def _until(self, stop: str) -> str:
        """The characters up to one of ``stop`` (not consumed); ``\\`` takes the next
        character as it is."""
        buf: list[str] = []
        ch = self._char()
        while ch is not None and ch not in stop:
            if ch == "\\":
                self._advance()
                ch = self._char()
                if ch is None:
                    break
            buf.append(ch)
            self._advance()
            ch = self._char()
        return "".join(buf)

    def token(self) -> Optional[tuple[str, int, int]]:
        ch = self._char()
        while ch is not None and ch in " \t\r\n":
            self._advance()
            ch = self._char()
        if ch is None:
            return None
        if ch == '"':
            self._advance()
            line, col = self.line + 1, self.col + 1
            text = self._until('"')
            if self._char() == '"':
                self._advance()
            return text, line, col
        line, col = self.line + 1, self.col + 1
        return self._until(" \t\r\n"), line, col

    def macro_body(self) -> None:
        """Skip a ``macdef`` body: the lines up to an empty line."""
        if self.line < len(self.lines) and self.col >= len(self.lines[self.line]):
            self.skip_line()
        elif self.line < len(self.lines):
            self.skip_line()  # the rest of the macdef line
        while self.line < len(self.lines) and self.lines[self.line] != "":
            self.skip_line()
        self.skip_line()


def _netrc(source: SourceFile, fm: FileModel) -> None:
    lexer = _Lexer(source.lines)
    host: Optional[str] = None  # the current entry
    login = ""  # the current entry's login
    pending: Optional[tuple[str, int, int]] = None
    while True:
        tok = pending or lexer.token()
        pending = None
        if tok is None:
            return
        text, line, col = tok
        if text.startswith("#"):
            lexer.skip_line()
            continue
        if text in ("machine", "macdef"):
            name = lexer.token()
            if name is None:
                fm.problem(f"`{text}` without a name at the end of the file", line, col)
                return
            if text == "macdef":
                host = None
                lexer.macro_body()
            else:
                host = name[0]
            login = ""
            continue
        if text == "default":
            host = "default"
            login = ""
            continue
        if text in ("login", "user", "password", "account"):
            value = lexer.token()
            if value is None:
                fm.problem(f"`{text}` without a value at the end of the file", line, col)
                return
            if host is None:
                fm.problem(
                    f"`{text}` outside a `machine` entry: Python's netrc rejects the file",
                    line,
                    col,
                )
            if text in ("login", "user"):
                login = value[0].lower()
            # anonymous FTP: the password is, by convention, an e-mail address
            if text == "password" and login not in ("anonymous", "ftp"):
                fm.credentials.append(
                    Credential(
                        value[0],
                        "netrc",
                        fm.loc(value[1], value[2]),
                        source.kind,
                        key="password",
                        host=host or "",
                    )
                )
            continue
        if host is None:
            fm.problem(
                "unexpected token outside a `machine` entry: Python's netrc rejects the file",
                line,
                col,
            )
            continue
        # an unknown keyword inside an entry (`port 443`): skip it and its value
        nxt = lexer.token()
        if nxt is not None and nxt[0] in _KEYWORDS:
            pending = nxt


def _git_credentials(source: SourceFile, fm: FileModel) -> None:
    entries = 0
    for text in source.lines:
        stripped = text.strip()
        if "://" in stripped and "@" in stripped:
            entries += 1
    fm.facts["entries"] = entries


def parse(source: SourceFile) -> FileModel:
    """Parse a ``.netrc`` or ``.git-credentials`` file (see the module docstring)."""
    fm = FileModel(source)
    if source.kind is FileKind.GIT_CREDENTIALS:
        _git_credentials(source, fm)
    else:
        _netrc(source, fm)
    return fm
