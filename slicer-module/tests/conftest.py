"""Shared test set-up: LesionLinkLib on the path, skip-or-fail for missing peers, the jar's servers.

A test that needs something this machine may lack (Java, the built jar, a command in it) calls
:func:`require`: run by hand it is *skipped* with the reason; under CI (``CI=true``) it *fails*, because
a silently skipped interop test would hide a broken build.
"""
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import threading

import pytest

MODULE_DIR = pathlib.Path(__file__).resolve().parents[1] / "LesionLink"
REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(MODULE_DIR))


def is_ci():
    return os.environ.get("CI", "").lower() == "true"


def require(available, what):
    """Skips (by hand) or fails (CI=true) unless ``available``."""
    if available:
        return
    if is_ci():
        pytest.fail("missing: %s; CI=true, so this is an error, not a skip" % what, pytrace=False)
    pytest.skip("missing: %s" % what)


@pytest.fixture(scope="session")
def lesionlink_jar():
    """The built jar: $LESIONLINK_JAR, else target/lesionlink.jar (mvn package)."""
    jar = pathlib.Path(os.environ.get("LESIONLINK_JAR") or REPO_ROOT / "target" / "lesionlink.jar")
    require(shutil.which("java") is not None, "java on PATH (runs the LesionLink jar)")
    require(jar.is_file(), "the LesionLink jar %s (build it with mvn package, or set LESIONLINK_JAR)" % jar)
    return jar


@pytest.fixture(scope="session")
def jar_commands(lesionlink_jar):
    """The command names ``java -jar lesionlink.jar --help`` lists."""
    out = subprocess.run(["java", "-jar", str(lesionlink_jar), "--help"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    commands, listing = set(), False
    for line in out.stdout.splitlines():
        if line.startswith("Commands:"):
            listing = True
        elif listing and re.match(r"^  \S", line):
            commands.add(line.split()[0])
    return commands


class JarServer:
    """``java -jar lesionlink.jar COMMAND ... --port 0`` running until :meth:`stop`; its port is read from
    the line it prints (``... listening on ADDRESS:PORT ...``)."""

    def __init__(self, jar, args, ready=r"listening on [^\s:]+:(\d+)", startup_timeout=60):
        # SIGINT back to its default in the child: a build started in the background (`mvn ... &` from a
        # script) passes SIGINT on as ignored, and the JVM then never sees the Ctrl-C that stop() sends.
        self.process = subprocess.Popen(["java", "-jar", str(jar)] + list(args), stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True,
                                        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.output = []
        found = threading.Event()
        self.port = None

        def read(stream):
            for line in stream:
                self.output.append(line)
                m = re.search(ready, line)
                if m and self.port is None:
                    self.port = int(m.group(1))
                    found.set()
            found.set()  # ended without a port

        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=read, args=(stream,), daemon=True).start()
        if not found.wait(startup_timeout) or self.port is None:
            self.stop()
            raise RuntimeError("%s did not report a port within %d s:\n%s"
                               % (" ".join(args), startup_timeout, "".join(self.output)))

    def stop(self):
        """Ctrl-C (the server tells its clients and exits), then kill if it lingers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_echo(jar, commands):
    require("igtl-echo" in commands, "the igtl-echo command in %s (it has: %s)" % (jar, ", ".join(sorted(commands))))
    return JarServer(jar, ["igtl-echo", "--port", "0", "--bind", "127.0.0.1"])


@pytest.fixture(scope="module")
def echo_server(lesionlink_jar, jar_commands):
    """``lesionlink igtl-echo`` on a free port of 127.0.0.1 (echoes IMAGE, STRING, STATUS as <name>_echo),
    shared by the tests of a module."""
    server = start_echo(lesionlink_jar, jar_commands)
    yield server
    server.stop()


@pytest.fixture
def own_echo_server(lesionlink_jar, jar_commands):
    """An igtl-echo for one test alone (one that stops it)."""
    server = start_echo(lesionlink_jar, jar_commands)
    yield server
    server.stop()
