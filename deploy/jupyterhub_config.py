"""JupyterHub for a class on ONE machine (`make hub`): the course's settings, read by `jupyterhub -f` from here.

    make hub                       # http://127.0.0.1:8000, the class list in deploy/class_list.yaml

What it sets, and why (book/teaching_at_scale.md explains it for teachers):

- Log-in: FirstUseAuthenticator (jupyterhub-firstuseauthenticator, maintained by the JupyterHub team, the one The
  Littlest JupyterHub offers). Only the names on the class list can log in (`create_users = False`); each learner
  chooses their own password the first time they log in, stored bcrypt-hashed in the hub's state folder. No open
  log-in: a name that is not on the list gets "Invalid username or password".
- Admin: the teacher named in the class list (JupyterHub's `admin` role: sees every server, can open and stop them).
- Spawning: SimpleLocalProcessSpawner. Every learner's server runs as the OS user that runs the hub, with its own
  home folder under the state folder. This is the only local spawner that needs no root and no system accounts,
  and it means learners are separated by the hub (one server and one home each; another learner's server answers
  403), NOT by the operating system: code a learner runs in a kernel could read another learner's folder. For a
  class whose learners must not be able to do that, run the hub as root with LocalProcessSpawner and one system
  user per learner (what The Littlest JupyterHub does), or use Kubernetes.
- Limits: deploy/class_settings.yaml (the same file the Kubernetes values use). A local process cannot be held to
  a memory total the way a Kubernetes pod is; what this hub does: it advertises the limit (MEM_LIMIT, CPU_LIMIT in
  the learner's environment), gives every process a learner starts an address-space ceiling (RLIMIT_AS, so one
  runaway cell cannot take the machine's memory) and runs learners' processes at a lower CPU priority (nice) than
  the hub and proxy, so the hub still answers when the class presses "Run All" together.
- Idle culling: jupyterhub-idle-culler as a hub service, with the timeout from class_settings.yaml.
- Kernel: the hub, the learners' servers and their kernels all run from the course's virtual environment (.venv),
  so "Python 3 (course)" is the kernel a learner gets.
- Address: 127.0.0.1 only, unless HRHER2_HUB_IP says otherwise; for a real address put it behind a reverse proxy
  with TLS (or set HRHER2_HUB_SSL_CERT / HRHER2_HUB_SSL_KEY), as the book page explains.

Environment variables (all optional): HRHER2_HUB_IP (127.0.0.1), HRHER2_HUB_PORT (8000), HRHER2_HUB_API_PORT (8081,
the hub's internal port), HRHER2_PROXY_API_PORT (8001), HRHER2_HUB_STATE (the folder for the database, cookie
secret, passwords and learners' homes; default .hub/ in the repository), HRHER2_CLASS_LIST (a class list other than
deploy/class_list.yaml), HRHER2_CULL_TIMEOUT and HRHER2_CULL_EVERY (seconds; override class_settings.yaml, for tests
and measurements), HRHER2_HUB_SSL_CERT and HRHER2_HUB_SSL_KEY, HRHER2_ACTIVITY_INTERVAL (seconds; for tests).
"""
from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

import yaml
from jupyterhub.spawner import SimpleLocalProcessSpawner

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent          # the course's .venv/bin: `make hub` runs the hub from it

SETTINGS = yaml.safe_load((HERE / "class_settings.yaml").read_text())
CLASS_LIST = Path(os.environ.get("HRHER2_CLASS_LIST", HERE / "class_list.yaml"))
ROSTER = yaml.safe_load(CLASS_LIST.read_text())
STATE = Path(os.environ.get("HRHER2_HUB_STATE", ROOT / ".hub")).resolve()
(STATE / "home").mkdir(parents=True, exist_ok=True)

UNITS = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def byte_spec(spec) -> int:
    """'1G' -> 1073741824, as JupyterHub reads it (K/M/G/T are powers of 1024)."""
    spec = str(spec).strip()
    return int(float(spec[:-1]) * UNITS[spec[-1]]) if spec[-1] in UNITS else int(spec)


MEM_LIMIT = byte_spec(SETTINGS["singleuser"]["memory"]["limit"])
# The ceiling on each process's ADDRESS SPACE (not its resident memory): a Python kernel with numpy and its BLAS
# threads reserves far more address space than it ever touches (about 1.3 GiB for a lesson kernel using 250 MiB),
# so the ceiling is a multiple of the memory limit. It stops one cell that tries to allocate many GiB; it does not
# add up a learner's processes (a server with two kernels may use up to three times this).
ADDRESS_SPACE_PER_PROCESS = 4 * MEM_LIMIT
NICENESS = 10


