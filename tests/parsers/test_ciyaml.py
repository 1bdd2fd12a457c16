"""CI YAML parser (and its positioned YAML reader) and Jenkinsfiles."""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_tree

from feedlint.engine import build_model
from feedlint.model import FileKind, FileModel, Location, SourceFile
from feedlint.parsers import parse_file
from feedlint.parsers._yaml import Mapping, Scalar, Sequence, parse_yaml
from feedlint.textio import split_lines


def parse(text: str, path: str = "azure-pipelines.yml") -> FileModel:
    return parse_file(SourceFile(path, FileKind.CI_YAML, split_lines(text)))


def urls(fm: FileModel) -> list[tuple[str, str, int, int]]:
    return [(i.url, i.role.value, i.location.line, i.location.column) for i in fm.indexes]


# -- the YAML reader -----------------------------------------------------------------
def _scalar_positions(s: Scalar) -> list[tuple[int, int]]:
    return [s.text.locate(k) for k in range(len(s.value))]


def test_yaml_block_scalars_map_every_character() -> None:
    (root,) = parse_yaml(
        split_lines("a: |\n  one\n\n    two\nb: >-\n  x\n  y\n\n  z\nc: 'it''s'\n")
    )
    assert isinstance(root, Mapping)
    a, b, c = (root.scalar(k) for k in "abc")
    assert a is not None and a.value == "one\n\n  two"
    assert a.text.locate(0) == (2, 3) and a.text.locate(5) == (4, 3)
    assert b is not None and b.value == "x y\nz" and b.text.locate(2) == (7, 3)
    assert (
        c is not None
        and c.value == "it's"
        and _scalar_positions(c)
        == [
            (10, 5),
            (10, 6),
            (10, 7),
            (10, 9),
        ]
    )


def test_yaml_double_quoted_escapes_and_folding() -> None:
    (root,) = parse_yaml(split_lines('k: "a\\tb \\\n   c\n  d"\n'))
    assert isinstance(root, Mapping)
    k = root.scalar("k")
    assert k is not None and k.value == "a\tb c d"
    assert k.text.locate(1) == (1, 6) and k.text.locate(2) == (1, 8) and k.text.locate(6) == (3, 3)


def test_yaml_sequences_flow_anchors_and_documents() -> None:
    roots = parse_yaml(
        split_lines(
            "steps:\n- script: x\n  env: {A: 1, 'B': \"two\"}\n- [p, q]\n"
            "- &anchor\n  k: v\n---\n- *anchor\n"
        )
    )
    assert len(roots) == 2
    steps = roots[0].get("steps")  # type: ignore[union-attr]
    assert isinstance(steps, Sequence) and len(steps.items) == 3
    env = steps.items[0].get("env")  # type: ignore[union-attr]
    assert isinstance(env, Mapping) and [(e.key, e.value.value) for e in env.entries] == [  # type: ignore[union-attr]
        ("A", "1"),
        ("B", "two"),
    ]
    second = roots[1]
    assert isinstance(second, Sequence) and second.items[0].style == "alias"  # type: ignore[union-attr]


def test_yaml_reader_survives_garbage() -> None:
    for text in ["- - - -", "a: [b, {c: ", 'x: "open\n', "\t- a\n :: b", "a:\n  - b\n c: d\n"]:
        parse_yaml(split_lines(text))


# -- Azure Pipelines ---------------------------------------------------------------------
AZURE = """\
variables:
  feedName: team-feed
  PIP_EXTRA_INDEX_URL: https://pkgs.dev.azure.com/o/_packaging/f/pypi/simple/
steps:
- script: |
    pip install \\
      --index-url https://corp.example/simple foo
  displayName: install
- bash: pip install -i "https://bash.example/simple" bar
  env:
    SYSTEM_ACCESSTOKEN: $(System.AccessToken)
- pwsh: $env:UV_INDEX_URL = "https://pwsh.example/simple"
- task: Bash@3
  inputs:
    targetType: inline
    pwsh: true
    script: >
      pip download
      --find-links https://inline.example/links x
- task: AzureCLI@2
  inputs:
    scriptType: pscore
    inlineScript: |
      $env:PIP_INDEX_URL = 'https://cli.example/simple'
- task: PythonScript@0
  inputs:
    scriptSource: inline
    script: import os; os.system("pip install --extra-index-url https://py.example/ z")
- task: TwineAuthenticate@1
  inputs:
    artifactFeed: Project/$(feedName)
- task: PipAuthenticate@1
  inputs:
    artifactFeeds: feedA, Project/feedB
    onlyAddExtraIndex: true
- task: Docker@2
  inputs:
    command: build
    arguments: --build-arg PAT=$(System.AccessToken)
- script: twine upload -r $(feedName) --config-file $(PYPIRC_PATH) dist/*
"""


