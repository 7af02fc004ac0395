"""The README's embed steps, followed on a second website, against the real website channel.

A page on another origin carries the README's script tag. While that origin is
not in ``ALLOWED_ORIGINS`` the server refuses it and logs the origin, the
console names the origin and the setting, and the visitor reads that the chat
isn't set up for this website yet. Once ``ALLOWED_ORIGINS`` is set as the
README says and the server restarted, the same page chats.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.channels.fakes import free_port

ROOT = Path(__file__).resolve().parents[2]
NOT_SET_UP = "The chat isn't set up for this website yet"


def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Put the chat on the clinic's website")
    return text[start : text.index("\n## ", start + 3)]


def readme_script_tag(widget_url: str, chat_url: str) -> str:
    """The README's tag with ASSISTANT-HOST filled in: the script's host, then the chat server."""
    tag = re.search(r"```html\n(.*?)```", readme_section(), re.DOTALL)
    assert tag, "the README's embed section has no html block"
    html = tag.group(1)
    assert html.count("https://ASSISTANT-HOST") == 2, html
    return html.replace('src="https://ASSISTANT-HOST', f'src="{widget_url}').replace(
        'data-server="https://ASSISTANT-HOST"', f'data-server="{chat_url}"'
    )


def readme_allowed_origins(site: str) -> str:
    """The README's ALLOWED_ORIGINS value, with the example site replaced by ours."""
    step = re.search(r'ALLOWED_ORIGINS="([^"]+)" make run', readme_section())
    assert step, "the README's embed section does not set ALLOWED_ORIGINS"
    return step.group(1).replace("https://www.clinic.example", site)


class ChatServer:
    """tests/browser/widget_channel_server.py in a process, its log in a file."""

    def __init__(self, log: Path, allowed_origins: str | None) -> None:
        self.port = free_port()
        self.log = log
        env = {key: value for key, value in os.environ.items() if key != "ALLOWED_ORIGINS"}
        if allowed_origins is not None:
            env["ALLOWED_ORIGINS"] = allowed_origins
        env["PYTHONPATH"] = str(ROOT)
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.browser.widget_channel_server",
                    "--port",
                    str(self.port),
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the chat server did not start:\n{self.log.read_text()}")

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


class OtherSite:
    """The clinic's own website on another origin: one page, whose body we set."""

    def __init__(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
                body = site.page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.page = ""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://localhost:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def other_site() -> Iterator[OtherSite]:
    site = OtherSite()
    yield site
    site.close()


def test_the_readme_embed_steps_work_on_a_second_website(
    page: Page, demo_url: str, other_site: OtherSite, tmp_path: Path
) -> None:
    widget_url = demo_url.rstrip("/")
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    # step 1 only: the tag is on the page, the server still has its default origins
    refusing = ChatServer(tmp_path / "refusing.log", allowed_origins=None)
    try:
        other_site.page = (
            "<!doctype html><html lang='en'><head><title>Clinic</title></head>"
            "<body><main><h1>Riverside clinic</h1></main>"
            f"{readme_script_tag(widget_url, refusing.url)}</body></html>"
        )
        page.goto(other_site.origin + "/")
        chat = page.locator("#knee-widget")
        chat.get_by_role("button", name="Chat:").click()
        status = chat.get_by_role("status")
        expect(status).to_contain_text(NOT_SET_UP)
        expect(status).not_to_contain_text("Can't reach")
        expect(status.get_by_role("link", name="999")).to_have_attribute("href", "tel:999")
        named = [text for text in errors if other_site.origin in text]
        assert named and "ALLOWED_ORIGINS" in named[0], errors
        deadline = time.monotonic() + 5
        while other_site.origin not in refusing.log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        refused = [line for line in refusing.log.read_text().splitlines() if "Refused" in line]
        assert refused and other_site.origin in refused[0], refusing.log.read_text()
        assert "ALLOWED_ORIGINS" in refused[0]
    finally:
        refusing.stop()

    # step 2: ALLOWED_ORIGINS as the README sets it, and a restart
    accepting = ChatServer(
        tmp_path / "accepting.log", allowed_origins=readme_allowed_origins(other_site.origin)
    )
    try:
        other_site.page = other_site.page.replace(refusing.url, accepting.url)
        errors.clear()
        page.reload()
        chat = page.locator("#knee-widget")
        if chat.locator(".kw-panel").is_hidden():
            chat.get_by_role("button", name="Chat:").click()
        expect(chat.get_by_role("button", name="Check my symptoms")).to_be_visible()
        chat.get_by_label("Your message").fill("hello")
        chat.get_by_label("Your message").press("Enter")
        expect(chat.locator(".kw-bot .kw-text").last).to_have_text("You said: hello")
        expect(chat.get_by_role("status")).to_be_hidden()
        assert not [text for text in errors if "ALLOWED_ORIGINS" in text], errors
        assert "Refused" not in accepting.log.read_text()
    finally:
        accepting.stop()
