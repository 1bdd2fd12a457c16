"""Makefiles: recipe lines as shell commands, variable assignments as environment."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from feedlint.kinds import classify
from feedlint.model import FileKind, FileModel, IndexRole, Location, SourceFile
from feedlint.parsers import parse_file
from feedlint.textio import split_lines


def parse(text: str, path: str = "Makefile") -> FileModel:
    return parse_file(SourceFile(path, FileKind.MAKEFILE, split_lines(text)))


def at(line: int, column: int, path: str = "Makefile") -> Location:
    return Location(path, line, column)


def test_classify() -> None:
    for path in ("Makefile", "makefile", "GNUmakefile", "sub/dir/Makefile", "build/python.mk"):
        assert classify(path) is FileKind.MAKEFILE, path
    for path in ("Makefile.am", "Makefile.in", "notes.mkd", ".mk"):
        assert classify(path) is not FileKind.MAKEFILE, path


def test_recipe_lines_prefixes_continuations_and_locations() -> None:
    fm = parse(
        ".PHONY: install\n"
        "install:\n"
        "\t@echo installing\n"
        "\t-@pip install \\\n"
        "\t\t--extra-index-url https://x.example/simple \\\n"
        "\t    foo\n"
        "\n"
        "# a make comment between recipe lines\n"
        "\t+pip install -i https://i.example/ bar\n"
        "lint: ; pip install ruff # tools\n"
    )
    assert [(c.text, c.location) for c in fm.commands] == [
        ("echo installing", at(3, 3)),
        ("pip install \t--extra-index-url https://x.example/simple     foo", at(4, 4)),
        ("pip install -i https://i.example/ bar", at(9, 3)),
        ("pip install ruff", at(10, 9)),
    ]
    assert [(i.url, i.role, i.location) for i in fm.indexes] == [
        ("https://x.example/simple", IndexRole.EXTRA, at(5, 21)),
        ("https://i.example/", IndexRole.INDEX, at(9, 18)),
    ]
    assert [(p.name, p.location) for p in fm.packages] == [
        ("foo", at(6, 6)),
        ("bar", at(9, 37)),
        ("ruff", at(10, 21)),
    ]


def test_dollars_make_references_and_command_words() -> None:
    fm = parse(
        "VENV ?= .venv\n"
        "PYTHON := $(VENV)/bin/python\n"
        "PIP = $(PYTHON) -m pip\n"
        "install:\n"
        "\t$(PIP) install --extra-index-url https://build:$$PAT@corp.example/simple x\n"
        "\tcd app && ${PIP} install --index-url $(FEED_URL) y\n"
        "\t$(UNKNOWN) install z\n"
    )
    assert [c.text for c in fm.commands] == [
        ".venv/bin/python -m pip install --extra-index-url https://build:$PAT@corp.example/simple x",
        "cd app && .venv/bin/python -m pip install --index-url $(FEED_URL) y",
        "$(UNKNOWN) install z",
    ]
    assert [(i.url, i.location) for i in fm.indexes] == [
        ("https://build:$PAT@corp.example/simple", at(5, 35)),
        ("$(FEED_URL)", at(6, 39)),
    ]
    assert [(p.name, p.location) for p in fm.packages] == [("x", at(5, 75)), ("y", at(6, 51))]


def test_assignments_and_exports() -> None:
    fm = parse(
        "FEED_URL := https://corp.example/simple  # the team feed\n"
        "override FEED_PAT ?= $(AZURE_PAT)\n"
        "export PIP_EXTRA_INDEX_URL = https://extra.example/simple\n"
        "PIP_INDEX_URL ::= https://index.example/simple\n"
        "UV_INDEX_URL = https://uv.example/simple\n"
        "export UV_INDEX_URL\n"
        "DATE != date +%F\n"
        "HASH = a\\#b\n"
        "TWINE_PASSWORD ?= $$PYPI_TOKEN\n"
        "test: export PIP_INDEX_URL := https://test.example/simple\n"
        "\tpytest\n"
    )
    assert [(e.name, e.value, e.origin, e.location, e.value_location) for e in fm.env] == [
        ("FEED_URL", "https://corp.example/simple", "make-var", at(1, 1), at(1, 13)),
        ("FEED_PAT", "$(AZURE_PAT)", "make-var", at(2, 10), at(2, 22)),
        ("PIP_EXTRA_INDEX_URL", "https://extra.example/simple", "make-export", at(3, 8), at(3, 30)),
        ("PIP_INDEX_URL", "https://index.example/simple", "make-var", at(4, 1), at(4, 19)),
        ("UV_INDEX_URL", "https://uv.example/simple", "make-export", at(5, 1), at(5, 16)),
        ("HASH", "a#b", "make-var", at(8, 1), at(8, 8)),
        ("TWINE_PASSWORD", "$PYPI_TOKEN", "make-var", at(9, 1), at(9, 19)),
        ("PIP_INDEX_URL", "https://test.example/simple", "make-export", at(10, 14), at(10, 31)),
    ]
    # only exported variables are in the recipes' environment
    assert [(i.url, i.via) for i in fm.indexes] == [
        ("https://extra.example/simple", "PIP_EXTRA_INDEX_URL"),
        ("https://uv.example/simple", "UV_INDEX_URL"),
        ("https://test.example/simple", "PIP_INDEX_URL"),
    ]
    # a target-specific variable line starts no recipe
    assert fm.commands == []
    assert [(c.key, c.value, c.location) for c in fm.credentials] == [
        ("FEED_PAT", "$(AZURE_PAT)", at(2, 22)),
        ("TWINE_PASSWORD", "$PYPI_TOKEN", at(9, 19)),
    ]


def test_export_all() -> None:
    for how in ("export\n", ".EXPORT_ALL_VARIABLES:\n"):
        fm = parse(how + "PIP_INDEX_URL = https://index.example/simple\n")
        assert [e.origin for e in fm.env] == ["make-export"]
        assert [i.url for i in fm.indexes] == ["https://index.example/simple"]


def test_define_conditionals_and_rule_context() -> None:
    fm = parse(
        "define INSTALL_HELP\n"
        "\tpip install --extra-index-url https://help.example/simple x\n"
        "  define NESTED\n"
        "  endef\n"
        "pip install --extra-index-url https://help2.example/simple x\n"
        "endef\n"
        "\tpip install not-a-recipe\n"
        "install:\n"
        "ifeq ($(CI),true)\n"
        "\tpip install --index-url https://ci.example/simple a\n"
        "else\n"
        "\tpip install --index-url https://dev.example/simple b\n"
        "endif\n"
        "X = 1\n"
        "\tpip install after-a-variable\n"
    )
    assert [c.text for c in fm.commands] == [
        "pip install --index-url https://ci.example/simple a",
        "pip install --index-url https://dev.example/simple b",
    ]
    assert fm.problems == []


def test_recipeprefix_and_unterminated_define() -> None:
    fm = parse(".RECIPEPREFIX = >\nall:\n>pip install --index-url https://x.example/simple a\n")
    assert [(c.text, c.location) for c in fm.commands] == [
        ("pip install --index-url https://x.example/simple a", at(3, 2))
    ]
    fm = parse("all:\n\techo hi\ndefine X\npip install y\n")
    assert [c.text for c in fm.commands] == ["echo hi"]
    assert [(p.location.line, "endef" in p.message) for p in fm.problems] == [(4, True)]


def test_makefile_without_packaging_content_is_silent(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text(
        "CC ?= gcc\n"
        "CFLAGS += -O2 -Wall\n"
        "SRCS := $(wildcard src/*.c)\n"
        "OBJS := $(SRCS:.c=.o)\n"
        "VERSION != git describe --tags\n"
        "\n"
        ".PHONY: all clean docs\n"
        "all: app\n"
        "app: $(OBJS)\n"
        "\t$(CC) $(CFLAGS) -o $@ $^\n"
        "%.o: %.c\n"
        "\t$(CC) $(CFLAGS) -c $< -o $@\n"
        "clean:\n"
        "\t-rm -f $(OBJS) app\n"
        "docs:\n"
        '\t@$(MAKE) -C docs html SPHINXOPTS="-W"\n'
        "\tfor f in $$(ls docs); do echo $$f; done\n",
        encoding="utf-8",
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "Makefile").write_text(
        "SPHINXOPTS    ?=\n"
        "SPHINXBUILD   ?= sphinx-build\n"
        "SOURCEDIR     = source\n"
        "BUILDDIR      = build\n"
        "help:\n"
        '\t@$(SPHINXBUILD) -M help "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)\n'
        ".PHONY: help Makefile\n"
        "%: Makefile\n"
        '\t@$(SPHINXBUILD) -M $@ "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)\n',
        encoding="utf-8",
    )
    run = run_cli(str(tmp_path), "--format", "json", "--exit-zero", "-q")
    assert run.code == 0, run.err
    assert json.loads(run.out)["findings"] == [], run.out


def test_command_words_from_conditional_branches_and_argument_variables() -> None:
    fm = parse(
        "ifdef CONDA_DIR\n"
        "\tPYTHON := $(CONDA_DIR)/bin/python3\n"
        "else\n"
        "\tPYTHON := .venv/bin/python3\n"
        "endif\n"
        "FEED := https://feed.example/simple\n"
        "PIP_INSTALL ?= $(PYTHON) -m pip install --extra-index-url $(FEED)\n"
        "URL = https://x.example/simple\n"
        "setup:\n"
        "\t@test -d .venv || python3 -m venv .venv && \\\n"
        "\t$(PIP_INSTALL) wheel\n"
        "\t$(PYTHON) -m pip install -i $(FEED) y\n"
        "\t$(URL) z\n"
    )
    assert [c.text for c in fm.commands] == [
        "test -d .venv || python3 -m venv .venv && "
        ".venv/bin/python3 -m pip install --extra-index-url $(FEED) wheel",
        ".venv/bin/python3 -m pip install -i $(FEED) y",
        "$(URL) z",
    ]
    # words that come from a variable's value are located at the reference
    assert [(i.url, i.role, i.location) for i in fm.indexes] == [
        ("$(FEED)", IndexRole.EXTRA, at(11, 2)),
        ("$(FEED)", IndexRole.INDEX, at(12, 30)),
    ]
    assert [(p.name, p.location) for p in fm.packages] == [("wheel", at(11, 17)), ("y", at(12, 38))]
