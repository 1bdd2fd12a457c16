"""Shell scripts as logical command lines, shared by the shell, CI and Dockerfile parsers.

:func:`split_script` cuts a script (a :class:`~feedlint.parsers.textmap.MappedText`) into
logical lines the way a POSIX shell reads them: a backslash-newline joins lines (and is
dropped), a newline inside quotes or ``$( )`` does not end the command, ``#`` at the start
of a word starts a comment, and ``<<WORD`` / ``<<-WORD`` here-documents take the lines
after the command up to ``WORD``. The PowerShell dialect uses the backtick as escape and
continuation, ``@" "@`` here-strings and ``<# #>`` block comments.

:func:`run_script` turns each logical line into a :class:`~feedlint.model.Command` and
runs :func:`~feedlint.parsers.commands.extract_command` on it. A here-document fed to a
shell (``bash <<EOF``; a Dockerfile ``RUN <<EOF``) is read as more commands; one written
to a packaging file (``cat > /etc/pip.conf <<EOF``) is parsed as that file; other
here-documents (a Python script, a message) are data and are not read as commands.
"""

from __future__ import annotations

import re
from typing import Optional

from feedlint.lazyre import lazy_compile
from feedlint.model import Command, FileKind, FileModel, Location
from feedlint.parsers.commands import Token, extract_command, program_name, split_words
from feedlint.parsers.embedded import embedded_kind, parse_embedded
from feedlint.parsers.textmap import MappedText
from feedlint.record import Record, field

__all__ = ["SHELLS", "Heredoc", "Logical", "Write", "file_writes", "run_script", "split_script"]

#: Programs that read a script from standard input.
SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "busybox"})
_MAX_DEPTH = 8
#: programs that hand their standard input to a shell named later on their command line
_REMOTE = frozenset({"ssh", "docker", "podman", "kubectl", "su", "nsenter", "chroot"})
_HEREDOC_WORD = lazy_compile(r"""[A-Za-z_'"\\]""")
_SPECIAL_SH = lazy_compile(r"[\\'\"`#\n$()<]")
_SPECIAL_PS = lazy_compile(r"[`'\"#\n$()<@]")
_QUOTED_SH = lazy_compile(r"[\\\"`]")
_QUOTED_PS = lazy_compile(r"[`\"]")
_SINGLE_END = lazy_compile("'")
_ONLY_HEREDOCS = lazy_compile(r"^(\s*\d*<<-?\s*\S+)+\s*$")


class Heredoc(Record):
    """A here-document: ``op`` is the offset of ``<<`` in the logical line's text,
    ``body`` the ``(start, end)`` offsets of its lines in the script text."""

    word: str
    strip_tabs: bool
    op: int
    body: list[tuple[int, int]] = field(default_factory=list)
    terminated: bool = False


class Logical(Record):
    text: MappedText
    heredocs: list[Heredoc]


class Write(Record, frozen=True):
    """A file a command writes (``> path``, ``tee path``, a here-document to a path)."""

    dest: str
    location: Location
    kind: Optional[FileKind]
    inline: bool  # the content is in this file (here-document)


def _heredoc_word(text: str, i: int) -> tuple[str, int]:
    """The here-document delimiter starting at ``text[i]`` (quotes removed) and the
    offset after it."""
    n = len(text)
    buf: list[str] = []
    while i < n and text[i] not in " \t\n;&|<>()":
        ch = text[i]
        if ch in "'\"":
            close = text.find(ch, i + 1)
            if close == -1 or "\n" in text[i:close]:
                break
            buf.append(text[i + 1 : close])
            i = close + 1
            continue
        if ch == "\\" and i + 1 < n:
            buf.append(text[i + 1])
            i += 2
            continue
        buf.append(ch)
        i += 1
    return "".join(buf), i


def _read_bodies(text: str, i: int, pending: list[Heredoc]) -> int:
    n = len(text)
    for doc in pending:
        while i < n:
            nl = text.find("\n", i)
            end = n if nl == -1 else nl
            line = text[i:end]
            if (line.lstrip("\t") if doc.strip_tabs else line) == doc.word:
                doc.terminated = True
                i = end + 1
                break
            doc.body.append((i, end))
            i = end + 1
    return i


