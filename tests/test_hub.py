"""`make hub` for real: a JupyterHub on 127.0.0.1 (free ports, its own state folder), learners who log in, pull the
course by an nbgitpuller link, edit, run and delete lessons while the teacher commits fixes, and a short class under
load with the idle culler reclaiming the servers. Every hub is stopped at teardown with every process it started.

Needs the hub's packages (deploy/hub-requirements.txt) and configurable-http-proxy (package.json): `make setup`.
"""
from __future__ import annotations

import concurrent.futures as cf
import json
import os
import re
import resource
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import nbformat
import psutil
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
import classroom  # noqa: E402
from classroom import TARGET, Hub, Learner  # noqa: E402

pytestmark = [pytest.mark.hub, pytest.mark.timeout(240)]

SETTINGS = yaml.safe_load((ROOT / "deploy" / "class_settings.yaml").read_text())
L00, L01, L02, L03 = ("notebooks/00_how_to_use.ipynb", "notebooks/01_the_subtype.ipynb",
                      "notebooks/02_her2_er_signaling.ipynb", "notebooks/03_crosstalk_resistance.ipynb")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Teacher", "-c", "user.email=teacher@example.org", *args],
                          cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The teacher's working copy of the course (from this checkout's last commit) and the bare repository the
    links point at; the teacher commits in the first and pushes to the second."""
    base = tmp_path_factory.mktemp("course")
    teacher, origin = base / "teacher", base / "origin.git"
    subprocess.run(["git", "clone", "-q", "--no-local", "--depth", "1", str(ROOT), str(teacher)], check=True)
    git(teacher, "switch", "-q", "-C", "main")  # -C: the clone may already be on main
    subprocess.run(["git", "clone", "-q", "--bare", str(teacher), str(origin)], check=True)
    git(teacher, "remote", "set-url", "origin", str(origin))
    return {"teacher": teacher, "origin": origin, "url": f"file://{origin}"}


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    h = Hub(tmp_path_factory.mktemp("hub"), ["learner01", "learner02"], teacher="teacher")
    h.start()
    yield h
    killed = h.stop()
    assert killed == [], f"processes outlived the hub's shutdown and had to be killed: {killed}"


@pytest.fixture(scope="module")
def people(hub):
    """learner01 and learner02 with running servers (started together), and the teacher, all logged in."""
    a, b, t = Learner(hub, "learner01"), Learner(hub, "learner02"), Learner(hub, "teacher")
    for p in (a, b, t):
        assert p.login().status_code == 302 and p.logged_in(), p.name
        p.get_token()
    with cf.ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda p: p.start_server(), (a, b)))
    return {"a": a, "b": b, "teacher": t}


# ------------------------------------------------------------------------------------------------ the hub itself
def test_make_hub_runs_this_config_and_the_hub_answers(hub):
    recipe = re.search(r"^hub: setup\n\t(.+)$", (ROOT / "Makefile").read_text(), flags=re.M).group(1)
    assert recipe == "$(PY) -m jupyterhub -f deploy/jupyterhub_config.py"
    import requests
    assert requests.get(f"{hub.url}/hub/api", timeout=10).json()["version"].startswith("6.")


def test_names_off_the_class_list_and_wrong_passwords_cannot_log_in(hub, people):
    stranger = Learner(hub, "intruder")
    assert stranger.login().status_code == 403 and not stranger.logged_in()
    impostor = Learner(hub, "learner01", password="not-the-password")
    assert impostor.login().status_code == 403 and not impostor.logged_in()


def test_the_local_config_takes_limits_and_culling_from_class_settings(tmp_path):
    """The config file as JupyterHub loads it, without the test overrides: every value is class_settings.yaml's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRHER2_")}
    env["HRHER2_HUB_STATE"] = str(tmp_path)
    code = ("import json, sys; from traitlets.config.loader import PyFileConfigLoader;"
            "c = PyFileConfigLoader('jupyterhub_config.py', path=sys.argv[1]).load_config();"
            "print(json.dumps({'mem': c.Spawner.mem_limit, 'memg': c.Spawner.mem_guarantee,"
            " 'cpu': c.Spawner.cpu_limit, 'cpug': c.Spawner.cpu_guarantee,"
            " 'cull': c.JupyterHub.services[0]['command'], 'bind': c.JupyterHub.bind_url,"
            " 'auth': c.JupyterHub.authenticator_class, 'admin': sorted(c.Authenticator.admin_users)}))")
    out = json.loads(subprocess.run([str(classroom.PYTHON), "-c", code, str(ROOT / "deploy")], env=env, check=True,
                                    capture_output=True, text=True).stdout)
    su, cull = SETTINGS["singleuser"], SETTINGS["cull"]
    assert (out["mem"], out["memg"]) == (su["memory"]["limit"], su["memory"]["guarantee"])
    assert (out["cpu"], out["cpug"]) == (float(su["cpu"]["limit"]), float(su["cpu"]["guarantee"]))
    assert out["cull"][1:3] == ["-m", "jupyterhub_idle_culler"]
    assert f"--timeout={cull['timeout']}" in out["cull"] and f"--cull-every={cull['every']}" in out["cull"]
    assert f"--max-age={cull['maxAge']}" in out["cull"] and "--cull-users=false" in out["cull"]
    assert out["bind"] == "http://127.0.0.1:8000", "loopback by default"
    assert out["auth"] == "firstuseauthenticator.FirstUseAuthenticator"
    roster = yaml.safe_load((ROOT / "deploy" / "class_list.yaml").read_text())
    assert out["admin"] == [roster["teacher"]]


