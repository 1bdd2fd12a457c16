"""Dockerfile parser: instructions, continuations, heredocs, exec form, secrets, copies."""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_tree

from feedlint.engine import build_model
from feedlint.model import FileKind, FileModel, IndexRole, Installer, Location, SourceFile
from feedlint.parsers import parse_file
from feedlint.parsers.embedded import embedded_lines
from feedlint.textio import split_lines

P = "Dockerfile"


def parse(text: str) -> FileModel:
    return parse_file(SourceFile(P, FileKind.DOCKERFILE, split_lines(text)))


def at(line: int, column: int) -> Location:
    return Location(P, line, column)


def test_arg_with_and_without_default() -> None:
    fm = parse('ARG TOKEN\nARG URL="https://x.example/simple" OTHER=1\n')
    env = [(e.name, e.value, e.origin, e.location, e.value_location) for e in fm.env]
    assert env == [
        ("TOKEN", None, "docker-arg", at(1, 5), None),
        ("URL", "https://x.example/simple", "docker-arg", at(2, 5), at(2, 10)),
        ("OTHER", "1", "docker-arg", at(2, 36), at(2, 42)),
    ]
    assert not fm.problems


def test_env_forms_and_index_variables() -> None:
    fm = parse(
        "FROM python:3.12\n"
        "env PIP_EXTRA_INDEX_URL https://u:${PAT}@pkgs.dev.azure.com/o/_packaging/f/pypi/simple/\n"
        'ENV PIP_INDEX_URL="https://corp.example/simple" \\\n'
        "    PIP_TRUSTED_HOST=corp.example\n"
    )
    assert [(e.name, e.origin, e.location, e.value_location) for e in fm.env] == [
        ("PIP_EXTRA_INDEX_URL", "docker-env", at(2, 5), at(2, 25)),
        ("PIP_INDEX_URL", "docker-env", at(3, 5), at(3, 20)),
        ("PIP_TRUSTED_HOST", "docker-env", at(4, 5), at(4, 22)),
    ]
    assert [(i.url, i.role, i.location) for i in fm.indexes] == [
        (
            "https://u:${PAT}@pkgs.dev.azure.com/o/_packaging/f/pypi/simple/",
            IndexRole.EXTRA,
            at(2, 25),
        ),
        ("https://corp.example/simple", IndexRole.INDEX, at(3, 20)),
    ]
    assert fm.settings[0].key == "trusted-host" and fm.settings[0].location == at(4, 22)


def test_continuation_drops_comment_and_empty_lines_and_keeps_columns() -> None:
    fm = parse(
        "FROM python\n"
        "RUN pip install \\\n"
        "    # explain the index\n"
        "\n"
        "      --extra-index-url https://x.example/simple \\  \n"
        "      foo==1.0\n"
    )
    (cmd,) = fm.commands
    assert cmd.origin == "docker-run"
    assert cmd.text == "pip install       --extra-index-url https://x.example/simple       foo==1.0"
    assert cmd.location == at(2, 5)
    (idx,) = fm.indexes
    assert idx.role is IndexRole.EXTRA and idx.location == at(5, 25)
    (pkg,) = fm.packages
    assert pkg.name == "foo" and pkg.location == at(6, 7)
    assert cmd.locate(cmd.text.index("foo")) == at(6, 7)


def test_escape_directive_backtick() -> None:
    fm = parse(
        "# escape=`\n"
        "FROM mcr.microsoft.com/windows/servercore\n"
        "RUN pip install `\n"
        "    --index-url https://win.example/simple C:\\tools\\pkg.whl\n"
    )
    (idx,) = fm.indexes
    assert idx.url == "https://win.example/simple" and idx.location == at(4, 17)
    assert fm.facts["escape"] == "`"


def test_escape_directive_only_at_the_top() -> None:
    fm = parse("FROM x\n# escape=`\nRUN pip install `\n  foo\n")
    # the directive is a comment here: the backtick is not a continuation
    assert [c.text for c in fm.commands] == ["pip install `"]
    assert [p.message for p in fm.problems] == ["unknown instruction 'foo'"]


def test_escaped_backslash_is_not_a_continuation() -> None:
    fm = parse("FROM x\nRUN echo a \\\\\nRUN pip install -i https://i.example/ b\n")
    assert [c.location.line for c in fm.commands] == [2, 3]


def test_run_flags_and_secret_mounts() -> None:
    fm = parse(
        "FROM python\n"
        "RUN --mount=type=secret,id=netrc,target=/root/.netrc \\\n"
        "    --mount=type=cache,target=/root/.cache --network=host \\\n"
        "    pip install -i https://corp.example/simple pkg\n"
        "RUN --mount type=secret,target=/run/secrets/gar_token,env=TOKEN pip install x\n"
    )
    first, second = fm.commands
    assert first.text.startswith("pip install") and first.secret_mounts == ("netrc",)
    assert first.location == at(4, 5)
    assert second.secret_mounts == ("gar_token",)
    assert fm.facts["secret-mounts"] == [
        {"id": "netrc", "target": "/root/.netrc", "env": None, "line": 2},
        {"id": "gar_token", "target": "/run/secrets/gar_token", "env": "TOKEN", "line": 5},
    ]


