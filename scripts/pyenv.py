"""The Python helpers' virtualenv (target/pyenv): create it with pinned packages, once,
then re-run the calling script inside it. Shared by compare-jionlp.py and bench-python.py."""
import os
import subprocess
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent.parent / "target" / "pyenv"


def ensure_venv(pins, script):
    """Create target/pyenv with `pins` installed (idempotent, quiet) and re-exec `script`."""
    py = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    check = "import importlib.metadata as m, sys; sys.exit(any(m.version(n) != v for n, v in %r))" % (
        [tuple(p.split("==")) for p in pins],)
    if subprocess.run([str(py), "-c", check], stderr=subprocess.DEVNULL).returncode != 0:
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", *pins],
                       check=True)
    os.execv(str(py), [str(py), script, *sys.argv[1:]])