def test_azure_steps_tasks_and_variables() -> None:
    fm = parse(AZURE)
    assert urls(fm) == [
        ("https://pkgs.dev.azure.com/o/_packaging/f/pypi/simple/", "extra", 3, 24),
        ("https://corp.example/simple", "index", 7, 19),
        ("https://bash.example/simple", "index", 9, 25),
        ("https://pwsh.example/simple", "index", 12, 30),
        ("https://inline.example/links", "find-links", 19, 20),
        ("https://cli.example/simple", "index", 24, 29),
        # PipAuthenticate with onlyAddExtraIndex: every feed is PIP_EXTRA_INDEX_URL
        (
            "https://pkgs.dev.azure.com/<organization>/_packaging/feedA/pypi/simple/",
            "extra",
            34,
            20,
        ),
        (
            "https://pkgs.dev.azure.com/<organization>/Project/_packaging/feedB/pypi/simple/",
            "extra",
            34,
            27,
        ),
    ]
    env = [(e.name, e.value, e.origin, e.location.line, e.location.column) for e in fm.env]
    assert env[:4] == [
        ("feedName", "team-feed", "ci-env", 2, 3),
        (
            "PIP_EXTRA_INDEX_URL",
            "https://pkgs.dev.azure.com/o/_packaging/f/pypi/simple/",
            "ci-env",
            3,
            3,
        ),
        ("SYSTEM_ACCESSTOKEN", "$(System.AccessToken)", "ci-env", 11, 5),
        ("UV_INDEX_URL", "https://pwsh.example/simple", "shell-export", 12, 14),
    ]
    assert ("PAT", "$(System.AccessToken)", "docker-build-arg", 39, 28) in env
    targets = [(t.name, t.tool, t.location.line, t.location.column) for t in fm.publish_targets]
    assert targets == [
        ("team-feed", "TwineAuthenticate", 31, 19),
        ("team-feed", "twine", 40, 27),
    ]
    assert fm.facts["pip-authenticate"] == [
        {
            "feed": "feedA",
            "raw": "feedA",
            "input": "artifactFeeds",
            "only_add_extra_index": True,
            "line": 34,
            "column": 20,
            "task_line": 32,
        },
        {
            "feed": "Project/feedB",
            "raw": "Project/feedB",
            "input": "artifactFeeds",
            "only_add_extra_index": True,
            "line": 34,
            "column": 27,
            "task_line": 32,
        },
    ]
    assert fm.facts["ci-system"] == "azure"
    first = fm.commands[0]
    assert first.origin == "ci-script" and first.location == Location("azure-pipelines.yml", 6, 5)


def test_azure_variables_list_form_and_templates() -> None:
    fm = parse(
        "variables:\n"
        "- group: secrets\n"
        "- name: PIP_INDEX_URL\n"
        "  value: 'https://list.example/simple'\n"
        "- ${{ if eq(variables.x, 'y') }}:\n"
        "  - name: PYPI_TOKEN\n"
        "    value: pypi-AgEIcHlwaS5vcmc\n"
        "- template: vars.yml\n"
    )
    env = [(e.name, e.value, e.location.line, e.location.column, e.value_location) for e in fm.env]
    assert env == [
        (
            "PIP_INDEX_URL",
            "https://list.example/simple",
            3,
            9,
            Location("azure-pipelines.yml", 4, 11),
        ),
        ("PYPI_TOKEN", "pypi-AgEIcHlwaS5vcmc", 6, 11, Location("azure-pipelines.yml", 7, 12)),
    ]
    (cred,) = fm.credentials
    assert cred.key == "PYPI_TOKEN" and cred.location.line == 7