def test_exec_form_words_are_located() -> None:
    fm = parse('FROM x\nRUN ["pip", "install", "--index-url", "https://e.example/simple", "a b"]\n')
    (cmd,) = fm.commands
    assert cmd.text == "pip install --index-url https://e.example/simple 'a b'"
    assert cmd.location == at(2, 7)
    (idx,) = fm.indexes
    assert idx.location == at(2, 40)


def test_exec_form_shell_c_is_read() -> None:
    fm = parse(
        'FROM x\nRUN ["/bin/sh", "-c", "pip install --extra-index-url https://s.example/ y"]\n'
    )
    (idx,) = fm.indexes
    assert idx.role is IndexRole.EXTRA and idx.location == at(2, 54)


def test_heredoc_script_lines_are_commands() -> None:
    fm = parse(
        "FROM x\n"
        "RUN --mount=type=secret,id=pat <<EOF\n"
        "set -e\n"
        "pip install \\\n"
        "  --extra-index-url https://h.example/simple bar\n"
        "EOF\n"
        "RUN pip install after\n"
    )
    texts = [c.text for c in fm.commands]
    assert texts == [
        "set -e",
        "pip install   --extra-index-url https://h.example/simple bar",
        "pip install after",
    ]
    assert fm.commands[1].secret_mounts == ("pat",)
    (idx,) = fm.indexes
    assert idx.location == at(5, 21)
    assert not fm.problems


def test_heredoc_to_a_non_shell_is_data() -> None:
    fm = parse(
        "FROM x\n"
        "RUN python3 <<PY\n"
        'import os; os.system("pip install --extra-index-url https://py.example/ y")\n'
        "PY\n"
        "RUN <<EOF\n"
        "#!/usr/bin/env python3\n"
        "print('pip install --extra-index-url https://shebang.example/ z')\n"
        "EOF\n"
    )
    assert fm.indexes == []


def test_heredoc_writing_a_credential_file_is_recorded() -> None:
    fm = parse(
        "FROM x\n"
        "RUN cat > /root/.netrc <<-EOF\n"
        "\tmachine corp.example login u password s3cr3t\n"
        "\tEOF\n"
        'RUN echo "machine h password $TOKEN" > ~/.netrc\n'
    )
    assert fm.facts["writes"] == [
        {
            "dest": "/root/.netrc",
            "line": 2,
            "column": 11,
            "kind": ".netrc",
            "inline": True,
            "secret_mounts": [],
        },
        {
            "dest": "~/.netrc",
            "line": 5,
            "column": 40,
            "kind": ".netrc",
            "inline": False,
            "secret_mounts": [],
        },
    ]
    (cred,) = fm.credentials  # parsed as a .netrc, located in the Dockerfile
    assert (cred.value, cred.kind, cred.host, cred.location) == (
        "s3cr3t",
        "netrc",
        "corp.example",
        at(3, 40),
    )


def test_heredoc_writing_pip_conf_is_read_as_pip_conf() -> None:
    fm = parse(
        "FROM x\n"
        "RUN cat <<-CONF > /etc/pip.conf\n"
        "\t[global]\n"
        "\textra-index-url = https://conf.example/simple\n"
        "\tCONF\n"
    )
    (idx,) = fm.indexes
    assert (idx.url, idx.role, idx.scope, idx.location) == (
        "https://conf.example/simple",
        IndexRole.EXTRA,
        "global",
        at(4, 20),
    )
    assert fm.facts["writes"][0]["dest"] == "/etc/pip.conf"
    assert embedded_lines(fm, FileKind.PIP_CONF) == {3, 4}


def test_copy_heredoc_pip_conf_lines_are_recorded() -> None:
    fm = parse("FROM x\nCOPY <<EOF /etc/pip.conf\n[global]\nindex-url = https://a/simple\nEOF\n")
    assert embedded_lines(fm, FileKind.PIP_CONF) == {3, 4}
    assert embedded_lines(fm, FileKind.NETRC) == frozenset()


def test_unterminated_heredoc_is_fl001() -> None:
    fm = parse("FROM x\nRUN <<EOF\npip install y\n")
    assert [(p.message, p.location) for p in fm.problems] == [
        ("unterminated here-document (no line 'EOF')", at(2, 1))
    ]
    assert [c.text for c in fm.commands] == ["pip install y"]


