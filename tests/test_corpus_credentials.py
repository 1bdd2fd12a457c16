"""FL1 on the real files of ``../shared/corpus/a_credentials``.

Each source repository becomes a tree of its own with its files at their real paths (the
``path`` column of INDEX.tsv), linted with ``--select FL1``. ``EXPECTED`` lists, per file,
the findings that must appear (line, code); an empty list means the file must stay
silent. The reasons come from the INDEX.tsv notes; where feedlint deliberately differs
from a note, the comment says why. Skips cleanly when ``../shared`` is absent.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import CORPUS, corpus_file, make_tree, run_cli

# repo -> {path in repo: [(line, code), ...]}
EXPECTED: dict[str, dict[str, list[tuple[int, str]]]] = {
    # user-wide and project-scoped PyPI tokens as .pypirc passwords: FL103 (not also FL102)
    "ASCOMInitiative/alpyca": {".pypirc": [(3, "FL103"), (6, "FL103")]},
    "Accruent/owasp-zap-historic-parser": {".pypirc": [(8, "FL103"), (13, "FL103")]},
    # plaintext account passwords, file without trailing newline
    "AfricasTalkingLtd/africastalking-python": {".pypirc": [(9, "FL103"), (14, "FL103")]},
    # the same Huawei CodeArts secret, percent-encoded in a URL and plain in .pypirc
    "ChenJaTing/PyPI-cloudartifact-action-workflow": {
        ".pypirc": [(6, "FL103")],
        "pip.conf": [(2, "FL101")],
    },
    # `<TOKEN>` is a placeholder, not a secret (the note's http/trusted-host are FL2)
    "AndreuMertvec/artifactory": {"pip.conf": []},
    # ARG GEMFURY_TOKEN used as the user of the --index-url: a build-arg credential
    "Centric-Technologies/signals-ticker-map-updater": {"Dockerfile": [(3, "FL104")]},
    # BuildKit secret mount: the negative control
    "Cray-HPE/csm-cms-buildenv": {"Dockerfile": []},
    # a credential-bearing URL passed as a build argument
    "Engelbert107/Looking-into-Prefect": {"Dockerfile": [(3, "FL104")]},
    # token read from /run/secrets inside one RUN: not persisted
    "IggyIkenna/instruments-service": {"Dockerfile": []},
    # pip ignores `password` in pip.ini, but the literal default password is committed
    "MRafaydev/openshift-flask-app": {"pip.ini": [(3, "FL102")]},
    # admin:admin in a live RUN line and in a commented-out one (the latter a warning)
    "MRafaydev/optimization_poc": {"Dockerfile": [(11, "FL101"), (12, "FL101")]},
    # no credentials at all (TwineAuthenticate supplies them)
    "MekhaleR/azure-artifacts-python-helloworld": {".pypirc": []},
    # the index URL promoted from ARG to ENV carries no credential: nothing to report
    # (the note's medium flag is about a hypothetical override)
    "Yelp/paasta": {"yelp_package/dockerfiles/jammy/Dockerfile": []},
    # the ARG, and `pip config set` writing the token into pip.conf in the layer
    "aws-samples/codeartifact-jenkins-python-sample": {
        "application_src/Dockerfile": [(7, "FL104"), (15, "FL104")]
    },
    "chtrembl/azure-cloud": {
        "petstore/petstorepackages/build-publish-petstorecommon-package-pipeline.yml": []
    },
    # `${secrets.X}` is never expanded by pip/twine: not a secret (just a broken config)
    "dsp-testing/pip-toml-private-registry-sample": {".pip/pip.conf": []},
    "dsp-testing/poetry-private-registry-sample": {".pypirc": []},
    "patryk-poc/poc-azure-artifacts-with-poetry": {"azure-pipelines.yml": []},
    # ${PYPI_USR}:${PYPI_PWD} and ${GITHUB_TOKEN} are environment references: no secret
    "robocorp/example-private-pypi": {"requirements-private.txt": []},
    "rskew/poetry2nix-private-pypi-demo": {"user_project/.netrc": [(3, "FL105")]},
    # `cat $PYPIRCPATH` dumps a generated .pypirc to the log: no secret in the files
    "tyconsulting/azure.artifacts.demo": {
        "pipelines/azure-pipeline-publish-pip-packages.yaml": [],
        "scripts/pipeline-push-pip-package.sh": [],
    },
    # the token ARG/ENV lines are commented out and hold only a reference
    "vignesh-narayanaswamy/camsdk": {"camsdk.Dockerfile": []},
}


def _rows() -> list[dict[str, str]]:
    index = CORPUS / "INDEX.tsv"
    if not index.is_file():
        pytest.skip("shared corpus not available")
    with open(index, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [r for r in rows if r["category"] == "a_credentials"]


def test_every_corpus_file_has_an_expectation() -> None:
    listed = {(repo, path) for repo, files in EXPECTED.items() for path in files}
    assert {(r["repo"], r["path"]) for r in _rows()} == listed


@pytest.mark.parametrize("repo", sorted(EXPECTED))
def test_corpus_repository(repo: str, tmp_path: Path) -> None:
    rows = [r for r in _rows() if r["repo"] == repo]
    root = tmp_path / repo.replace("/", "__")
    for row in rows:
        make_tree(root, {row["path"]: corpus_file(row["saved_file"]).read_bytes()})
    run = run_cli(str(root), "--select", "FL1", "--format", "json", "--exit-zero", "-q")
    got: dict[str, list[tuple[int, str]]] = {}
    for f in run.json["findings"]:
        got.setdefault(f["path"], []).append((f["line"], f["code"]))
    for path, expected in EXPECTED[repo].items():
        assert sorted(got.pop(path, [])) == sorted(expected), path
    assert not got, f"findings in files without expectations: {got}"
