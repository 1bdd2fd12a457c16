"""Dockerfile / Containerfile, read the way BuildKit's parser reads it.

* Parser directives: ``# escape=`` (backslash or backtick) and ``# syntax=`` at the very
  top, before any blank line, comment or instruction.
* Line continuations: the escape character as the last non-blank character joins the next
  line (both are dropped, nothing is inserted); comment lines and blank lines inside a
  continuation are dropped, as Docker does. Instructions are case-insensitive.
* ``ARG NAME[=default] ...`` -> :func:`apply_env` (origin ``docker-arg``, value ``None``
  without a default); ``ENV K=V ...`` and the legacy ``ENV K V`` -> origin ``docker-env``.
* ``RUN``: builder flags (``--mount``, ``--network``, ``--security``) are stripped;
  ``--mount=type=secret,id=x`` ids become the command's ``secret_mounts`` (details in
  ``facts["secret-mounts"]``). The shell form is read as a script (``# comment`` tails,
  here-documents: ``RUN <<EOF`` runs its body, ``RUN cat > /etc/pip.conf <<EOF`` writes
  a file that is parsed as such); the exec form ``RUN ["pip", "install", ...]`` has its
  JSON words joined. Every command goes through :func:`extract_command`.
* ``COPY``/``ADD`` of credential-bearing files (``pip.conf``, ``.pypirc``, ``.netrc`` ...)
  into the image -> ``facts["copies"]``; files a ``RUN`` writes -> ``facts["writes"]``;
  build stages -> ``facts["stages"]``.
* ``ONBUILD <instruction>`` is read as the instruction. Commented-out instructions are
  comments (the URL scan still sees their text).

FL001 for what makes ``docker build`` fail at parse time: an invalid escape directive,
an unterminated here-document, ``ENV`` without a value or without ``=``, a JSON array
holding non-strings, an unknown instruction.
"""

from __future__ import annotations

import re
from typing import Optional

from feedlint.kinds import basename
from feedlint.lazyre import lazy_compile
from feedlint.model import FileModel, SourceFile
from feedlint.parsers._shell import run_script
from feedlint.parsers.commands import apply_env
from feedlint.parsers.embedded import embedded_kind, parse_embedded
from feedlint.parsers.textmap import MappedText
from feedlint.redact import redact

__all__ = ["CREDENTIAL_FILES", "parse"]

#: File names that carry index credentials when baked into an image.
CREDENTIAL_FILES = frozenset(
    {
        "pip.conf",
        "pip.ini",
        ".pypirc",
        "pypirc",
        ".netrc",
        "_netrc",
        "auth.toml",
        ".git-credentials",
        ".npmrc",
    }
)

_DIRECTIVE = lazy_compile(r"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_INSTRUCTIONS = frozenset(
    """add arg cmd copy entrypoint env expose from healthcheck label maintainer onbuild run
    shell stopsignal user volume workdir""".split()
)
_TEMPLATE = lazy_compile(r"^\s*(\{\{|\{%|%%|\$\{|<%|@)")
_HEREDOC = lazy_compile(r"^(\d*)<<(-?)([^<]*)$")