def split_script(src: MappedText, dialect: str = "sh") -> list[Logical]:
    """Logical lines of a script (see the module docstring). Never raises."""
    text = src.text
    n = len(text)
    ps = dialect == "ps"
    esc = "`" if ps else "\\"
    special = _SPECIAL_PS if ps else _SPECIAL_SH
    quoted_special = _QUOTED_PS if ps else _QUOTED_SH
    out: list[Logical] = []
    i = 0
    while i < n:
        cur = MappedText()
        pending: list[Heredoc] = []
        run = i
        quote: Optional[str] = None
        depth = 0
        while i < n:
            # jump over ordinary characters
            if quote is None:
                m = special.search(text, i)
            elif quote == "'":
                m = _SINGLE_END.search(text, i)
            else:
                m = quoted_special.search(text, i)
            if m is None:
                i = n
                break
            i = m.start()
            ch = text[i]
            if quote == "'":
                quote = None
                i += 1
                continue
            if ch == esc and (quote is None or quote == '"'):
                if i + 1 < n and text[i + 1] == "\n":
                    cur.add_from(src, run, i)
                    i += 2
                    run = i
                else:
                    i += 2
                continue
            if quote is not None:
                if ch == quote:
                    quote = None
                i += 1
                continue
            if ch == "\n":
                if depth > 0:
                    i += 1
                    continue
                break
            prev = text[i - 1] if i > 0 else "\n"
            if ch == "#" and prev in " \t\n;&|()":
                cur.add_from(src, run, i)
                nl = text.find("\n", i)
                i = n if nl == -1 else nl
                run = i
                continue
            if ps and text.startswith("<#", i):
                cur.add_from(src, run, i)
                close = text.find("#>", i + 2)
                i = n if close == -1 else close + 2
                run = i
                continue
            if (
                ps
                and ch == "@"
                and text[i + 1 : i + 2] in ("'", '"')
                and text[i + 2 : i + 3] == "\n"
            ):
                close = text.find("\n" + text[i + 1] + "@", i + 2)
                i = n if close == -1 else close + 3
                continue
            if ch in "'\"" or (ch == "`" and not ps):
                quote = ch
                i += 1
                continue
            if ch == "$" and text[i + 1 : i + 2] == "(":
                depth += 1
                i += 2
                continue
            if ch == ")" and depth > 0:
                depth -= 1
                i += 1
                continue
            if not ps and depth == 0 and text.startswith("<<", i) and not text.startswith("<<<", i):
                j = i + 2
                strip = text[j : j + 1] == "-"
                if strip:
                    j += 1
                while j < n and text[j] in " \t":
                    j += 1
                if j < n and _HEREDOC_WORD.match(text[j]):
                    word, end = _heredoc_word(text, j)
                    if word:
                        op = len(cur) + (i - run)
                        pending.append(Heredoc(word, strip, op))
                        i = end
                        continue
            i += 1
        i = min(i, n)
        cur.add_from(src, run, i)
        if i < n:
            i += 1  # the newline
        if pending:
            i = _read_bodies(text, i, pending)
        out.append(Logical(cur, pending))
    return out


# -- reading commands -------------------------------------------------------------
_SKIP_HEAD = frozenset(
    {"sudo", "env", "exec", "time", "nohup", "command", "then", "do", "else", "if", "!", "{"}
)
_ASSIGN = lazy_compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def _head(words: list[Token]) -> list[Token]:
    """The words of a simple command from its program on (assignments, wrappers and
    redirections skipped)."""
    i = 0
    while i < len(words):
        w = words[i].text
        if (
            _ASSIGN.match(w)
            or w in _SKIP_HEAD
            or w.startswith(("<", ">"))
            or re.match(r"^\d*[<>]", w)
        ):
            i += 1
            continue
        if w.startswith("-") and i > 0 and words[i - 1].text in ("sudo", "env"):
            i += 1
            continue
        break
    return words[i:]


def _simple_commands(text: str) -> list[list[Token]]:
    return split_words(text)