def test_azure_twine_authenticate_v0_feeds() -> None:
    fm = parse("steps:\n- task: TwineAuthenticate@0\n  inputs:\n    artifactFeeds: a, b\n")
    assert [(t.name, t.location.column) for t in fm.publish_targets] == [("a", 20), ("b", 23)]


def test_azure_twine_authenticate_service_connection_with_spaces() -> None:
    fm = parse(
        "steps:\n- task: TwineAuthenticate@1\n  inputs:\n"
        "    pythonUploadServiceConnection: PyPI Upload\n"
        '- script: twine upload -r "PyPI Upload" --config-file $(PYPIRC_PATH) dist/*\n'
    )
    assert [(t.name, t.tool, t.location.column) for t in fm.publish_targets] == [
        ("PyPI Upload", "TwineAuthenticate", 36),
        ("PyPI Upload", "twine", 28),
    ]


# -- GitHub Actions ------------------------------------------------------------------------
GITHUB = """\
on: push
env:
  PIP_EXTRA_INDEX_URL: https://${{ secrets.U }}:${{ secrets.T }}@corp.example/simple
jobs:
  build:
    runs-on: ubuntu-latest
    defaults:
      run:
        shell: pwsh
    env:
      UV_INDEX_STRATEGY: unsafe-best-match
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: $env:PIP_INDEX_URL = "https://default-shell.example/simple"
      - shell: bash
        run: |
          pip install \\
            --index-url https://bash.example/simple \\
            mypkg  # the private one
      - shell: python
        run: print("pip install --extra-index-url https://py.example/ x")
      - uses: actions/github-script@v7
        with:
          script: console.log("pip install --extra-index-url https://js.example/")
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          repository-url: https://upload.corp.example/legacy/
          password: ${{ secrets.PYPI_TOKEN }}
      - uses: pypa/gh-action-pypi-publish@v1.12.4
      - uses: docker/build-push-action@v6
        with:
          build-args: |
            PIP_INDEX_URL=https://build.example/simple
"""


def test_github_actions() -> None:
    fm = parse(GITHUB, ".github/workflows/release.yml")
    assert fm.facts["ci-system"] == "github"
    assert urls(fm) == [
        ("https://${{ secrets.U }}:${{ secrets.T }}@corp.example/simple", "extra", 3, 24),
        ("https://default-shell.example/simple", "index", 16, 36),
        ("https://bash.example/simple", "index", 20, 25),
        ("https://upload.corp.example/legacy/", "publish", 29, 27),
        ("https://build.example/simple", "index", 35, 27),
    ]
    assert [(s.key, s.value, s.location.line) for s in fm.settings] == [
        ("index-strategy", "unsafe-best-match", 11)
    ]
    assert [(p.name, p.location.line, p.location.column) for p in fm.packages] == [
        ("mypkg", 21, 13)
    ]
    targets = [(t.name, t.url, t.tool, t.location.line) for t in fm.publish_targets]
    assert targets == [
        ("", "https://upload.corp.example/legacy/", "gh-action-pypi-publish", 29),
        ("pypi", "https://upload.pypi.org/legacy/", "gh-action-pypi-publish", 31),
    ]
    assert [(c.key, c.value, c.location.line, c.location.column) for c in fm.credentials] == [
        ("password", "${{ secrets.PYPI_TOKEN }}", 30, 21)
    ]
    assert [e.origin for e in fm.env if e.name == "PIP_INDEX_URL"] == [
        "shell-export",
        "docker-build-arg",
    ]


# -- GitLab and others -----------------------------------------------------------------------
GITLAB = """\
variables:
  PIP_INDEX_URL: "https://gitlab-ci-token:${CI_JOB_TOKEN}@gitlab.example/api/v4/projects/1/packages/pypi/simple"
  DEPLOY:
    value: "prod"
    description: where to
.setup: &setup
  - pip config set global.extra-index-url https://anchor.example/simple
test:
  environment: production
  before_script:
    - *setup
    - !reference [.other, script]
  script:
    - >
      pip install foo
      --extra-index-url https://folded.example/simple
    - 'pip install "bar" --index-url https://quoted.example/simple'
    - pip install baz
      --find-links https://plain.example/links
other:
  script: *setup
"""


