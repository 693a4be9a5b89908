"""PDF beside every issued .docx (municipalities file and publish PDFs): LibreOffice headless
opens the stored document and exports it, with the project's fontconfig (``fonts.conf``) so
that the forms' "MS 明朝" is drawn in an installed 明朝, never in a sans-serif font.

One LibreOffice is kept running and fed documents over unoserver's XML-RPC (``Office``):
starting LibreOffice takes a second or two, converting a one-page form a fraction of that. The
server half of unoserver runs in the Python that has LibreOffice's ``uno`` module (Debian's
``/usr/bin/python3`` with python3-uno); the client half is this process."""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import xmlrpc.client
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from grants.core.errors import GrantsError
from grants.core.ja.messages import message

FONTS = Path(__file__).with_name("fonts.conf")
STARTUP_SECONDS = 60
STOP_GRACE_SECONDS = 3  # for LibreOffice to end when asked, before it is made to
FOLDER_PREFIX = "grants-office-"
# unoserver's server, run by the office Python, with a watch on the process that started it:
# should that one die without stopping it (SIGKILL, a crash), the server ends itself and the
# LibreOffice it started (its process group), instead of living on as an orphan.
_GUARDED_SERVER = """
import os, signal, sys, threading, time
parent = os.getppid()
def watch():
    while os.getppid() == parent:
        time.sleep(1)
    os.killpg(0, signal.SIGKILL)  # all of the group at once: itself, oosplash, soffice.bin
threading.Thread(target=watch, daemon=True).start()
from unoserver.server import main
sys.argv[0] = "unoserver"
main()
"""


class PdfUnavailable(GrantsError):
    """LibreOffice is not installed here, or could not convert: the .docx is still there."""

    status = 503

    def __init__(self, reason: str) -> None:
        super().__init__(message("pdf_unavailable", reason=reason), code="pdf_unavailable")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_python() -> str | None:
    """A Python that can drive LibreOffice (imports ``uno``), or None."""
    for candidate in (os.environ.get("GRANTS_OFFICE_PYTHON"), "/usr/bin/python3"):
        if candidate and Path(candidate).exists() and subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True).returncode == 0:
            return candidate
    return None


@cache
def available() -> bool:
    """Whether this server can make PDFs (the pages say so instead of offering a link)."""
    return soffice() is not None and office_python() is not None


def environment(profile: Path) -> dict[str, str]:
    """LibreOffice's environment: the fonts, and a home of its own (it writes there)."""
    return os.environ | {"FONTCONFIG_FILE": str(FONTS), "HOME": str(profile)}


def convert_once(docx: bytes) -> bytes:
    """One document, one ``soffice --convert-to pdf`` start: the simple way, kept as the
    baseline the kept-running ``Office`` is measured against."""
    program = soffice()
    if program is None:
        raise PdfUnavailable(message("pdf_no_libreoffice"))
    with tempfile.TemporaryDirectory(prefix="grants-pdf-") as folder:
        source = Path(folder) / "document.docx"
        source.write_bytes(docx)
        subprocess.run([program, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", folder, str(source)],
                       check=True, capture_output=True, timeout=120, env=environment(Path(folder)))
        return (Path(folder) / "document.pdf").read_bytes()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Office:
    """One LibreOffice for this process, started on first use, restarted if it died.
    Conversions take turns: LibreOffice converts one document at a time anyway."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._folder: tempfile.TemporaryDirectory | None = None
        self._port = 0

    def convert(self, docx: bytes) -> bytes:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()
            try:
                return self._client().convert(indata=docx, convert_to="pdf")
            except (OSError, xmlrpc.client.Error) as error:
                self._stop()
                raise PdfUnavailable(str(error)) from error

    def _client(self):
        from unoserver.client import UnoClient
        return UnoClient(server="127.0.0.1", port=str(self._port), host_location="remote")

    def _start(self) -> None:
        self._stop()
        program, python = soffice(), office_python()
        if program is None:
            raise PdfUnavailable(message("pdf_no_libreoffice"))
        if python is None:
            raise PdfUnavailable(message("pdf_no_uno"))
        _forget_orphaned_folders()
        self._folder = tempfile.TemporaryDirectory(prefix=f"{FOLDER_PREFIX}{os.getpid()}-")
        folder = Path(self._folder.name)
        # The office Python sees unoserver alone, not the rest of this environment's packages.
        packages = folder / "packages"
        packages.mkdir()
        package = Path(find_spec("unoserver").origin).parent
        for part in (package, *package.parent.glob("unoserver-*.dist-info")):
            (packages / part.name).symlink_to(part)
        self._port = _free_port()
        self._process = subprocess.Popen(
            [python, "-c", _GUARDED_SERVER, "--interface", "127.0.0.1",
             "--port", str(self._port), "--uno-port", str(_free_port()),
             "--executable", program, "--user-installation", str(folder / "profile")],
            env=environment(folder) | {"PYTHONPATH": str(packages)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            try:
                xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self._port}").info()
                return
            except OSError:
                time.sleep(0.2)
        self._stop()
        raise PdfUnavailable(message("pdf_no_start"))

    def _stop(self) -> None:
        if self._process is not None:
            # The server and the LibreOffice it started are one process group: asked to end,
            # then made to (LibreOffice's launcher, oosplash, does not always heed SIGTERM).
            group = self._process.pid
            # A moment's grace: a group member that has ended but is not yet reaped still
            # counts as alive, so waiting out a long deadline only delays the shutdown.
            _signal_group(group, signal.SIGTERM)
            try:
                self._process.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            deadline = time.monotonic() + 1
            while _group_alive(group) and time.monotonic() < deadline:
                time.sleep(0.1)
            _signal_group(group, signal.SIGKILL)
            self._process.wait()
            self._process = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def close(self) -> None:
        with self._lock:
            self._stop()


def _signal_group(group: int, ending: int) -> None:
    try:
        os.killpg(group, ending)
    except ProcessLookupError:
        pass


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _forget_orphaned_folders() -> None:
    """Profiles left by a process that was killed before it could clean up after itself."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*-*"):
        owner = folder.name.removeprefix(FOLDER_PREFIX).split("-", 1)[0]
        if owner.isdecimal() and not _alive(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


office = Office()
atexit.register(office.close)  # the command line; the web app closes it in its lifespan