def _redirect_targets(words: list[Token], text: str) -> list[Token]:
    out: list[Token] = []
    for k, w in enumerate(words):
        raw = text[w.start : w.end]
        if raw in (">", ">>", "1>", "1>>") and k + 1 < len(words):
            out.append(words[k + 1])
        elif re.match(r"^(1)?>>?[^>&]", raw):
            strip = len(re.match(r"^(1)?>>?", raw).group(0))  # type: ignore[union-attr]
            out.append(Token(w.text[strip:], w.start + strip, w.end))
    return out


def _tee_targets(words: list[Token]) -> list[Token]:
    head = _head(words)
    if not head or program_name(head[0].text) != "tee":
        return []
    return [w for w in head[1:] if not w.text.startswith("-")]


def _quoted(text: str, offset: int) -> int:
    """1 when a word starting at ``offset`` opens with a quote (its content starts after)."""
    return 1 if text[offset : offset + 1] in ("'", '"') else 0


def file_writes(cmd: Command) -> list[tuple[str, Location]]:
    """Files the command line writes through ``>``/``>>`` redirections or ``tee``."""
    out: list[tuple[str, Location]] = []
    if ">" not in cmd.text and "tee" not in cmd.text:
        return out
    for words in _simple_commands(cmd.text):
        for tok in _redirect_targets(words, cmd.text) + _tee_targets(words):
            if tok.text and not tok.text.startswith("/dev/"):
                start = tok.start + _quoted(cmd.text, tok.start)
                out.append((tok.text, cmd.locate(start)))
    return out


def _heredoc_consumer(text: str, op: int) -> tuple[str, list[Token], list[Token]]:
    """(``empty``/``shell``/``data``, the simple command holding the here-document,
    the simple command after it when they are joined by a pipe)."""
    commands = _simple_commands(text)
    for k, words in enumerate(commands):
        if words and words[0].start <= op < words[-1].end + 1:
            nxt: list[Token] = []
            if k + 1 < len(commands) and commands[k + 1]:
                between = text[words[-1].end : commands[k + 1][0].start].strip()
                if between == "|":
                    nxt = commands[k + 1]
            head = [w for w in _head(words) if not w.text.startswith("<<")]
            if not head:
                return "empty", words, nxt
            if program_name(head[0].text) in _REMOTE:  # `ssh host bash -s`, `docker exec -i c sh`
                at = next((n for n, w in enumerate(head) if program_name(w.text) in SHELLS), None)
                if at is not None:
                    head = head[at:]
            if program_name(head[0].text) in SHELLS and not any(
                re.match(r"^-[A-Za-z]*c[A-Za-z]*$", w.text) for w in head[1:]
            ):
                return "shell", words, nxt
            piped = _head(nxt)
            if piped and program_name(piped[0].text) in SHELLS and len(piped) == 1:
                return "shell", words, nxt  # `cat <<EOF | bash`
            return "data", words, nxt
    return "empty", [], []


def _shebang_shell(first_line: str) -> Optional[bool]:
    """Whether a ``#!`` line names a shell (``None`` when there is no ``#!``)."""
    if not first_line.startswith("#!"):
        return None
    parts = first_line[2:].split()
    if not parts:
        return True
    prog = program_name(parts[0])
    if prog == "env" and len(parts) > 1:
        prog = program_name(parts[1])
    return prog in SHELLS


def _body_text(src: MappedText, doc: Heredoc) -> MappedText:
    body = MappedText()
    for k, (start, end) in enumerate(doc.body):
        if k:
            body.add_virtual("\n")
        if doc.strip_tabs:
            line = src.text[start:end]
            start += len(line) - len(line.lstrip("\t"))
        body.add_from(src, start, end)
    return body