class _Dockerfile:
    def __init__(self, source: SourceFile, fm: FileModel) -> None:
        self.source = source
        self.fm = fm
        self.lines = source.lines
        self.escape = "\\"
        self.dialect = "sh"
        self.stages: list[dict[str, object]] = []
        self.copies: list[dict[str, object]] = []
        self.writes: list[dict[str, object]] = []
        self.mounts: list[dict[str, object]] = []
        self.templated = any(_TEMPLATE.match(line) for line in self.lines)

    # -- reading ------------------------------------------------------------------
    def directives(self) -> int:
        """Read parser directives; return the index of the first line after them."""
        seen: set[str] = set()
        for k, line in enumerate(self.lines):
            m = _DIRECTIVE.match(line.lstrip())
            if not m or m.group(1).lower() not in ("escape", "syntax", "check"):
                return k
            key = m.group(1).lower()
            if key in seen:
                self.fm.problem(f"only one {key} parser directive can be used", k + 1)
            seen.add(key)
            if key == "escape":
                if m.group(2) in ("\\", "`"):
                    self.escape = m.group(2)
                    if self.escape == "`":
                        self.dialect = "ps"
                else:
                    col = line.find(m.group(2)) + 1
                    self.fm.problem("invalid escape token: use \\ or `", k + 1, max(col, 1))
        return len(self.lines)

    def _continues(self, text: str) -> Optional[int]:
        """Where the continuation character of ``text`` is, if it ends with one."""
        stripped = text.rstrip(" \t")
        if not stripped.endswith(self.escape):
            return None
        at = len(stripped) - 1
        if at > 0 and stripped[at - 1] == self.escape:
            return None  # an escaped escape character
        return at

    def instruction(self, k: int) -> tuple[MappedText, int]:
        """The logical line starting at line index ``k`` and the index after it."""
        out = MappedText()
        line = self.lines[k]
        indent = len(line) - len(line.lstrip())
        text = line[indent:]
        cont = self._continues(text)
        out.add(text if cont is None else text[:cont], k + 1, indent + 1)
        k += 1
        while cont is not None and k < len(self.lines):
            line = self.lines[k]
            k += 1
            stripped = line.lstrip()
            if stripped.startswith("#") or not stripped:
                continue  # comment and empty lines inside a continuation are dropped
            cont = self._continues(line)
            out.add(line if cont is None else line[:cont], k, 1)
        return out, k

    def run(self) -> None:
        k = self.directives()
        while k < len(self.lines):
            stripped = self.lines[k].strip()
            if not stripped or stripped.startswith("#"):
                k += 1
                continue
            logical, k = self.instruction(k)
            k = self.dispatch(logical, k)
        if self.stages:
            self.stages[-1]["end_line"] = len(self.lines)
        facts = self.fm.facts
        facts["stages"] = self.stages
        facts["copies"] = self.copies
        facts["writes"] = self.writes
        facts["secret-mounts"] = self.mounts
        facts["escape"] = self.escape

    # -- instructions -------------------------------------------------------------
    def dispatch(self, logical: MappedText, k: int, onbuild: bool = False) -> int:
        text = logical.text
        m = re.match(r"\s*(\S+)", text)
        if not m:
            return k
        word = m.group(1)
        name = word.lower()
        rest_at = m.end()
        while rest_at < len(text) and text[rest_at] in " \t\v\f\r":
            rest_at += 1
        line, col = logical.locate(m.start(1))
        if name not in _INSTRUCTIONS:
            if not self.templated and re.match(r"^(--?[A-Za-z][\w-]*|[A-Za-z]+)$", word):
                self.fm.problem(f"unknown instruction {_shown(word)}", line, col)
            return k
        rest = logical.slice(rest_at, len(text))
        if name == "onbuild":
            return self.dispatch(rest, k, onbuild=True) if rest.text.strip() else k
        flags, args = self.flags(rest)
        if name == "from":
            self.stage(args, line)
        elif name == "arg":
            self.arg(args)
        elif name == "env":
            self.env(args, line, col)
        elif name == "run":
            k = self.run_instruction(flags, args, line, k)
        elif name in ("copy", "add"):
            k = self.copy(name.upper(), flags, args, line, k)
        elif name == "shell":
            words = _json_words(args.text)
            if words:
                exe = words[0][0].replace("\\", "/").rsplit("/", 1)[-1].lower()
                self.dialect = "ps" if exe.startswith(("powershell", "pwsh")) else "sh"
        return k

    def flags(self, rest: MappedText) -> tuple[list[tuple[str, int]], MappedText]:
        """Leading ``--flag[=value]`` words (text, offset) and the arguments after them."""
        text = rest.text
        flags: list[tuple[str, int]] = []
        i, n = 0, len(text)
        while True:
            while i < n and text[i].isspace():
                i += 1
            if not text.startswith("--", i):
                break
            start = i
            buf: list[str] = []
            quote = ""
            while i < n and (quote or not text[i].isspace()):
                ch = text[i]
                if quote:
                    if ch == quote:
                        quote = ""
                    else:
                        buf.append(ch)
                elif ch in "'\"":
                    quote = ch
                else:
                    buf.append(ch)
                i += 1
            word = "".join(buf)
            if word == "--":
                break
            if "=" not in word:  # `--mount type=secret,id=x`: the value is the next word
                j = i
                while j < n and text[j].isspace():
                    j += 1
                end = j
                while end < n and not text[end].isspace():
                    end += 1
                if j < n:
                    word += "=" + text[j:end].strip("'\"")
                    i = end
            flags.append((word, start))
        return flags, rest.slice(i, n)

    def stage(self, args: MappedText, line: int) -> None:
        parts = args.text.split()
        image = parts[0] if parts else ""
        alias = parts[2] if len(parts) >= 3 and parts[1].lower() == "as" else None
        if self.stages:
            self.stages[-1]["end_line"] = line - 1
        self.stages.append(
            {
                "index": len(self.stages),
                "name": alias,
                "image": image,
                "line": line,
                "end_line": line,
            }
        )
        self.dialect = "ps" if self.escape == "`" else "sh"

    def arg(self, args: MappedText) -> None:
        for raw, start in self.words(args.text):
            name, eq, value = raw.partition("=")
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
                continue
            nline, ncol = args.locate(start)
            if not eq:
                apply_env(name, None, self.fm.loc(nline, ncol), self.fm, "docker-arg")
                continue
            vstart = start + len(name) + 1
            text, skip = _unquote(value, self.escape)
            vline, vcol = args.locate(vstart + skip)
            apply_env(
                name,
                text,
                self.fm.loc(nline, ncol),
                self.fm,
                "docker-arg",
                self.fm.loc(vline, vcol),
            )

    def env(self, args: MappedText, line: int, col: int) -> None:
        text = args.text
        words = self.words(text)
        if not words:
            self.fm.problem("ENV names can not be blank", line, col)
            return
        if "=" not in words[0][0]:
            m = re.match(r"(\S+)[\t\v\f\r ]+(.*)$", text, re.DOTALL)
            if not m:
                self.fm.problem("ENV must have two arguments", line, col)
                return
            value, skip = _unquote(m.group(2).rstrip(), self.escape)
            self._env(args, m.group(1), m.start(1), value, m.start(2) + skip)
            return
        for raw, start in words:
            if "=" not in raw:
                wline, wcol = args.locate(start)
                self.fm.problem(
                    "ENV syntax error: can't find = in a word (must be name=value)", wline, wcol
                )
                continue
            name, _, value = raw.partition("=")
            unquoted, skip = _unquote(value, self.escape)
            self._env(args, name, start, unquoted, start + len(name) + 1 + skip)

    def _env(self, args: MappedText, name: str, nstart: int, value: str, vstart: int) -> None:
        nline, ncol = args.locate(nstart)
        vline, vcol = args.locate(vstart)
        apply_env(
            name,
            value,
            self.fm.loc(nline, ncol),
            self.fm,
            "docker-env",
            self.fm.loc(vline, vcol),
        )

    def words(self, text: str) -> list[tuple[str, int]]:
        """BuildKit's ``parseWords``: whitespace-separated words, quotes kept, the escape
        character escaping the next character; (raw word, offset)."""
        out: list[tuple[str, int]] = []
        i, n = 0, len(text)
        while i < n:
            if text[i].isspace():
                i += 1
                continue
            start, quote = i, ""
            while i < n:
                ch = text[i]
                if quote:
                    if ch == quote:
                        quote = ""
                    elif ch == self.escape and quote != "'" and i + 1 < n:
                        i += 1
                elif ch.isspace():
                    break
                elif ch in "'\"":
                    quote = ch
                elif ch == self.escape and i + 1 < n:
                    i += 1
                i += 1
            out.append((text[start:i], start))
        return out

    # -- RUN ----------------------------------------------------------------------
    def heredocs(self, args: MappedText) -> list[tuple[str, bool]]:
        """Here-document words on an instruction line: (delimiter, strip tabs)."""
        out = []
        for raw, _ in self.words(args.text):
            m = _HEREDOC.match(raw)
            if m and m.group(3):
                word, _ = _unquote(m.group(3), "\\")
                if word and not any(ch.isspace() for ch in word):
                    out.append((word, m.group(2) == "-"))
        return out

    def bodies(
        self, docs: list[tuple[str, bool]], k: int, line: int
    ) -> tuple[list[list[int]], int]:
        """The line indexes of each here-document body from line index ``k``, and the
        index after the last terminator."""
        bodies: list[list[int]] = []
        for word, strip in docs:
            body: list[int] = []
            terminated = False
            while k < len(self.lines):
                text = self.lines[k]
                k += 1
                if (text.lstrip("\t") if strip else text) == word:
                    terminated = True
                    break
                body.append(k - 1)
            if not terminated:
                self.fm.problem(f"unterminated here-document (no line {_shown(word)})", line)
            bodies.append(body)
        return bodies, k

    def run_instruction(
        self, flags: list[tuple[str, int]], args: MappedText, line: int, k: int
    ) -> int:
        secrets = self.secret_mounts(flags, line)
        if not args.text.strip():
            return k
        words = _json_words(args.text)
        if words is _NOT_STRINGS:
            self.fm.problem("JSON array must hold strings only", line)
            return k
        if words:
            script = self.exec_form(args, words)
            run_script(script, self.fm, "docker-run", secret_mounts=secrets, dialect=self.dialect)
            return k
        docs = self.heredocs(args)
        script = MappedText()
        script.add_from(args, 0, len(args))
        if docs:
            _, end = self.bodies(docs, k, line)
            for idx in range(k, end):
                script.add_virtual("\n")
                script.add(self.lines[idx], idx + 1, 1)
            k = end
        for write in run_script(
            script,
            self.fm,
            "docker-run",
            secret_mounts=secrets,
            dialect=self.dialect,
            empty_is_script=True,
        ):
            if write.kind is None and basename(write.dest).lower() not in CREDENTIAL_FILES:
                continue
            self.writes.append(
                {
                    "dest": write.dest,
                    "line": write.location.line,
                    "column": write.location.column,
                    "kind": write.kind.value if write.kind else None,
                    "inline": write.inline,
                    "secret_mounts": list(secrets),
                }
            )
        return k

    def secret_mounts(self, flags: list[tuple[str, int]], line: int) -> tuple[str, ...]:
        ids: list[str] = []
        for flag, _ in flags:
            name, _, value = flag.partition("=")
            if name != "--mount":
                continue
            opts: dict[str, str] = {}
            for item in value.split(","):
                key, eq, val = item.partition("=")
                opts[key.strip().lower()] = val.strip() if eq else "true"
            if opts.get("type") != "secret":
                continue
            target = opts.get("target") or opts.get("dst") or opts.get("destination") or ""
            ident = opts.get("id") or (target.rstrip("/").rsplit("/", 1)[-1] if target else "")
            if not ident:
                continue
            ids.append(ident)
            self.mounts.append(
                {
                    "id": ident,
                    "target": target or f"/run/secrets/{ident}",
                    "env": opts.get("env"),
                    "line": line,
                }
            )
        return tuple(ids)

    def exec_form(self, args: MappedText, words: list[tuple[str, list[int]]]) -> MappedText:
        """The exec form's words joined with spaces, each quoted when it needs it, every
        character located at its place in the JSON text."""
        out = MappedText()
        for n, (word, offsets) in enumerate(words):
            if n:
                out.add_virtual(" ")
            quote = ""
            if not word or re.search(r"[\s;&|()<>#'\"$`\\]", word):
                quote = "'" if "'" not in word else '"'
                out.add_virtual(quote)
            for ch, off in zip(word, offsets):
                if quote == '"' and ch in '"\\$`':
                    out.add_virtual("\\")
                ln, c = args.locate(off)
                out.add(ch, ln, c)
            if quote:
                out.add_virtual(quote)
        return out

    # -- COPY / ADD ----------------------------------------------------------------
    def copy(
        self, instr: str, flags: list[tuple[str, int]], args: MappedText, line: int, k: int
    ) -> int:
        source_stage = next((f.split("=", 1)[1] for f, _ in flags if f.startswith("--from=")), None)
        json_words = _json_words(args.text)
        if json_words is _NOT_STRINGS:
            self.fm.problem("JSON array must hold strings only", line)
            return k
        items: list[tuple[str, int]]
        if json_words:
            items = [(w, offs[0] if offs else 0) for w, offs in json_words]
            docs: list[tuple[str, bool]] = []
        else:
            items = [(w, s) for w, s in _split_ws(args.text)]
            docs = self.heredocs(args)
        bodies: list[list[int]] = []
        if docs:
            bodies, k = self.bodies(docs, k, line)
        if len(items) < 2:
            return k
        dest = items[-1][0]
        bodies_left = list(zip(docs, bodies))
        for src, offset in items[:-1]:
            m = _HEREDOC.match(src)
            inline = bool(m and m.group(3) and bodies_left)
            sline, scol = args.locate(offset)
            if inline:
                (_, strip), body = bodies_left.pop(0)
                kind = embedded_kind(dest)
                if kind is not None and not dest.endswith("/"):
                    lines = []
                    for idx in body:
                        text = self.lines[idx]
                        cut = len(text) - len(text.lstrip("\t")) if strip else 0
                        lines.append((idx + 1, cut + 1, text[cut:]))
                    parse_embedded(self.fm, kind, lines)
            names = {basename(dest).lower()} | (set() if inline else {basename(src).lower()})
            if names & CREDENTIAL_FILES:
                self.copies.append(
                    {
                        "instruction": instr,
                        "src": src,
                        "dest": dest,
                        "line": sline,
                        "column": scol,
                        "from": source_stage,
                        "inline": inline,
                    }
                )
        return k