def test_gitlab_ci() -> None:
    fm = parse(GITLAB, ".gitlab-ci.yml")
    assert fm.facts["ci-system"] == "gitlab"
    assert urls(fm) == [
        (
            "https://gitlab-ci-token:${CI_JOB_TOKEN}@gitlab.example/api/v4/projects/1/packages/pypi/simple",
            "index",
            2,
            19,
        ),
        ("https://anchor.example/simple", "extra", 7, 43),
        ("https://folded.example/simple", "extra", 16, 25),
        ("https://quoted.example/simple", "index", 17, 38),
        ("https://plain.example/links", "find-links", 19, 20),
    ]
    assert [(e.name, e.value) for e in fm.env] == [
        (
            "PIP_INDEX_URL",
            "https://gitlab-ci-token:${CI_JOB_TOKEN}@gitlab.example/api/v4/projects/1/packages/pypi/simple",
        ),
        ("DEPLOY", "prod"),
    ]
    # the anchored script is read once, though two jobs use it
    assert [c.location.line for c in fm.commands] == [7, 15, 17, 18]


def test_circleci_travis_and_bitbucket() -> None:
    circle = parse(
        "jobs:\n  b:\n    environment:\n      PIP_INDEX_URL: https://circle.example/simple\n"
        "    steps:\n      - run:\n          name: x\n          command: pip install -i https://cmd.example/ y\n",
        ".circleci/config.yml",
    )
    assert [u[0] for u in urls(circle)] == ["https://circle.example/simple", "https://cmd.example/"]
    travis = parse(
        "env:\n  global:\n    - PIP_EXTRA_INDEX_URL=https://travis.example/simple FOO=1\n"
        "install:\n  - pip install -r requirements.txt\n",
        ".travis.yml",
    )
    assert urls(travis) == [("https://travis.example/simple", "extra", 3, 27)]
    assert [c.text for c in travis.commands] == ["pip install -r requirements.txt"]
    bitbucket = parse(
        "pipelines:\n  default:\n    - step:\n        script:\n"
        "          - pip install --extra-index-url https://bb.example/ x\n"
        "          - pipe: atlassian/pypi-publish:0.3.1\n            variables:\n"
        "              PYPI_PASSWORD: $PYPI_PASSWORD\n",
        "bitbucket-pipelines.yml",
    )
    assert urls(bitbucket) == [("https://bb.example/", "extra", 5, 43)]
    assert [e.name for e in bitbucket.env] == ["PYPI_PASSWORD"]


def test_container_credentials() -> None:
    fm = parse(
        "jobs:\n  j:\n    container:\n      image: corp/img\n      credentials:\n"
        "        username: bot\n        password: literal-secret\n",
        ".github/workflows/x.yml",
    )
    assert [(c.key, c.value, c.location.line, c.location.column) for c in fm.credentials] == [
        ("password", "literal-secret", 7, 19)
    ]


def test_not_secret_inputs_and_workflow_inputs_are_ignored() -> None:
    fm = parse(
        "on:\n  workflow_dispatch:\n    inputs:\n      token:\n        default: abc\n"
        "jobs:\n  j:\n    steps:\n      - uses: actions/checkout@v4\n        with:\n"
        "          persist-credentials: false\n          token: ${{ secrets.GH }}\n",
        ".github/workflows/x.yml",
    )
    assert [(c.key, c.value) for c in fm.credentials] == [("token", "${{ secrets.GH }}")]
    assert fm.env == []


# -- Jenkinsfile ---------------------------------------------------------------------------
JENKINS = """\
pipeline {
  environment {
    PIP_INDEX_URL = 'https://jenkins.example/simple'
    TOKEN = credentials('tok')
  }
  stages {
    stage('b') {
      steps {
        // sh 'pip install --extra-index-url https://commented.example/ x'
        sh 'pip install --extra-index-url https://single.example/ a'
        sh \"\"\"
          pip install \\\\
            --index-url https://triple.example/simple b
        \"\"\"
        sh(script: "pip download -i https://paren.example/ c", returnStdout: true)
        withEnv(["UV_INDEX_URL=https://withenv.example/"]) { sh 'uv pip install d' }
      }
    }
  }
}
"""


