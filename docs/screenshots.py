"""Take the lesson page's screenshots in docs/screenshots/: desktop and phone, light and dark.

    .venv/bin/python docs/screenshots.py        (or: make screenshots)

It builds a throwaway SQLite database with the track and the demo accounts, serves it with runserver on a
free local port, signs in as the demo learner with the machine's Chromium (CHROMIUM_PATH, default
/usr/bin/chromium) through Playwright, and photographs a lesson that has highlighted code and a table.
Nothing outside this machine is used.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
LESSON = "/topics/safety-engineering-overview/what-ai-safety-engineering-is/"
LEARNER = ("learner@safety-academy.test", "safety-academy-demo")
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 (our manage.py)


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not answer")


def photograph(base: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    args = ["--disable-gpu", "--no-first-run"] + (["--no-sandbox"] if os.geteuid() == 0 else [])
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        for device, viewport in SIZES.items():
            for scheme in ("light", "dark"):
                context = browser.new_context(base_url=base, viewport=viewport, color_scheme=scheme)
                page = context.new_page()
                page.goto("/accounts/login/")
                page.fill("input[name=login]", LEARNER[0])
                page.fill("input[name=password]", LEARNER[1])
                page.click("form button[type=submit]")
                page.wait_for_url("**/me/")
                page.goto(LESSON)
                path = OUT / f"lesson-{device}-{scheme}.png"
                page.screenshot(path=str(path))
                written.append(path)
                context.close()
        browser.close()
    return written


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="safety-academy-screenshots-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "CERTIFICATE_SIGNING_KEY_FILE": str(workdir / "key.pem"),
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("REDIS_URL", None)
    for command in (["migrate"], ["load_track"], ["generate_signing_key"], ["seed_demo"]):
        manage(env, *command)
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        for path in photograph(base):
            print(path.relative_to(ROOT))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