def test_a_learners_server_gets_the_advertised_limits(hub, people):
    procs = hub.processes_of("learner01")
    assert procs, "no process of learner01 found below the hub"
    server = next(p for p in procs if "jupyterhub-singleuser" in " ".join(p.cmdline()))
    env = server.environ()
    limit = classroom.yaml.safe_load((ROOT / "deploy" / "class_settings.yaml").read_text())["singleuser"]["memory"]["limit"]
    assert int(env["MEM_LIMIT"]) == 2**30 and limit == "1G"
    assert float(env["CPU_LIMIT"]) == float(SETTINGS["singleuser"]["cpu"]["limit"])
    soft, hard = server.rlimit(resource.RLIMIT_AS)
    assert soft == hard == 4 * 2**30
    assert server.nice() >= 10 > psutil.Process(hub.proc.pid).nice()


# ------------------------------------------------------------------------------------------------ the link
def test_the_link_pulls_the_course_and_opens_lesson_00_with_the_course_kernel(hub, people, course):
    a = people["a"]
    query = urlencode({"repo": course["url"], "branch": "main", "targetpath": TARGET,
                       "urlpath": f"lab/tree/{TARGET}/{L00}"})
    page = a.http.get(f"{hub.url}/hub/user-redirect/git-pull?{query}", timeout=60)
    # the learner lands on their own server's nbgitpuller page (it then streams the pull and opens urlpath)
    assert page.status_code == 200 and page.url.startswith(f"{hub.url}/user/learner01/git-pull?"), page.url
    assert "nbgitpuller" in page.text.lower()
    a.pull(course["url"])
    lab = a.http.get(f"{hub.url}/user/learner01/lab/tree/{TARGET}/{L00}", timeout=60)
    assert lab.status_code == 200 and "jupyter-config-data" in lab.text
    nb = a.read_notebook(f"{TARGET}/{L00}")
    assert nb.metadata.kernelspec.name == "python3"
    spec = a.api("GET", "/user/learner01/api/kernelspecs").json()["kernelspecs"]["python3"]["spec"]
    assert spec["display_name"] == "Python 3 (course)"
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys, hrher2; print(sys.executable)")])
    probe.metadata["kernelspec"] = nb.metadata.kernelspec
    a.save_notebook(f"{TARGET}/notebooks/probe.ipynb", probe)
    result = a.run_notebook(f"{TARGET}/notebooks/probe.ipynb", save=True)
    assert result["errors"] == []
    ran = a.read_notebook(f"{TARGET}/notebooks/probe.ipynb")
    assert ran.cells[0].outputs[0]["text"].strip() == str(classroom.PYTHON)
    a.delete(f"{TARGET}/notebooks/probe.ipynb")
    lesson = a.run_notebook(f"{TARGET}/{L00}")
    assert lesson["errors"] == [] and len(lesson["cell_seconds"]) > 3