def test_jenkinsfile() -> None:
    fm = parse(JENKINS, "Jenkinsfile")
    assert fm.facts["ci-system"] == "jenkins"
    assert sorted(urls(fm), key=lambda u: (u[2], u[3])) == [
        ("https://jenkins.example/simple", "index", 3, 22),
        ("https://single.example/", "extra", 10, 43),
        ("https://triple.example/simple", "index", 13, 25),
        ("https://paren.example/", "index", 15, 37),
        ("https://withenv.example/", "index", 16, 32),
    ]
    assert [e.name for e in fm.env] == ["PIP_INDEX_URL", "UV_INDEX_URL"]


# -- the corpus ------------------------------------------------------------------------------
def _corpus(tmp_path: Path, name: str) -> FileModel:
    root = corpus_tree(tmp_path, {name: "azure-pipelines.yml"})
    return build_model(root).files["azure-pipelines.yml"]


def test_corpus_mekhaler_extra_index_and_twine_feed(tmp_path: Path) -> None:
    fm = _corpus(
        tmp_path, "b_private_index/MekhaleR__azure-artifacts-python-helloworld__azure-pipelines.yml"
    )
    assert urls(fm) == [
        (
            "https://pkgs.dev.azure.com/mekhalerahul/MyProject/_packaging/python-packages/pypi/simple/",
            "extra",
            42,
            46,
        )
    ]
    assert [
        (p.name, p.location.line, p.location.column) for p in fm.packages if p.name == "azurehello"
    ] == [("azurehello", 42, 17)]
    assert [(t.name, t.tool, t.location.line) for t in fm.publish_targets] == [
        ("python-packages", "TwineAuthenticate", 33),
        ("python-packages", "twine", 37),
    ]
    assert fm.credentials == [] and not fm.problems


def test_corpus_twine_authenticate_pipelines(tmp_path: Path) -> None:
    fm = _corpus(
        tmp_path,
        "a_credentials/chtrembl__azure-cloud__petstore__petstorepackages__build-publish-petstorecommon-package-pipeline.yml",
    )
    assert [(t.name, t.tool) for t in fm.publish_targets] == [
        ("petstore_packages", "TwineAuthenticate"),
        ("petstore_packages", "twine"),
    ]
    assert fm.credentials == []


def test_corpus_patryk_feed_variable_resolved(tmp_path: Path) -> None:
    fm = _corpus(
        tmp_path, "a_credentials/patryk-poc__poc-azure-artifacts-with-poetry__azure-pipelines.yml"
    )
    assert [(t.name, t.tool, t.location.line) for t in fm.publish_targets] == [
        ("kpatryk", "TwineAuthenticate", 81),
        ("kpatryk", "twine", 92),  # `poetry run twine upload -r $(feedName)`
    ]
    assert any(c.text == "printenv | sort" for c in fm.commands)


def test_corpus_tyconsulting_v0_task(tmp_path: Path) -> None:
    fm = _corpus(
        tmp_path,
        "a_credentials/tyconsulting__azure.artifacts.demo__pipelines__azure-pipeline-publish-pip-packages.yaml",
    )
    assert [(t.name, t.tool, t.location.line) for t in fm.publish_targets] == [
        ("pip-feed", "TwineAuthenticate", 34)
    ]
    assert [(e.name, e.value) for e in fm.env] == [("feedName", "pip-feed")]
    assert fm.commands == []  # `pwsh: true` is a Bash@3 input, not a script


# -- which shell a script runs in ---------------------------------------------------
def test_ci_shells_group_a_gitlab_job_and_split_github_steps() -> None:
    fm = parse(
        "a:\n"
        "  before_script:\n"
        "    - export X=1\n"
        "  script:\n"
        "    - pip install x\n"
        "b:\n"
        "  script: |\n"
        "    pip install y\n"
        "    pip install z\n",
        ".gitlab-ci.yml",
    )
    shells = fm.facts["ci.shells"]
    assert isinstance(shells, list)
    assert [(s[0], s[1]) for s in shells] == [
        ((3, 7), (3, 16)),
        ((5, 7), (5, 19)),
        ((8, 5), (9, 17)),
    ]
    assert shells[0][2] == shells[1][2] != shells[2][2]  # before_script and script: one job
    fm = parse(
        "jobs:\n  t:\n    steps:\n      - run: export X=1\n      - run: pip install x\n",
        ".github/workflows/ci.yml",
    )
    shells = fm.facts["ci.shells"]
    assert isinstance(shells, list) and len(shells) == 2
    assert shells[0][2] != shells[1][2]  # each step is its own shell
