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
        self._folder = tempfile.TemporaryDirectory(prefix="grants-office-")
        folder = Path(self._folder.name)
        # The office Python sees unoserver alone, not the rest of this environment's packages.
        packages = folder / "packages"
        packages.mkdir()
        package = Path(find_spec("unoserver").origin).parent
        for part in (package, *package.parent.glob("unoserver-*.dist-info")):
            (packages / part.name).symlink_to(part)
        self._port = _free_port()
        self._process = subprocess.Popen(
            [python, "-m", "unoserver.server", "--interface", "127.0.0.1",
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
            # The server and the LibreOffice it started are one process group: end both.
            for ending, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, None)):
                try:
                    os.killpg(self._process.pid, ending)
                    self._process.wait(timeout=wait)
                    break
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    continue
            self._process = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def close(self) -> None:
        with self._lock:
            self._stop()


office = Office()
atexit.register(office.close)