class ClassSpawner(SimpleLocalProcessSpawner):
    """SimpleLocalProcessSpawner plus an address-space ceiling and a lower CPU priority for learners' processes."""

    def make_preexec_fn(self, name):
        parent = super().make_preexec_fn(name)

        def preexec():
            parent()
            resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_PER_PROCESS, ADDRESS_SPACE_PER_PROCESS))
            os.nice(NICENESS)

        return preexec


c = get_config()  # noqa: F821  (JupyterHub provides it)

# ---------------------------------------------------------------------------------------------- addresses and state
ip = os.environ.get("HRHER2_HUB_IP", "127.0.0.1")
c.JupyterHub.bind_url = f"http://{ip}:{int(os.environ.get('HRHER2_HUB_PORT', 8000))}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{int(os.environ.get('HRHER2_HUB_API_PORT', 8081))}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(os.environ.get('HRHER2_PROXY_API_PORT', 8001))}"
c.ConfigurableHTTPProxy.command = [str(ROOT / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
if os.environ.get("HRHER2_HUB_SSL_CERT"):
    c.JupyterHub.ssl_cert = os.environ["HRHER2_HUB_SSL_CERT"]
    c.JupyterHub.ssl_key = os.environ["HRHER2_HUB_SSL_KEY"]
    c.JupyterHub.bind_url = c.JupyterHub.bind_url.replace("http://", "https://", 1)
c.JupyterHub.cleanup_servers = True          # stopping the hub stops every learner's server
c.JupyterHub.concurrent_spawn_limit = 30

# ---------------------------------------------------------------------------------------------- who can log in
c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
c.FirstUseAuthenticator.dbm_path = str(STATE / "passwords.dbm")
c.FirstUseAuthenticator.create_users = False
c.FirstUseAuthenticator.min_password_length = 8
c.Authenticator.admin_users = {ROSTER["teacher"]}
c.Authenticator.allowed_users = set(ROSTER["learners"]) | {ROSTER["teacher"]}

# ---------------------------------------------------------------------------------------------- learners' servers
c.JupyterHub.spawner_class = ClassSpawner
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit = SETTINGS["singleuser"]["memory"]["limit"]
c.Spawner.mem_guarantee = SETTINGS["singleuser"]["memory"]["guarantee"]
c.Spawner.cpu_limit = float(SETTINGS["singleuser"]["cpu"]["limit"])
c.Spawner.cpu_guarantee = float(SETTINGS["singleuser"]["cpu"]["guarantee"])
if os.geteuid() == 0:
    # Root (a CI machine, a container): Jupyter refuses to start without --allow-root, and every learner's code would
    # then run as root. Run `make hub` as an ordinary user for a class; this branch exists for test machines.
    print("WARNING: the hub runs as root, so learners' servers will too: run `make hub` as an ordinary user",
          file=sys.stderr)
    c.Spawner.args = ["--allow-root"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60
c.Spawner.environment = {
    # deploy/jupyter_server_config.json: kernel culling inside each server, /lab, and hrher2.safe_pull (course
    # updates keep a learner's copy of a lesson both they and the teacher changed). The Kubernetes image copies the
    # same file.
    "JUPYTER_CONFIG_PATH": str(HERE),
    "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
}

# How often a server tells the hub it is in use, and how often the hub asks the proxy (JupyterHub's defaults,
# 300 s, suit a class; the tests and the load measurement shorten them to see the culler act within a minute).
if os.environ.get("HRHER2_ACTIVITY_INTERVAL"):
    c.Spawner.environment["JUPYTERHUB_ACTIVITY_INTERVAL"] = os.environ["HRHER2_ACTIVITY_INTERVAL"]
    c.JupyterHub.last_activity_interval = int(os.environ["HRHER2_ACTIVITY_INTERVAL"])

# ---------------------------------------------------------------------------------------------- idle culling
cull = SETTINGS["cull"]
timeout = int(os.environ.get("HRHER2_CULL_TIMEOUT", cull["timeout"]))
every = int(os.environ.get("HRHER2_CULL_EVERY", cull["every"]))
if cull["enabled"]:
    command = [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={timeout}", f"--cull-every={every}",
               f"--max-age={int(cull['maxAge'])}", f"--cull-users={str(bool(cull['users'])).lower()}",
               f"--remove-named-servers={str(bool(cull['removeNamedServers'])).lower()}"]
    c.JupyterHub.services = [{"name": "idle-culler", "command": command}]
    c.JupyterHub.load_roles = [{
        "name": "idle-culler",
        "description": "Stop learners' servers that have been idle (jupyterhub-idle-culler)",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }]