# ------------------------------------------------------------------------------------------------ updates
def _first_markdown_line(nb) -> tuple[int, str]:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.strip():
            return i, cell.source.split("\n")[0]
    raise AssertionError("no markdown cell")


def _teacher_edits(course) -> dict:
    """The teacher fixes the first markdown line of lessons 00 and 02, adds notes.md, commits and pushes."""
    teacher = course["teacher"]
    fixes = {}
    for lesson in (L00, L02):
        path = teacher / lesson
        nb = nbformat.read(path, as_version=4)
        i, line = _first_markdown_line(nb)
        new = line + " (corrected by the teacher)"
        raw = path.read_text()
        old_json, new_json = json.dumps(line, ensure_ascii=False)[1:-1], json.dumps(new, ensure_ascii=False)[1:-1]
        assert raw.count(old_json) >= 1
        path.write_text(raw.replace(old_json, new_json, 1))
        assert nbformat.read(path, as_version=4).cells[i].source.split("\n")[0] == new
        fixes[lesson] = new
    (teacher / "notes.md").write_text("# Teacher's notes for the class\n")
    git(teacher, "add", "-A")
    git(teacher, "commit", "-q", "-m", "Fix two lessons' first lines; add notes.md")
    git(teacher, "push", "-q", "origin", "main")
    return fixes


