#!/usr/bin/env python3
"""The workbench's forms table with a large folder, timed from the server's start
(BENCHMARKS.md, "The workbench"). Python 3's standard library only; `page` needs Debian's
chromium and chromedriver (as tests/workbench.rs).

    python3 benches/workbench_page.py page JIXIAO FOLDER [RUNS]
    python3 benches/workbench_page.py http JIXIAO FOLDER [RUNS]

`page`: a headless Chromium session is opened first (the user's browser is already
running); then `JIXIAO serve FOLDER --port 0` is started (t0) and the page opened at the
address it prints. In the first animation frame where the page is ready (its rules open,
`body[data-ready]`) the 表单 tab is clicked, and the page notes, on its own wall clock
(`performance.timeOrigin + performance.now()`, so WebDriver's delays are not in it), the
first frame that shows each of: the page ready, the table's first row, its first page (300
rows), and every form read (the progress gone, the table sorted). Printed in seconds from t0.

`http`: the server started alone (t0), then `POST /api/score {wait: false, limit: 300}` as
the page asks it, every 50 ms: when the first answer holding 300 rows arrived, and when
the answer said every form was read.

Each run waits until the machine is quiet (at least 95 % idle over two seconds, from
/proc/stat) and prints the idle share of the second before it.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ROWS = 300  # the table's first page (ROWS_SHOWN in src/cli/serve/web/common.js)

MARKS = """
const [want, done] = [arguments[0], arguments[arguments.length - 1]];
const rows = () => document.querySelectorAll('#forms-table tbody tr:not(.more)').length;
const test = {
  ready: () => document.body.dataset.ready === '1',
  first: () => rows() >= 1,
  page: () => rows() >= %d,
  // (a page from before the progress was shown has every form with its first row)
  all: () => {
    const progress = document.querySelector('#forms-progress');
    return S.forms.rows.length > 0 && !S.forms.partial && (!progress || progress.hidden);
  },
};
const marks = {};
const tick = () => {
  const now = performance.timeOrigin + performance.now();
  if (!marks.ready && test.ready()) {
    marks.ready = now;
    document.querySelector('#tabs button[data-view=forms]').click();
  }
  if (marks.ready) for (const w of want) if (!marks[w] && test[w]()) marks[w] = now;
  if (marks.ready && want.every((w) => marks[w])) done(marks);
  else requestAnimationFrame(tick);
};
tick();
""" % ROWS


def post(url, body, headers):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", **headers})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def webdriver(port, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())["value"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve(jixiao, folder):
    """`jixiao serve FOLDER --port 0` started: the process, t0 and the address it printed."""
    t0 = time.time()
    server = subprocess.Popen([jixiao, "serve", folder, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return server, t0, server.stdout.readline().decode().strip()


def page(jixiao, folder):
    port = free_port()
    driver = subprocess.Popen(["/usr/bin/chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--lang=zh-CN", "--window-size=1280,800"]}}}}
        for _ in range(100):
            try:
                session = webdriver(port, "POST", "/session", caps)["sessionId"]
                break
            except OSError:
                time.sleep(0.1)
        webdriver(port, "POST", f"/session/{session}/timeouts", {"script": 120000})
        time.sleep(0.5)  # the browser settles before the server starts
        server, t0, url = serve(jixiao, folder)
        try:
            webdriver(port, "POST", f"/session/{session}/url", {"url": url})
            want = ["first", "page", "all"]
            marks = webdriver(port, "POST", f"/session/{session}/execute/async",
                              {"script": MARKS, "args": [want]})
            return {k: marks[k] / 1000 - t0 for k in ["ready"] + want}
        finally:
            server.kill()
            server.wait()
    finally:
        os.killpg(driver.pid, signal.SIGTERM)
        driver.wait()


def http(jixiao, folder):
    server, t0, url = serve(jixiao, folder)
    try:
        base, token = url.split("/?token=")
        body = {"rules": {"path": "bundled:hubei-2021", "text": None, "set": {}}, "wait": False, "limit": ROWS}
        out = {}
        while True:
            v = post(base + "/api/score", body, {"X-Jixiao-Token": token})
            if "page" not in out and len(v["forms"]) >= ROWS:
                out["page"] = time.time() - t0
            if not v["partial"]:
                out["all"] = time.time() - t0
                return out
            time.sleep(0.05)
    finally:
        server.kill()
        server.wait()


def idle(seconds):
    def read():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return v[3] + v[4], sum(v)
    a = read()
    time.sleep(seconds)
    b = read()
    return 100 * (b[0] - a[0]) / max(1, b[1] - a[1])


def main():
    mode, jixiao, folder = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    measure = {"page": page, "http": http}[mode]
    for _ in range(runs):
        while idle(2) < 95:
            pass
        before = idle(1)
        times = measure(jixiao, folder)
        print(json.dumps({"idle %": round(before), **{k: round(v, 3) for k, v in times.items()}}), flush=True)


if __name__ == "__main__":
    main()
