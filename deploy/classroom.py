"""A real hub on loopback and simulated learners driving it: used by tests/test_hub.py and benchmarks/hub_load.py.

`Hub` starts `jupyterhub -f deploy/jupyterhub_config.py` (what `make hub` runs) on free 127.0.0.1 ports with its
own state folder and class list, and stops it and every process it started (the proxy, the culler, the learners'
servers and their kernels). `Learner` does what a learner's browser does, through the same HTTP endpoints: logs in
with the form, starts their server, follows an nbgitpuller pull, runs a notebook cell by cell over the kernel
websocket, and reads and writes files through the Jupyter server's REST API.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

import nbformat
import psutil
import requests
import websocket
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
TARGET = "hrher2-course"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    def __init__(self, state: Path, learners: list[str], teacher: str = "teacher", cull_timeout: int | None = None,
                 cull_every: int | None = None, activity_interval: int | None = None, start_timeout: float = 60):
        self.state, self.learners, self.teacher = Path(state), list(learners), teacher
        self.port, self.api_port, self.proxy_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cull = (cull_timeout, cull_every)
        self.activity_interval = activity_interval
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self.seen: dict[int, psutil.Process] = {}

    def start(self) -> "Hub":
        self.state.mkdir(parents=True, exist_ok=True)
        roster = self.state / "class_list.yaml"
        roster.write_text(yaml.safe_dump({"teacher": self.teacher, "learners": self.learners}))
        env = dict(os.environ, HRHER2_HUB_STATE=str(self.state), HRHER2_CLASS_LIST=str(roster),
                   HRHER2_HUB_PORT=str(self.port), HRHER2_HUB_API_PORT=str(self.api_port),
                   HRHER2_PROXY_API_PORT=str(self.proxy_port))
        if self.cull[0] is not None:
            env["HRHER2_CULL_TIMEOUT"], env["HRHER2_CULL_EVERY"] = str(self.cull[0]), str(self.cull[1])
        if self.activity_interval is not None:
            env["HRHER2_ACTIVITY_INTERVAL"] = str(self.activity_interval)
        self.log = open(self.state / "hub.log", "w")
        self.proc = subprocess.Popen([str(PYTHON), "-m", "jupyterhub", "-f", str(HERE / "jupyterhub_config.py")],
                                     cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.proc.returncode}; see {self.state / 'hub.log'}")
            try:
                if requests.get(f"{self.url}/hub/api", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the hub did not answer within {self.start_timeout} s; see {self.state / 'hub.log'}")

    def track(self) -> None:
        """Remember every process below the hub (servers and kernels start in sessions of their own)."""
        if self.proc is None:
            return
        try:
            for p in psutil.Process(self.proc.pid).children(recursive=True):
                self.seen[p.pid] = p
        except psutil.NoSuchProcess:
            pass

    def stop(self, timeout: float = 25) -> list[int]:
        """SIGTERM the hub (it stops the learners' servers: cleanup_servers), then kill anything left. Returns
        the pids that had to be killed."""
        if self.proc is None:
            return []
        self.track()
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        killed = []
        for pid, p in self.seen.items():
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    p.kill()
                    killed.append(pid)
            except psutil.NoSuchProcess:
                pass
        self.log.close()
        self.proc = None
        return killed

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def processes_of(self, user: str) -> list[psutil.Process]:
        """The learner's server and kernels: the processes below the hub whose environment names the user."""
        self.track()
        found = []
        for p in list(self.seen.values()):
            try:
                if p.is_running() and p.environ().get("JUPYTERHUB_USER") == user:
                    found.append(p)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return found

    def rss_mib(self, user: str) -> float:
        total = 0
        for p in self.processes_of(user):
            try:
                total += p.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total / 2**20


class Learner:
    """One person with a browser-like session on the hub."""

    def __init__(self, hub: Hub, name: str, password: str | None = None):
        self.hub, self.name = hub, name
        self.password = password or f"pw-{name}-{uuid.uuid4().hex[:8]}"
        self.http = requests.Session()
        self.token: str | None = None

    # ------------------------------------------------------------------ the hub
    def login(self) -> requests.Response:
        """The log-in form, as a browser submits it (the first log-in sets the password)."""
        self.http.get(f"{self.hub.url}/hub/login", timeout=30)
        xsrf = self.http.cookies.get("_xsrf", path="/hub/")
        return self.http.post(f"{self.hub.url}/hub/login", data={"username": self.name, "password": self.password,
                                                                 "_xsrf": xsrf}, timeout=60, allow_redirects=False)

    def logged_in(self) -> bool:
        r = self.http.get(f"{self.hub.url}/hub/api/user", timeout=30)
        return r.status_code == 200 and r.json()["name"] == self.name

    def get_token(self) -> str:
        xsrf = self.http.cookies.get("_xsrf", path="/hub/")
        r = self.http.post(f"{self.hub.url}/hub/api/users/{self.name}/tokens", headers={"X-XSRFToken": xsrf},
                           json={"note": "classroom simulation", "expires_in": 3600}, timeout=30)
        r.raise_for_status()
        self.token = r.json()["token"]
        return self.token

    def api(self, method: str, path: str, **kw) -> requests.Response:
        """A request with this learner's token (hub API paths start /hub/api, server paths /user/NAME/...)."""
        headers = kw.pop("headers", {}) | {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.hub.url}{path}", headers=headers, timeout=kw.pop("timeout", 60), **kw)

    def start_server(self, timeout: float = 120) -> float:
        """Ask the hub for the server and wait until it answers; the seconds it took."""
        t0 = time.monotonic()
        r = self.api("POST", f"/hub/api/users/{self.name}/server")
        if r.status_code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"{self.name}: the hub refused to start the server ({r.status_code}: {r.text[:200]})")
        while time.monotonic() - t0 < timeout:
            model = self.api("GET", f"/hub/api/users/{self.name}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                if self.api("GET", f"/user/{self.name}/api/status").status_code == 200:
                    return time.monotonic() - t0
            time.sleep(0.25)
        raise RuntimeError(f"{self.name}: the server did not start within {timeout} s")

    def server_running(self) -> bool:
        model = self.api("GET", f"/hub/api/users/{self.name}").json()
        return bool(model.get("servers", {}).get(""))

    # ------------------------------------------------------------------ nbgitpuller
    def pull(self, repo: str, branch: str = "main", target: str = TARGET) -> list[str]:
        """What the nbgitpuller page does after a link is opened: stream /git-pull/api until it finishes."""
        query = urlencode({"repo": repo, "branch": branch, "targetpath": target})
        r = self.api("GET", f"/user/{self.name}/git-pull/api?{query}", stream=True, timeout=120)
        r.raise_for_status()
        lines = []
        for raw in r.iter_lines(decode_unicode=True):
            if not raw or not raw.startswith("data:"):
                continue
            event = json.loads(raw[5:])
            if event.get("phase") == "error":
                raise RuntimeError(f"{self.name}: nbgitpuller failed: {event.get('message')} {event.get('output', '')}")
            if event.get("output"):
                lines.append(event["output"].rstrip())
            if event.get("phase") == "finished":
                return lines
        raise RuntimeError(f"{self.name}: the pull stream ended without finishing: {lines[-5:]}")

    # ------------------------------------------------------------------ files
    def contents(self, path: str, **kw) -> requests.Response:
        return self.api("GET", f"/user/{self.name}/api/contents/{quote(path)}", **kw)

    def read_notebook(self, path: str) -> nbformat.NotebookNode:
        r = self.contents(path)
        r.raise_for_status()
        return nbformat.from_dict(r.json()["content"])

    def save(self, path: str, model: dict) -> None:
        r = self.api("PUT", f"/user/{self.name}/api/contents/{quote(path)}", json=model)
        r.raise_for_status()

    def save_notebook(self, path: str, nb) -> None:
        self.save(path, {"type": "notebook", "format": "json", "content": nb})

    def delete(self, path: str) -> None:
        self.api("DELETE", f"/user/{self.name}/api/contents/{quote(path)}").raise_for_status()

    # ------------------------------------------------------------------ a kernel
    def run_notebook(self, path: str, timeout: float = 180, save: bool = False) -> dict:
        """Run every code cell of a notebook in a new kernel of the notebook's kernelspec, in the notebook's folder,
        over the websocket, as JupyterLab does; returns the kernel's name, per-cell seconds and errors."""
        nb = self.read_notebook(path)
        kernel_name = nb.metadata.get("kernelspec", {}).get("name", "python3")
        r = self.api("POST", f"/user/{self.name}/api/sessions",
                     json={"path": path, "type": "notebook", "name": "", "kernel": {"name": kernel_name}})
        r.raise_for_status()
        session = r.json()
        kid = session["kernel"]["id"]
        ws_url = f"ws://127.0.0.1:{self.hub.port}/user/{self.name}/api/kernels/{kid}/channels"
        ws = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"], timeout=timeout)
        times, errors = [], []
        try:
            for cell in nb.cells:
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                msg_id = uuid.uuid4().hex
                ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "execute_request", "session": uuid.uuid4().hex,
                                                "username": self.name, "version": "5.3", "date": ""},
                                    "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                                    "content": {"code": cell.source, "silent": False, "store_history": True,
                                                "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
                t0, idle, reply, outputs = time.monotonic(), False, None, []
                while not (idle and reply):
                    m = json.loads(ws.recv())
                    if m.get("parent_header", {}).get("msg_id") != msg_id:
                        continue
                    if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                        idle = True
                    elif m["msg_type"] == "execute_reply":
                        reply = m["content"]
                    elif m["msg_type"] == "error":
                        errors.append(f"{m['content']['ename']}: {m['content']['evalue']}")
                    if m["msg_type"] in ("stream", "display_data", "execute_result", "error"):
                        outputs.append(nbformat.v4.output_from_msg(m))
                times.append(time.monotonic() - t0)
                cell.outputs = outputs
                if cell.cell_type == "code":
                    cell.execution_count = reply.get("execution_count")
                if reply["status"] != "ok":
                    break
        finally:
            ws.close()
            self.api("DELETE", f"/user/{self.name}/api/sessions/{session['id']}")
        if save:  # what pressing Save after "Run All" does: the new outputs go into the learner's file
            self.save_notebook(path, nb)
        return {"kernel": kernel_name, "cell_seconds": times, "errors": errors}
