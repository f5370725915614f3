"""The technician's field app: one shell page, its service worker and manifest; ES modules render every screen."""
import functools
import hashlib
import json
import posixpath
import re
from pathlib import Path, PurePosixPath

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

bp = Blueprint("field", __name__, url_prefix="/field")

# What the phone keeps so the app opens with no network (paths under static/). Globs, so a new
# module is cached without anyone remembering to list it.
SHELL_GLOBS = ("css/field*.css", "js/field/*.js", "js/offline/*.js", "js/clocks/*.js", "js/slips/*.js",
               "img/field/*")
WORKER_SOURCE = "js/offline/service-worker.js"
THEME_COLOUR = "#14365d"


ENTRY = "js/field/app.js"
IMPORT = re.compile(r"""(?:\bfrom|^\s*import)\s*["'](\.{1,2}/[^"']+)["']""", re.MULTILINE)


@bp.get("/")
def shell():
    # No login check here: the shell is the same for everyone and is cached for offline use;
    # the data behind it comes from the API, which checks every request.
    static, files = _shell_files()
    preload = [url_for("static", filename=name) for name in _graph(str(static), _shell_version(static, files))[1:]]
    return render_template("field/shell.html", preload=preload)


@functools.lru_cache(maxsize=8)
def _graph(static, _version):
    """module_graph, read again only when a shell file changed (the version is their hash, from their stats)."""
    return tuple(module_graph(Path(static), ENTRY))


def module_graph(static, entry):
    """Every module the entry imports, directly or not, entry first (paths under static/): listed in the page
    as <link rel="modulepreload">, the browser fetches them all at once instead of one import level at a time.
    Read from the files themselves, so a new import is preloaded without anyone listing it."""
    seen, order, waiting = set(), [], [entry]
    while waiting:
        name = waiting.pop(0)
        if name in seen:
            continue
        seen.add(name)
        order.append(name)
        source = (static / name).read_text(encoding="utf-8")
        base = PurePosixPath(name).parent
        waiting += [posixpath.normpath(str(base / found)) for found in IMPORT.findall(source)]
    return order


@bp.get("/offline")
def offline():
    """The last resort of the service worker, when even the cached shell is missing."""
    return render_template("field/offline.html")


def _shell_files():
    static = Path(current_app.static_folder)
    files = {path for pattern in SHELL_GLOBS for path in static.glob(pattern)} - {static / WORKER_SOURCE}
    return static, sorted(files)


def _shell_version(static, files):
    """A hash of everything the worker caches and of the worker itself: any change is a new version.

    Browsers update a service worker only when its script changes by a byte; without this, a changed
    module would be served from the old cache for ever. Phones ask for the worker on every visit, so
    the files are read and hashed only when one of them changed (size or modification time).
    """
    templates = Path(current_app.template_folder) / "field"
    paths = [*files, static / WORKER_SOURCE, *sorted(templates.glob("*.html"))]
    return _digest(tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in paths))


@functools.lru_cache(maxsize=8)
def _digest(stamped_paths):
    digest = hashlib.sha256()
    for name, _mtime, _size in stamped_paths:
        path = Path(name)
        digest.update(str(path.relative_to(path.parents[1])).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@bp.get("/sw.js")
def service_worker():
    """The worker's source with its VERSION and SHELL list prepended; served from /field/ so its scope is /field/."""
    static, files = _shell_files()
    version = _shell_version(static, files)
    urls = [url_for("field.shell"), url_for("field.offline"), url_for("field.manifest")]
    urls += [url_for("static", filename=path.relative_to(static).as_posix()) for path in files]
    head = f"const VERSION = {json.dumps(version)};\nconst SHELL = {json.dumps(urls, indent=1)};\n\n"
    response = current_app.response_class(head + (static / WORKER_SOURCE).read_text(encoding="utf-8"),
                                          mimetype="application/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.set_etag(version)
    return response.make_conditional(request)


@bp.get("/manifest.webmanifest")
def manifest():
    """What "添加到主屏幕" installs: name, icons, and the app opening on 我的工单 full screen."""

    def icon(name, size, purpose="any"):
        return {"src": url_for("static", filename=f"img/field/{name}"), "sizes": f"{size}x{size}",
                "type": "image/png", "purpose": purpose}

    response = jsonify({
        "id": url_for("field.shell"),
        "name": "师傅",
        "short_name": "师傅",
        "description": "供热维修师傅:我的工单与入户服务,无信号也能用。",
        "lang": "zh-CN",
        "start_url": url_for("field.shell") + "#/jobs",
        "scope": url_for("field.shell"),
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": THEME_COLOUR,
        "icons": [icon("icon-192.png", 192), icon("icon-512.png", 512),
                  icon("icon-maskable-512.png", 512, "maskable")],
    })
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response