def test_copy_and_add_of_credential_files() -> None:
    fm = parse(
        "FROM x AS build\n"
        "COPY pip.conf /etc/pip.conf\n"
        "COPY --chown=app requirements.txt config/.pypirc /root/\n"
        'ADD ["secrets/prod.netrc", "/root/.netrc"]\n'
        "COPY --from=build /root/.git-credentials /root/\n"
        "COPY . /app\n"
        "COPY <<EOF /etc/pip.conf\n"
        "[global]\n"
        "EOF\n"
    )
    copies = [
        (c["instruction"], c["src"], c["dest"], c["line"], c["column"], c["from"])
        for c in fm.facts["copies"]
    ]
    assert copies == [
        ("COPY", "pip.conf", "/etc/pip.conf", 2, 6, None),
        ("COPY", "config/.pypirc", "/root/", 3, 35, None),
        ("ADD", "secrets/prod.netrc", "/root/.netrc", 4, 7, None),
        ("COPY", "/root/.git-credentials", "/root/", 5, 19, "build"),
        ("COPY", "<<EOF", "/etc/pip.conf", 7, 6, None),
    ]
    assert fm.facts["copies"][-1]["inline"] is True


def test_commented_out_instructions_are_comments() -> None:
    fm = parse(
        "FROM x\n"
        "# ARG ARTIFACT_TOKEN\n"
        "# ENV PIP_EXTRA_INDEX_URL https://u:$T@pkgs.dev.azure.com/o/_packaging/f/pypi/simple/\n"
        "   # RUN pip install svi_core_2\n"
    )
    assert fm.env == [] and fm.commands == [] and fm.indexes == [] and not fm.problems


def test_onbuild_and_case_insensitive_instructions() -> None:
    fm = parse("from x\nonbuild run pip install --index-url https://o.example/ x\n")
    (idx,) = fm.indexes
    assert idx.location == at(2, 37)


def test_stages() -> None:
    fm = parse(
        "ARG BASE=python\nFROM ${BASE} AS build\nRUN true\nFROM --platform=linux/amd64 alpine\nRUN x\n"
    )
    assert fm.facts["stages"] == [
        {"index": 0, "name": "build", "image": "${BASE}", "line": 2, "end_line": 3},
        {"index": 1, "name": None, "image": "alpine", "line": 4, "end_line": 5},
    ]


def test_shell_comment_tail_and_prefix_assignment() -> None:
    fm = parse(
        "FROM x\n"
        "RUN PIP_INDEX_URL=https://p.example/simple pip install y  # pip's index, don't ask\n"
    )
    (idx,) = fm.indexes
    assert idx.via == "PIP_INDEX_URL" and idx.location == at(2, 19)
    assert [e.origin for e in fm.env] == ["command-prefix"]


def test_bad_env_and_unknown_instruction_are_fl001() -> None:
    fm = parse("FROM x\nENV ONLY\nENV A=1 B\nRUN pip install a\n    --extra-index-url https://x/\n")
    assert [(p.message, p.location) for p in fm.problems] == [
        ("ENV must have two arguments", at(2, 1)),
        ("ENV syntax error: can't find = in a word (must be name=value)", at(3, 9)),
        ("unknown instruction '--extra-index-url'", at(5, 5)),
    ]
    assert [e.name for e in fm.env] == ["A"]


def test_templates_are_not_flagged() -> None:
    fm = parse("FROM {{ base }}\n{% if x %}\nRUN pip install y\n{% endif %}\n")
    assert not fm.problems


def test_json_array_of_non_strings_is_fl001() -> None:
    fm = parse('FROM x\nRUN ["pip", 1]\nRUN [not json\n')
    assert [p.message for p in fm.problems] == ["JSON array must hold strings only"]
    assert [c.text for c in fm.commands] == ["[not json"]


# -- the corpus ------------------------------------------------------------------------
def _model(tmp_path: Path, name: str) -> FileModel:
    root = corpus_tree(tmp_path, {f"a_credentials/{name}": "Dockerfile"})
    return build_model(root).files["Dockerfile"]


def test_corpus_centric_gemfury_token_arg(tmp_path: Path) -> None:
    fm = _model(tmp_path, "Centric-Technologies__signals-ticker-map-updater__Dockerfile")
    (arg,) = [e for e in fm.env if e.name == "GEMFURY_TOKEN"]
    assert (arg.origin, arg.value, arg.location) == ("docker-arg", None, at(3, 5))
    (idx,) = fm.indexes
    assert idx.url == "https://${GEMFURY_TOKEN}:@pypi.fury.io/centrictechnologiesltd/"
    assert (idx.role, idx.location) == (IndexRole.INDEX, at(14, 39))
    cred = next(c for c in fm.credentials if c.kind == "url-user")
    assert cred.value == "${GEMFURY_TOKEN}" and cred.location == at(14, 47)


