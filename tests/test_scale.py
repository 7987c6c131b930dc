"""The hub side of the course (deploy/ and book/teaching_at_scale.md): checks that fail when the configuration, the
image recipe, the measurements and the book page drift apart. Nothing here needs a hub, Kubernetes or Docker.

That environment.yml mirrors requirements.txt is tests/test_environment.py's job and is not repeated here.
"""
from __future__ import annotations

import importlib.util
import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
CONFIG = DEPLOY / "jupyterhub" / "config.yaml"
MEASURED = DEPLOY / "kernel_memory.json"
PAGE = ROOT / "book" / "teaching_at_scale.md"
HEADROOM = 1.25
USABLE_NODE_MIB = 12_800  # 12.5 GiB of a 16 GiB node, as book/teaching_at_scale.md states


def _load(name: str):
    """Import a script from deploy/ as a module (deploy/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"deploy_{name}", DEPLOY / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mib(spec) -> float:
    """A JupyterHub byte specification ('512M', '1G', 1073741824) in MiB. JupyterHub reads K/M/G/T as powers of
    1024."""
    if isinstance(spec, (int, float)):
        return spec / 2**20
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)\s*", str(spec))
    assert m, f"not a JupyterHub byte specification: {spec!r}"
    power = {"": 0, "K": 1, "M": 2, "G": 3, "T": 4}[m.group(2)]
    return float(m.group(1)) * 1024**power / 2**20


def _requirements() -> dict[str, str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return {l.split("==")[0].strip().lower(): l.split("==")[1].strip() for l in lines if "==" in l and not l.startswith("#")}


SETTINGS = DEPLOY / "class_settings.yaml"


def _merge(base: dict, over: dict) -> dict:
    """What Helm does with two --values files: the second's keys override the first's, recursively."""
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


@pytest.fixture(scope="module")
def config() -> dict:
    """config.yaml with deploy/class_settings.yaml on top, as `helm --values config.yaml --values class_settings.yaml`
    gives the chart."""
    return _merge(yaml.safe_load(CONFIG.read_text()), yaml.safe_load(SETTINGS.read_text()))


def test_limits_and_culling_have_one_source():
    """config.yaml does not set what class_settings.yaml sets (so they cannot disagree), and its helm command
    passes both files; the local hub's use of the same file is tests/test_hub.py's."""
    own = yaml.safe_load(CONFIG.read_text())
    settings = yaml.safe_load(SETTINGS.read_text())
    assert "cull" not in own and not {"memory", "cpu"} & set(own["singleuser"])
    assert set(settings) == {"singleuser", "cull"} and set(settings["singleuser"]) == {"memory", "cpu"}
    assert "--values deploy/jupyterhub/config.yaml --values deploy/class_settings.yaml" in CONFIG.read_text()
    assert "class_settings.yaml" in (DEPLOY / "jupyterhub_config.py").read_text()


@pytest.fixture(scope="module")
def measured() -> dict:
    return json.loads(MEASURED.read_text())


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def _lessons() -> list[str]:
    return sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


# ------------------------------------------------------------------------------------------------ the hub config
def test_mib_reads_jupyterhub_units():
    assert mib("512M") == 512 and mib("1G") == 1024 and mib("1.5G") == 1536 and mib(2**30) == 1024
    with pytest.raises(AssertionError, match="byte specification"):
        mib("1Gi")


def test_hub_config_parses_and_has_the_essentials(config):
    su = config["singleuser"]
    assert su["defaultUrl"] == "/lab"
    assert su["cmd"] == "jupyterhub-singleuser"
    assert {"guarantee", "limit"} <= set(su["memory"]) and {"guarantee", "limit"} <= set(su["cpu"])
    cull = config["cull"]
    assert cull["enabled"] is True and cull["users"] is False
    assert 0 < cull["every"] <= cull["timeout"]
    assert config["prePuller"]["hook"]["enabled"] and config["prePuller"]["continuous"]["enabled"]


def test_memory_limit_covers_every_measured_lesson(config, measured):
    limit = mib(config["singleuser"]["memory"]["limit"])
    server = measured["server"]["peak_rss_mb"]
    assert set(measured["lessons"]) == set(_lessons()), "re-run deploy/measure_memory.py: lessons were added or renamed"
    for lesson, m in measured["lessons"].items():
        worst = max(m["peak_rss_mb"], m["peak_rss_mb_after_widgets"])
        assert m["peak_rss_mb_after_widgets"] >= m["peak_rss_mb"] - 1, lesson  # the play pass ran in the same kernel
        assert server + worst <= limit, f"{lesson}: server {server} + kernel {worst} MiB exceed the limit {limit} MiB"


def test_guarantee_and_limit_follow_the_stated_rule(config, measured):
    g, l = mib(config["singleuser"]["memory"]["guarantee"]), mib(config["singleuser"]["memory"]["limit"])
    s, k = measured["server"]["peak_rss_mb"], measured["max_after_widgets"]["peak_rss_mb"]
    assert k == max(v["peak_rss_mb_after_widgets"] for v in measured["lessons"].values())
    assert g <= l
    assert g >= HEADROOM * (s + k), "guarantee below headroom x (server + worst kernel)"
    assert l >= HEADROOM * (s + 2 * k), "limit below headroom x (server + two worst kernels)"
    # rounded up to the next multiple of 256 MiB, not further
    assert g == 256 * math.ceil(HEADROOM * (s + k) / 256)
    assert l == 256 * math.ceil(HEADROOM * (s + 2 * k) / 256)
    cpu = config["singleuser"]["cpu"]
    assert 0 < float(cpu["guarantee"]) <= float(cpu["limit"])


def test_sizing_record_matches_measurements_and_arithmetic(config, measured):
    sizing = config["custom"]["hrher2"]["sizing"]
    assert (ROOT / sizing["measurements"]).resolve() == MEASURED
    assert sizing["server_mib"] == measured["server"]["peak_rss_mb"]
    assert sizing["worst_kernel_mib"] == measured["max_after_widgets"]["peak_rss_mb"]
    assert sizing["worst_kernel_lesson"] == measured["max_after_widgets"]["lesson"]
    per_node = USABLE_NODE_MIB // int(mib(config["singleuser"]["memory"]["guarantee"]))
    assert sizing["learners_per_node"] == per_node
    assert sizing["nodes_for_30"] == math.ceil(30 / per_node)
    assert sizing["nodes_for_500"] == math.ceil(500 / per_node)
    assert per_node * float(config["singleuser"]["cpu"]["guarantee"]) <= 4, "CPU guarantees exceed a 4-vCPU node"


# ------------------------------------------------------------------------------------------------ the book page
def test_page_table_matches_the_measurements(page, measured):
    rows = re.findall(r"^\| (\d\d_\w+) \| ([\d.]+) \| ([\d.]+) \| (\d+) \| ([\d.]+) \|$", page, flags=re.M)
    assert [r[0] for r in rows] == _lessons()
    for lesson, peak, played, changes, _ in rows:
        m = measured["lessons"][lesson]
        assert (float(peak), float(played), int(changes)) == (m["peak_rss_mb"], m["peak_rss_mb_after_widgets"],
                                                             m["widget_changes"]), lesson
    assert f"**{measured['server']['peak_rss_mb']} MiB**" in page


def test_page_states_the_configured_allowances(page, config):
    g, l = config["singleuser"]["memory"]["guarantee"], config["singleuser"]["memory"]["limit"]
    assert f"**{mib(g):.0f} MiB** (`{g}`)" in page
    assert f"**{mib(l):.0f} MiB** (`{l}`)" in page
    sizing = config["custom"]["hrher2"]["sizing"]
    assert f"**{sizing['learners_per_node']}** (by guarantee)" in page
    assert f"**{sizing['nodes_for_30']} user nodes**" in page and f"**{sizing['nodes_for_500']} user nodes**" in page


def _puller_links(text: str) -> list[str]:
    return re.findall(r"\S+/hub/user-redirect/git-pull\?\S+", text)


def test_every_nbgitpuller_link_opens_a_published_lesson(page):
    links_mod = _load("nbgitpuller_links")
    toc = links_mod.toc_lessons()
    found = _puller_links(page)
    assert len(found) == len(toc), "one link per lesson in _toc.yml"
    opened = []
    for url in found:
        assert url.startswith(links_mod.HUB_PLACEHOLDER), url
        query = parse_qs(urlsplit(url).query)
        assert query["repo"] == [links_mod.REPO_PLACEHOLDER]
        target = query["targetpath"][0]
        path = unquote(query["urlpath"][0])
        assert path.startswith(f"lab/tree/{target}/"), path
        lesson = path.removeprefix(f"lab/tree/{target}/").removesuffix(".ipynb")
        assert (ROOT / f"{lesson}.ipynb").is_file(), f"{lesson} is not in notebooks/"
        assert lesson in toc, f"{lesson} is not in _toc.yml"
        assert url == links_mod.link(lesson), "the link differs from deploy/nbgitpuller_links.py's"
        opened.append(lesson)
    assert opened == toc


def test_page_names_both_placeholders_and_says_the_repository_is_unknown(page):
    links_mod = _load("nbgitpuller_links")
    for placeholder in (links_mod.HUB_PLACEHOLDER, links_mod.REPO_PLACEHOLDER):
        assert f"`{placeholder}`" in page
    assert "not been decided yet" in page


def test_binder_and_other_lesson_paths_on_the_page_exist(page):
    for encoded in re.findall(r"notebooks%2F(\d\d_\w+)\.ipynb", page):
        assert (ROOT / "notebooks" / f"{encoded}.ipynb").is_file(), encoded


def test_link_builder_encodes_a_real_repository():
    links_mod = _load("nbgitpuller_links")
    url = links_mod.link("notebooks/03_crosstalk_resistance", hub="https://hub.example.edu/",
                         repo="https://github.com/owner/course")
    assert url.startswith("https://hub.example.edu/hub/user-redirect/git-pull?")
    query = parse_qs(urlsplit(url).query)
    assert query["repo"] == ["https://github.com/owner/course"]
    assert "repo=https%3A%2F%2Fgithub.com%2Fowner%2Fcourse&" in url
    assert query["urlpath"] == ["lab/tree/hrher2-course/notebooks/03_crosstalk_resistance.ipynb"]


def test_toc_reader_lists_only_lessons(tmp_path):
    links_mod = _load("nbgitpuller_links")
    toc = tmp_path / "_toc.yml"
    toc.write_text("format: jb-book\nroot: book/intro\nparts:\n  - caption: A\n    chapters:\n"
                   "      - file: notebooks/00_x\n      - file: book/data\n  - caption: B\n    chapters:\n"
                   "      - file: notebooks/01_y\n")
    assert links_mod.toc_lessons(toc) == ["notebooks/00_x", "notebooks/01_y"]


# ------------------------------------------------------------------------------------------------ the image
def test_image_is_the_one_built_from_environment_yml(config):
    image = config["custom"]["hrher2"]["image"]
    assert image["from"] == "environment.yml" and (ROOT / image["from"]).is_file()
    dockerfile = ROOT / image["build"]
    assert dockerfile == DEPLOY / "Dockerfile" and dockerfile.is_file()
    assert config["singleuser"]["image"]["name"].endswith("/hrher2-course")
    text = dockerfile.read_text()
    assert "COPY environment.yml" in text
    assert "python deploy/pip_pins_from_environment.py environment.yml" in text
    assert "-r deploy/hub-requirements.txt" in text
    assert "pip install --no-deps -e ." in text
    assert "COPY deploy/jupyter_server_config.json" in text
    # the base image's Python is environment.yml's
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert f"python:{python.split('=')[1]}" in text
    assert "git" in re.search(r"apt-get install[^\n]*", text).group(0), "nbgitpuller needs git in the image"


def test_pins_the_dockerfile_installs_are_requirements_txt():
    pins = _load("pip_pins_from_environment").pip_pins(ROOT / "environment.yml")
    assert {p.split("==")[0].lower(): p.split("==")[1] for p in pins} == _requirements()


def test_pin_extractor_on_small_files(tmp_path):
    mod = _load("pip_pins_from_environment")
    ok = tmp_path / "ok.yml"
    ok.write_text("dependencies:\n  - python=3.11\n  - pip\n  - pip:\n      - a==1.0\n      - -e .\n      - b==2\n")
    assert mod.pip_pins(ok) == ["a==1.0", "b==2"]
    loose = tmp_path / "loose.yml"
    loose.write_text("dependencies:\n  - pip:\n      - a>=1\n")
    with pytest.raises(SystemExit, match="not exact pins: a>=1"):
        mod.pip_pins(loose)
    none = tmp_path / "none.yml"
    none.write_text("dependencies:\n  - python=3.11\n")
    with pytest.raises(SystemExit, match="expected one 'pip:' section"):
        mod.pip_pins(none)


def test_hub_requirements_are_exact_pins_that_do_not_repeat_the_course_pins():
    lines = [l.strip() for l in (DEPLOY / "hub-requirements.txt").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    names = set()
    for line in lines:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][0-9A-Za-z.+\-]*", line), line
        names.add(line.split("==")[0].lower())
    assert {"jupyterhub", "nbgitpuller"} <= names
    assert not names & set(_requirements()), "a course package is pinned in two places"


def test_every_pin_mentioned_in_deploy_agrees_with_requirements():
    req = _requirements()
    for path in DEPLOY.rglob("*"):
        if not path.is_file() or path.suffix == ".json":
            continue
        for name, version in re.findall(r"\b([A-Za-z][A-Za-z0-9_.\-]*)==([0-9][0-9A-Za-z.+\-]*)", path.read_text()):
            if name.lower() in req:
                assert version == req[name.lower()], f"{path.name}: {name}=={version}, requirements.txt has {req[name.lower()]}"


def test_kernel_culling_is_configured_for_the_image():
    server = json.loads((DEPLOY / "jupyter_server_config.json").read_text())
    kernels = server["MappingKernelManager"]
    assert 0 < kernels["cull_interval"] <= kernels["cull_idle_timeout"]
    assert server["ServerApp"]["default_url"] == "/lab"


def test_binder_builds_from_environment_yml():
    """repo2docker (Binder) uses environment.yml only if nothing with higher precedence is present: a binder/ or
    .binder/ folder, or a Dockerfile at the top level (repo2docker's documented order)."""
    assert (ROOT / "environment.yml").is_file()
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    assert not (ROOT / "Dockerfile").exists()


@pytest.mark.skipif(shutil.which("jupyter-repo2docker") is None, reason="repo2docker is not installed (not a course dependency)")
def test_repo2docker_picks_environment_yml():
    proc = subprocess.run(["jupyter-repo2docker", "--no-build", str(ROOT)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert '--file "environment.yml"' in proc.stdout


# ------------------------------------------------------------------------------------------------ the measurement
def test_measure_memory_runs_a_small_lesson(tmp_path):
    """The measuring script itself, on two tiny notebooks: each gets a fresh kernel (the second one's peak is higher
    by what its cell allocates, not by what the first one held), and the play pass runs (no widgets are registered
    for lesson 99, so it makes no changes)."""
    mod = _load("measure_memory")

    def tiny(name: str, code: str) -> Path:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (course)", "language": "python"}
        nbformat.write(nb, tmp_path / name)
        return tmp_path / name

    small = mod.run_lesson(tiny("99_small.ipynb", "x = 1"), changes=1)
    big = mod.run_lesson(tiny("99_big.ipynb", "big = bytes(range(256)) * (200 * 2**20 // 256)"), changes=1)
    assert small["changes"] == big["changes"] == 0
    assert 20 < small["lesson_mb"] < big["lesson_mb"]
    assert big["lesson_mb"] - small["lesson_mb"] > 150, (small, big)  # 200 MiB, less transient start-up memory reused
    assert big["played_mb"] >= big["lesson_mb"] and big["seconds"] > 0
