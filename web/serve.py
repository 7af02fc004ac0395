"""A tiny static server for the chat widget and the clinic's demo page (stdlib only).

It serves an explicit list of routes and nothing else (no directory listing,
no source files): the demo page `/` templated with the clinic's name from
clinic.yml and the Rasa server's URL, `/widget/` (the widget script and its
CSS), `/widget/vendor/` (socket.io-client's browser build from
web/node_modules, installed by `npm ci`), `/settings.json` (the clinic's public
details) and `/health`. `make run` starts it on port 8080 next to Rasa:

    python -m web.serve --port 8080 --rasa-url http://localhost:5005
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from kneecare.clinic import ClinicSettings, load_settings

WEB = Path(__file__).resolve().parent
SOCKET_IO_DIST = WEB / "node_modules" / "socket.io-client" / "dist"
STATIC = {
    "/demo.css": (WEB / "demo.css", "text/css; charset=utf-8"),
    "/widget/knee-widget.js": (WEB / "widget" / "knee-widget.js", "text/javascript; charset=utf-8"),
    "/widget/knee-widget.css": (WEB / "widget" / "knee-widget.css", "text/css; charset=utf-8"),
    "/widget/vendor/socket.io.min.js": (
        SOCKET_IO_DIST / "socket.io.min.js", "text/javascript; charset=utf-8"),
    "/widget/vendor/socket.io.min.js.map": (
        SOCKET_IO_DIST / "socket.io.min.js.map", "application/json"),
}


@dataclass(frozen=True)
class Site:
    """What the demo page needs: the clinic and where the Rasa server is."""

    clinic: ClinicSettings
    rasa_url: str

    def settings(self) -> dict[str, str]:
        """The clinic's public details, as served at /settings.json."""
        return {
            "clinic_name": self.clinic.name,
            "clinic_phone": self.clinic.phone,
            "clinic_booking_link": self.clinic.booking_link,
            "clinic_opening_hours": self.clinic.opening_hours_text(),
            "rasa_url": self.rasa_url,
        }

    def demo_page(self) -> bytes:
        """index.html with every {{placeholder}} filled in, HTML-escaped."""
        page = (WEB / "index.html").read_text(encoding="utf-8")
        for key, value in self.settings().items():
            page = page.replace("{{" + key + "}}", html.escape(value, quote=True))
        return page.encode()

    def content_security_policy(self) -> str:
        """Only this server's files run; the page may talk to Rasa and nothing else."""
        rasa = self.rasa_url.rstrip("/")
        websocket = "ws" + rasa.removeprefix("http")
        return (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:;"
            f" connect-src 'self' {rasa} {websocket}; base-uri 'none'; form-action 'self';"
            " frame-ancestors 'self'"
        )


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD for the routes above; 404 for everything else, 405 for other methods."""

    server_version = "KneeWidget"
    sys_version = ""

    def __init__(self, *args: object, site: Site, **kwargs: object) -> None:
        self.site = site
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_HEAD(self) -> None:  # noqa: N802 - the name http.server dispatches to
        self._respond(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(head=False)

    def do_POST(self) -> None:  # noqa: N802
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST  # noqa: N815

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """Every error the standard library sends (a malformed request line, a method this
        server has no handler for), as 4xx with a JSON body instead of an HTML page."""
        if code in (HTTPStatus.NOT_IMPLEMENTED, HTTPStatus.METHOD_NOT_ALLOWED):
            code, message = HTTPStatus.METHOD_NOT_ALLOWED, "only GET and HEAD are allowed here"
        status = HTTPStatus(code)
        body = json.dumps({"error": message or status.phrase}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", "GET, HEAD")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        headers = {}
        if path in ("/", "/index.html"):
            body, content_type = self.site.demo_page(), "text/html; charset=utf-8"
            headers["Content-Security-Policy"] = self.site.content_security_policy()
        elif path == "/settings.json":
            body, content_type = json.dumps(self.site.settings()).encode(), "application/json"
        elif path == "/health":
            body, content_type = b'{"status": "ok"}', "application/json"
        elif path in STATIC and STATIC[path][0].is_file():
            file, content_type = STATIC[path]
            body = file.read_bytes()
        else:
            hint = " (run `npm ci` in web/)" if path.startswith("/widget/vendor/") else ""
            body, content_type = f"not found{hint}\n".encode(), "text/plain; charset=utf-8"
            self._send(HTTPStatus.NOT_FOUND, body, content_type, headers, head)
            return
        self._send(HTTPStatus.OK, body, content_type, headers, head)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str,
              headers: dict[str, str], head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)


def make_server(host: str, port: int, site: Site) -> ThreadingHTTPServer:
    """A server ready for ``serve_forever``; port 0 picks a free port."""
    server = ThreadingHTTPServer((host, port), partial(Handler, site=site))
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the chat widget and its demo page.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="http://localhost:5005",
                        help="the Rasa server the widget talks to, as the browser reaches it")
    args = parser.parse_args(argv)
    if not SOCKET_IO_DIST.is_dir():
        print("warning: socket.io-client is missing; run `npm ci` in web/", file=sys.stderr)
    server = make_server(args.host, args.port, Site(load_settings(), args.rasa_url))
    print(f"Serving the widget demo on http://localhost:{server.server_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
