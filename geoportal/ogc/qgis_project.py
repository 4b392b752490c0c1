"""The "QGIS-Projekt herunterladen" download: a .qgz with every public layer, grouped by app,
styled, pointing back at this server's WFS.

PyQGIS writes it (qgis_project_build.py under Debian's python3); we only describe the layers and
cache the file. The cache key holds the server's URL, the layers and their styles, so a new
layer or legend gives a new project and an unchanged one is served from disk.
"""

import hashlib
import json
import subprocess
import threading
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.http import FileResponse
from django.urls import reverse

from .. import conf
from .layers import all_layers
from .params import ProblemError
from .styles import qml
from .views import problems

BUILDER = Path(__file__).with_name("qgis_project_build.py")
BUILD_TIMEOUT_S = 180
_lock = threading.Lock()


def _job(base_wfs: str) -> dict:
    layers = []
    for layer in all_layers():
        uri = (
            f"url='{base_wfs}' typename='app:{layer.name}' version='2.0.0' "
            "srsname='EPSG:25832' pagingEnabled='true' restrictToRequestBBOX='1'"
        )
        app = apps.get_app_config(layer.model._meta.app_label)
        layers.append(
            {
                "title": layer.title,
                "group": str(app.verbose_name),
                "uri": uri,
                "qml": qml(layer).decode(),
            }
        )
    return {"title": settings.GEOPORTAL_NAME, "layers": layers}


def project_file(*, base_wfs: str) -> Path:
    job = _job(base_wfs)
    key = hashlib.sha256(json.dumps(job, sort_keys=True).encode()).hexdigest()[:24]
    folder = Path(conf.GEOPORTAL_QGIS_PROJECT_DIR or settings.BASE_DIR / "var" / "qgis")
    path = folder / f"geoportal-{key}.qgz"
    with _lock:  # one build at a time in this process; a second request waits and reuses it
        if path.exists():
            return path
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".building.qgz")
        result = subprocess.run(
            [conf.GEOPORTAL_QGIS_PYTHON, str(BUILDER)],
            input=json.dumps({**job, "out": str(partial)}),
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            env={
                "QT_QPA_PLATFORM": "offscreen",
                "HOME": str(folder),
                "PATH": "/usr/bin:/bin",
                "XDG_RUNTIME_DIR": str(folder),
                "LANG": "C.UTF-8",
            },
            check=False,
        )
        if result.returncode != 0 or not partial.exists():
            raise ProblemError(
                f"The QGIS project could not be built: {result.stderr.strip()[-300:]}",
                status=503,
                title="Service Unavailable",
            )
        partial.replace(path)  # atomic: a reader never sees half a file
    return path


@problems
def download(request):
    path = project_file(base_wfs=request.build_absolute_uri(reverse("services:wfs")))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename="geoportal.qgz",
        content_type="application/x-qgis-project",
    )