def test_corpus_cray_netrc_secret_mount(tmp_path: Path) -> None:
    fm = _model(tmp_path, "Cray-HPE__csm-cms-buildenv__Dockerfile")
    (run,) = [c for c in fm.commands if "pip3" in c.text]
    assert run.secret_mounts == ("netrc",) and run.location == at(35, 5)
    assert fm.facts["copies"] == [
        {
            "instruction": "COPY",
            "src": "pip.conf",
            "dest": "/etc/pip.conf",
            "line": 33,
            "column": 6,
            "from": None,
            "inline": False,
        }
    ]
    assert fm.credentials == []


def test_corpus_iggyikenna_secret_mount_builds_uv_extra_index(tmp_path: Path) -> None:
    fm = _model(tmp_path, "IggyIkenna__instruments-service__Dockerfile")
    (run,) = [c for c in fm.commands if c.secret_mounts]
    assert run.secret_mounts == ("gar_token",) and run.location == at(83, 5)
    (idx,) = [i for i in fm.indexes if i.via == "UV_EXTRA_INDEX_URL"]
    assert idx.url == (
        "https://oauth2accesstoken:$(cat /run/secrets/gar_token)"
        "@asia-northeast1-python.pkg.dev/central-element-323112/unified-libraries/simple/"
    )
    assert (idx.role, idx.installer, idx.location) == (IndexRole.EXTRA, Installer.UV, at(83, 25))
    (env,) = [e for e in fm.env if e.name == "UV_EXTRA_INDEX_URL"]
    assert env.origin == "command-prefix"
    assert [c["src"] for c in fm.facts["copies"]] == ["pip.conf"]


def test_corpus_aws_pip_config_set_with_codeartifact_token(tmp_path: Path) -> None:
    fm = _model(
        tmp_path, "aws-samples__codeartifact-jenkins-python-sample__application_src__Dockerfile"
    )
    (arg,) = [e for e in fm.env if e.name == "CODEARTIFACT_TOKEN"]
    assert arg.origin == "docker-arg" and arg.value is None
    (idx,) = fm.indexes
    assert idx.url.startswith("https://aws:$CODEARTIFACT_TOKEN@$DOMAIN.d.codeartifact.")
    assert (idx.role, idx.scope, idx.via, idx.location) == (
        IndexRole.INDEX,
        "global",
        "pip config set",
        at(15, 38),
    )
    (cred,) = [c for c in fm.credentials if c.kind == "url-password"]
    assert cred.value == "$CODEARTIFACT_TOKEN" and cred.location == at(15, 50)


def test_corpus_yelp_arg_promoted_to_env(tmp_path: Path) -> None:
    fm = _model(tmp_path, "Yelp__paasta__yelp_package__dockerfiles__jammy__Dockerfile")
    pip = [(e.origin, e.value, e.location) for e in fm.env if e.name == "PIP_INDEX_URL"]
    assert pip == [
        ("docker-arg", "https://pypi.yelpcorp.com/jammy/simple", at(18, 5)),
        ("docker-env", "$PIP_INDEX_URL", at(19, 5)),
    ]


def test_corpus_engelbert_arg_used_as_extra_index(tmp_path: Path) -> None:
    fm = _model(tmp_path, "Engelbert107__Looking-into-Prefect__Dockerfile")
    assert [(e.name, e.value) for e in fm.env] == [("AUTHED_ARTIFACT_REG_URL", None)]
    (idx,) = fm.indexes
    assert (idx.url, idx.role, idx.location) == (
        "${AUTHED_ARTIFACT_REG_URL}",
        IndexRole.EXTRA,
        at(6, 35),
    )


def test_corpus_commented_credentials_are_not_instructions(tmp_path: Path) -> None:
    root = corpus_tree(
        tmp_path,
        {"a_credentials/vignesh-narayanaswamy__camsdk__camsdk.Dockerfile": "camsdk.Dockerfile"},
    )
    fm = build_model(root).files["camsdk.Dockerfile"]
    assert not [e for e in fm.env if "INDEX" in e.name]
    # the URL scan still sees the commented-out credential URL
    (cred,) = fm.credentials
    assert cred.value == "$ARTIFACT_TOKEN" and cred.location.line == 12
    # `/bin/bash -c "... pip install ..."` is read
    assert "watchdog" in {p.name for p in fm.packages}
    assert not fm.problems


def test_corpus_mrafaydev_nexus_credentials(tmp_path: Path) -> None:
    fm = _model(tmp_path, "MRafaydev__optimization_poc__Dockerfile")
    (idx,) = fm.indexes
    assert idx.location == at(12, 79)
    assert [(s.key, s.value) for s in fm.settings] == [("trusted-host", "107.23.97.208")]