# -- helpers --------------------------------------------------------------------------
_NOT_STRINGS: list[tuple[str, list[int]]] = []


def _shown(word: str) -> str:
    """A word from the file for a message: quoted when short and plain, else redacted
    (it could be a token pasted on a line of its own)."""
    if len(word) <= 24 and re.match(r"^-{0,2}[A-Za-z][A-Za-z-]*$", word):
        return repr(word)
    return redact(word)


def _split_ws(text: str) -> list[tuple[str, int]]:
    return [(m.group(0), m.start()) for m in re.finditer(r"\S+", text)]


def _unquote(raw: str, escape: str) -> tuple[str, int]:
    """A Docker word without its quotes (escapes applied), and how many characters of
    ``raw`` precede the first character of the value (1 after an opening quote)."""
    out: list[str] = []
    quote = ""
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == escape and quote == '"' and i + 1 < n:
                i += 1
                out.append(raw[i])
            else:
                out.append(ch)
        elif ch in "'\"":
            quote = ch
        elif ch == escape and i + 1 < n:
            i += 1
            out.append(raw[i])
        else:
            out.append(ch)
        i += 1
    return "".join(out), (1 if raw[:1] in ("'", '"') else 0)


def _json_words(text: str) -> Optional[list[tuple[str, list[int]]]]:
    """The exec form's words with each character's offset in ``text``; ``None`` when
    ``text`` is not a JSON array (Docker then reads it as the shell form) and
    ``_NOT_STRINGS`` when the array holds something other than strings."""
    stripped = text.lstrip()
    if not stripped.startswith("["):
        return None
    import json  # exec-form instructions only

    try:
        value = json.loads(stripped)
    except ValueError:
        try:  # trailing text after the array: Go's decoder reads the first value only
            value, _ = json.JSONDecoder().raw_decode(stripped)
        except ValueError:
            return None
    if not isinstance(value, list):
        return None
    if not all(isinstance(v, str) for v in value):
        return _NOT_STRINGS
    words: list[tuple[str, list[int]]] = []
    i, n = text.index("["), len(text)
    while i < n and len(words) < len(value):
        if text[i] != '"':
            i += 1
            continue
        chars: list[str] = []
        offsets: list[int] = []
        i += 1
        while i < n and text[i] != '"':
            start = i
            if text[i] == "\\" and i + 1 < n:
                esc = text[i + 1]
                if esc == "u" and i + 5 < n:
                    try:
                        chars.append(chr(int(text[i + 2 : i + 6], 16)))
                    except ValueError:
                        chars.append("?")
                    i += 6
                else:
                    chars.append(
                        {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}.get(esc, esc)
                    )
                    i += 2
            else:
                chars.append(text[i])
                i += 1
            offsets.append(start)
        i += 1
        words.append(("".join(chars), offsets))
    # the decoded values are the truth (surrogate pairs and the like)
    return [
        (v, offs if len(offs) == len(v) else [offs[0] if offs else 0] * len(v))
        for v, (_, offs) in zip(value, words)
    ]


def parse(source: SourceFile) -> FileModel:
    """Parse a Dockerfile (see the module docstring)."""
    fm = FileModel(source)
    _Dockerfile(source, fm).run()
    return fm
