"""Text compressed by the app itself, for the embedded default where no nginx does it (Flask-Compress).

Compressed: the static files, the field app's shell, worker and manifest, and the JSON API — what a phone on
a weak signal waits for (the shell is ~200 KB of text, a quarter of that compressed). Every answer says
`Vary: Accept-Encoding` so a cache never hands one client's encoding to another.

Not compressed: the desk's HTML pages. They carry the CSRF token next to text a user typed (search terms,
names), the pattern BREACH reads a secret from by watching compressed sizes; the desk runs on office
networks and behind nginx in production, where the operator decides. A proxy that already compressed is
left alone (an answer with a Content-Encoding is passed through untouched).

COMPRESS_RESPONSES=0 turns it off (a proxy in front that compresses everything).
"""
from flask import request
from flask_compress import Compress

compress = Compress()

# zstd and brotli for browsers that take them (Chromium does), gzip for everything else.
ALGORITHMS = ["zstd", "br", "gzip"]
COMPRESSED_BLUEPRINTS = {"field"}


def compressible():
    if request.endpoint == "static" or request.blueprint in COMPRESSED_BLUEPRINTS:
        return True
    return request.path.startswith("/api/")


def after_request(response):
    if not compressible():
        return response
    if response.is_streamed and request.endpoint == "static" and response.mimetype in compress.compress_mimetypes_set:
        # A static file is sent as a stream of the open file; ours are a few KB of text: read it, so it is
        # compressed whole with a Content-Length (a stream would go chunked, and without gzip).
        response.direct_passthrough = False
        response.make_sequence()
    return compress.after_request(response)


def init_app(app):
    app.config.setdefault("COMPRESS_ALGORITHM", ALGORITHMS)
    app.config["COMPRESS_STREAMS"] = False  # file downloads and exports stream as they are
    app.config["COMPRESS_REGISTER"] = False  # only what compressible() allows, by the hook below
    compress.init_app(app)
    if app.config.get("SHIFU_COMPRESS_RESPONSES", True):
        app.after_request(after_request)