def test_a_teacher_update_loses_no_learners_work(hub, people, course):
    a = people["a"]
    if not a.contents(f"{TARGET}/{L00}").ok:
        a.pull(course["url"])
    # the learner: edits a cell of 01 (which the teacher will not change), the first line of 02 (which the teacher
    # will also fix), deletes 03, adds two files (one with a name the teacher will also add), runs 00 and saves it
    nb01 = a.read_notebook(f"{TARGET}/{L01}")
    i01, _ = _first_markdown_line(nb01)
    nb01.cells[i01].source = "MY EDIT in 01\n" + nb01.cells[i01].source
    a.save_notebook(f"{TARGET}/{L01}", nb01)
    nb02 = a.read_notebook(f"{TARGET}/{L02}")
    i02, line02 = _first_markdown_line(nb02)
    nb02.cells[i02].source = nb02.cells[i02].source.replace(line02, "MY EDIT of the first line of 02", 1)
    a.save_notebook(f"{TARGET}/{L02}", nb02)
    a.delete(f"{TARGET}/{L03}")
    a.save(f"{TARGET}/my_file.md", {"type": "file", "format": "text", "content": "my own notes\n"})
    a.save(f"{TARGET}/notes.md", {"type": "file", "format": "text", "content": "the learner's notes.md\n"})
    # the learner opens 00's explorer on another trial and runs the lesson (a plain re-run changes nothing: the
    # lesson's outputs are deterministic, so there would be no work of theirs to keep)
    nb00 = a.read_notebook(f"{TARGET}/{L00}")
    mine00 = next(c for c in nb00.cells if c.cell_type == "code" and 'trial="TAnDEM"' in c.source)
    mine00.source = mine00.source.replace('trial="TAnDEM"', 'trial="CLEOPATRA"', 1)
    a.save_notebook(f"{TARGET}/{L00}", nb00)
    ran = a.run_notebook(f"{TARGET}/{L00}", save=True)
    assert ran["errors"] == []
    my_run = a.read_notebook(f"{TARGET}/{L00}")
    my_outputs = [c.outputs for c in my_run.cells if c.cell_type == "code"]
    assert any(my_outputs)

    fixes = _teacher_edits(course)
    log = a.pull(course["url"])
    listing = {f["name"]: f for f in a.contents(TARGET).json()["content"]}
    nb_listing = [f["name"] for f in a.contents(f"{TARGET}/notebooks").json()["content"]]

    # 1. a cell edited in a notebook the teacher did not change: still there, in place
    assert a.read_notebook(f"{TARGET}/{L01}").cells[i01].source.startswith("MY EDIT in 01\n")
    # 2. a notebook both changed: the teacher's version in place, exactly; the learner's beside it, and named
    for lesson, mine in ((L02, "MY EDIT of the first line of 02"), (L00, None)):
        here = a.read_notebook(f"{TARGET}/{lesson}")
        teachers = nbformat.read(course["teacher"] / lesson, as_version=4)
        assert [c.source for c in here.cells] == [c.source for c in teachers.cells], lesson
        assert fixes[lesson] in [c.source.split("\n")[0] for c in here.cells]
        stem = Path(lesson).stem
        copies = [n for n in nb_listing if n.startswith(f"{stem} (my version ")]
        assert len(copies) == 1, (lesson, nb_listing)
        kept = a.read_notebook(f"{TARGET}/notebooks/{copies[0]}")
        if mine:
            assert kept.cells[i02].source.split("\n")[0] == mine
        else:  # 5. the run lesson: the learner's edit and outputs are in the copy
            assert [c.outputs for c in kept.cells if c.cell_type == "code"] == my_outputs
            assert any('trial="CLEOPATRA"' in c.source for c in kept.cells)
            specs = [o["data"][k] for c in kept.cells if c.cell_type == "code" for o in c.outputs
                     for k in o.get("data", {}) if k.startswith("application/vnd.vegalite")]
            assert any(p.get("name") == "pv_trial" and p.get("value") == "CLEOPATRA"
                       for spec in specs for p in spec.get("params", [])), "the learner's run is not in the copy"
        assert any(copies[0] in line for line in log), log
    note = a.contents(f"{TARGET}/SAVED_WORK.md").json()["content"]
    assert "02_her2_er_signaling (my version" in note and "00_how_to_use (my version" in note
    # 3. the deleted lesson is back, as the teacher has it
    back = a.read_notebook(f"{TARGET}/{L03}")
    assert [c.source for c in back.cells] == [c.source for c in nbformat.read(course["teacher"] / L03, as_version=4).cells]
    # 4. the learner's own files: kept; the one whose name the teacher also used is renamed, content intact
    assert a.contents(f"{TARGET}/my_file.md").json()["content"] == "my own notes\n"
    assert a.contents(f"{TARGET}/notes.md").json()["content"] == "# Teacher's notes for the class\n"
    renamed = [n for n in listing if re.fullmatch(r"notes__\d{14}\.md", n)]
    assert len(renamed) == 1, sorted(listing)
    assert a.contents(f"{TARGET}/{renamed[0]}").json()["content"] == "the learner's notes.md\n"
    # every notebook still opens
    for name in nb_listing:
        if name.endswith(".ipynb"):
            nbformat.validate(a.read_notebook(f"{TARGET}/notebooks/{name}"))
    # and a second pull with nothing new changes nothing and saves nothing twice
    a.pull(course["url"])
    again = [f["name"] for f in a.contents(f"{TARGET}/notebooks").json()["content"]]
    assert sorted(again) == sorted(nb_listing)


def test_plain_nbgitpuller_would_hide_the_teachers_fix(course, tmp_path):
    """Why hrher2.safe_pull exists: nbgitpuller alone (no hub, no extension), learner and teacher changing the same
    line of a lesson: the learner's line wins and the teacher's fix is silently not there."""
    from nbgitpuller.pull import GitPuller
    teacher, origin = tmp_path / "teacher", tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", str(course["teacher"]), str(teacher)], check=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(teacher), str(origin)], check=True)
    learner = tmp_path / "learner"
    list(GitPuller(f"file://{origin}", str(learner), branch="main", depth=5).pull())
    nb = nbformat.read(learner / L02, as_version=4)
    i, line = _first_markdown_line(nb)
    nb.cells[i].source = nb.cells[i].source.replace(line, "MY EDIT of the first line of 02", 1)
    nbformat.write(nb, learner / L02)
    raw = (teacher / L02).read_text()
    fix = line + " (fixed)"
    (teacher / L02).write_text(raw.replace(json.dumps(line, ensure_ascii=False)[1:-1], json.dumps(fix, ensure_ascii=False)[1:-1], 1))
    git(teacher, "commit", "-q", "-am", "fix")
    git(teacher, "push", "-q", str(origin), "main")
    list(GitPuller(f"file://{origin}", str(learner), branch="main", depth=5).pull())
    after = [c.source.split("\n")[0] for c in nbformat.read(learner / L02, as_version=4).cells]
    assert "MY EDIT of the first line of 02" in after
    assert fix not in after, "nbgitpuller now brings the fix in: re-check what hrher2.safe_pull is for"