def run_script(
    src: MappedText,
    fm: FileModel,
    origin: str,
    *,
    secret_mounts: tuple[str, ...] = (),
    dialect: str = "sh",
    empty_is_script: bool = False,
    depth: int = 0,
) -> list[Write]:
    """Record every logical command of ``src`` in ``fm`` (see the module docstring) and
    return the files the script writes."""
    writes: list[Write] = []
    echoed: dict[str, list[tuple[int, int, str]]] = {}
    for logical in split_script(src, dialect):
        text = logical.text.strip()
        direct: list[tuple[str, Location]] = []
        if text.text and not _ONLY_HEREDOCS.match(text.text):
            cmd = text.command(fm.path, origin, secret_mounts)
            fm.commands.append(cmd)
            extract_command(cmd, fm)
            direct = file_writes(cmd)
            if direct:
                _echo_lines(cmd, echoed)
        inline: list[Write] = []
        for doc in logical.heredocs:
            inline.extend(
                _heredoc(src, logical, doc, fm, origin, secret_mounts, empty_is_script, depth)
            )
        seen = {w.location for w in inline if w.inline}
        writes.extend(
            Write(dest, loc, embedded_kind(dest), False) for dest, loc in direct if loc not in seen
        )
        writes.extend(inline)
    for dest, lines in echoed.items():
        numbers = [n for n, _, _ in lines]
        kind = embedded_kind(dest)
        if kind is not None and len(set(numbers)) == len(numbers):  # one echo per line
            parse_embedded(fm, kind, lines)
    return writes


def _echo_lines(cmd: Command, echoed: dict[str, list[tuple[int, int, str]]]) -> None:
    """Collect the lines that ``echo "key = value" >> /etc/pip.conf`` commands write into a
    pip configuration file (``>`` starts it afresh), located at the echoed text."""
    for words in _simple_commands(cmd.text):
        targets = _redirect_targets(words, cmd.text)
        head = _head(words)
        if len(targets) != 1 or not head or program_name(head[0].text) != "echo":
            continue
        dest = targets[0].text
        if embedded_kind(dest) is not FileKind.PIP_CONF:
            continue  # credential files written by echo are judged as writes elsewhere
        redirect = {id(w) for w in words if w.start >= targets[0].start or w.end > targets[0].start}
        args = [w for w in head[1:] if id(w) not in redirect and not w.text.startswith(">")]
        escapes = False
        while args and args[0].text in ("-n", "-e", "-E", "-ne", "-en"):
            escapes = escapes or "e" in args[0].text
            args = args[1:]
        if not args or escapes or any("\\n" in w.text for w in args):
            continue  # `echo -e "a\\nb"`: the lines are not where the text is
        loc = cmd.locate(args[0].start + _quoted(cmd.text, args[0].start))
        raw = cmd.text[targets[0].start - 3 : targets[0].start]
        lines = echoed.setdefault(dest, [])
        if ">>" not in raw:
            lines.clear()
        lines.append((loc.line, loc.column, " ".join(w.text for w in args)))


def _heredoc(
    src: MappedText,
    logical: Logical,
    doc: Heredoc,
    fm: FileModel,
    origin: str,
    secret_mounts: tuple[str, ...],
    empty_is_script: bool,
    depth: int,
) -> list[Write]:
    if not doc.body:
        return []
    full = logical.text.text
    kind, words, piped = _heredoc_consumer(full, doc.op)
    first = src.text[doc.body[0][0] : doc.body[0][1]]
    if kind == "empty" and empty_is_script:
        shebang = _shebang_shell(first)
        kind = "shell" if shebang is None or shebang else "data"
    if kind == "shell":
        if depth >= _MAX_DEPTH:
            return []
        return run_script(
            _body_text(src, doc),
            fm,
            origin,
            secret_mounts=secret_mounts,
            empty_is_script=False,
            depth=depth + 1,
        )
    if kind != "data":
        return []
    targets = _redirect_targets(words, full) + _tee_targets(words) + _tee_targets(piped)
    out: list[Write] = []
    for tok in targets:
        if not tok.text or tok.text.startswith("/dev/"):
            continue
        line, col = logical.text.locate(tok.start + _quoted(full, tok.start))
        file_kind = embedded_kind(tok.text)
        out.append(Write(tok.text, Location(fm.path, line, col), file_kind, True))
        if file_kind is not None:
            lines = []
            for start, end in doc.body:
                body_line = src.text[start:end]
                strip = len(body_line) - len(body_line.lstrip("\t")) if doc.strip_tabs else 0
                ln, c = src.locate(start)
                lines.append((ln, c + strip, body_line[strip:]))
            parse_embedded(fm, file_kind, lines)
    return out