# ------------------------------------------------------------------------------------------------ who sees what
def test_anonymous_cannot_reach_a_learners_server_or_files(hub, people):
    import requests
    for path in ("/user/learner01/lab", f"/user/learner01/api/contents/{TARGET}", "/user/learner01/files/x",
                 "/hub/api/users/learner01"):
        r = requests.get(f"{hub.url}{path}", timeout=30, allow_redirects=False)
        assert r.status_code in (302, 403, 401), (path, r.status_code)
        if r.status_code == 302:  # to the hub's log-in, directly or through the hub's OAuth authorization
            assert r.headers["location"].split("?")[0].endswith(("/hub/login", "/hub/api/oauth2/authorize")), path
        followed = requests.get(f"{hub.url}{path}", timeout=30)
        assert followed.url.startswith(f"{hub.url}/hub/login") or followed.status_code in (401, 403), path
        assert '"hrher2-course"' not in followed.text


def test_one_learner_cannot_open_anothers_server_but_the_teacher_can(hub, people, course):
    a, b, t = people["a"], people["b"], people["teacher"]
    if not a.contents(f"{TARGET}/{L00}").ok:
        a.pull(course["url"])
    # learner02, with their token and with their browser session, on learner01's server and files
    assert b.api("GET", f"/user/learner01/api/contents/{TARGET}").status_code == 403
    assert b.api("GET", "/hub/api/users/learner01").status_code == 404
    page = b.http.get(f"{hub.url}/user/learner01/lab/tree/{TARGET}/{L00}", timeout=60)
    assert page.status_code == 403 and "jupyter-config-data" not in page.text
    assert b.http.get(f"{hub.url}/user/learner01/files/{TARGET}/README.md", timeout=60).status_code == 403
    # the teacher (admin): the same file, through the API and in the browser
    r = t.api("GET", f"/user/learner01/api/contents/{TARGET}/{L00}")
    assert r.status_code == 200 and r.json()["content"]["cells"]
    lab = t.http.get(f"{hub.url}/user/learner01/lab/tree/{TARGET}/{L00}", timeout=60)
    # JupyterHub asks an admin to confirm before it lets them into someone else's server: the teacher clicks
    # "Authorize" (the form's hidden fields, as the browser submits them)
    assert "/hub/api/oauth2/authorize" in lab.url and "Authorize access" in lab.text
    fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', lab.text)
    assert ("scopes", "access:servers!server=learner01/") in fields
    lab = t.http.post(lab.url, data=fields, timeout=60)
    assert lab.status_code == 200 and "jupyter-config-data" in lab.text, lab.url
    users = {u["name"] for u in t.api("GET", "/hub/api/users").json()}
    assert {"learner01", "learner02", "teacher"} <= users


# ------------------------------------------------------------------------------------------------ a short class
def test_a_short_class_under_load_and_the_culler(tmp_path_factory, course):
    """Three learners at once: log in, start, pull, run lesson 00; then idle until the culler stops their servers."""
    import hub_load
    result = hub_load.run_class(3, course["url"], tmp_path_factory.mktemp("load"), lesson=L00,
                                cull_timeout=20, cull_every=5, cull_wait=90)
    assert result["failures"] == [], result["failures"]
    assert len(result["server_start_s"]) == 3 and len(result["cell_s"]) >= 3 * 4
    assert 0 < result["peak_mib_per_learner"]["max"] < 1024, "a learner's server + lesson kernel over 1 GiB"
    assert result["culled"] == 3 and result["cull_s"] < 90
    assert result["leftover_processes"] == []
