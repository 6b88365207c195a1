"""A tiny headless-Chromium driver for the viewer's browser tests (standard library only).

It starts Debian's ``chromedriver`` and speaks the W3C WebDriver protocol to
it over plain HTTP (``urllib``), plus two chromedriver extensions: the log
endpoint (console messages and the DevTools ``performance`` log, which lists
every network request) and ``goog/cdp/execute`` (to install a dialog recorder
before any page script runs). No selenium, no websockets.

    with Browser() as b:
        b.get(Path("map.html").as_uri())
        b.wait_for("window.cg && window.cg.ready")
        b.execute("return cg.stats()")

``find_chromium()`` returns ``(chromium, chromedriver)`` or None; tests skip
with the reason when they are missing.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
    "--disable-extensions", "--disable-default-apps", "--disable-dev-shm-usage", "--mute-audio",
    "--hide-scrollbars", "--force-device-scale-factor=1",
]

# Installed before any page script: records dialogs instead of opening them.
DIALOG_RECORDER = """
(function () {
  window.__cgDialogs = [];
  ['alert', 'confirm', 'prompt', 'print'].forEach(function (name) {
    var record = function () { window.__cgDialogs.push([name, String(arguments[0])]); };
    try { Object.defineProperty(window, name, { value: record, writable: false, configurable: false }); }
    catch (e) { window[name] = record; }
  });
})();
"""

WEB_ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def find_chromium():
    """Paths of (chromium, chromedriver), or None when either is missing."""
    browser = (os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
               or shutil.which("google-chrome"))
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    if not driver and os.path.exists("/usr/bin/chromedriver"):
        driver = "/usr/bin/chromedriver"
    if not browser or not driver:
        return None
    return browser, driver


class WebDriverError(RuntimeError):
    def __init__(self, error, message):
        super().__init__(f"{error}: {message}")
        self.error = error


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One headless Chromium session driven through chromedriver."""

    def __init__(self, width: int = 1400, height: int = 900, timeout: float = 60.0):
        found = find_chromium()
        if not found:
            raise RuntimeError("chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
        browser, driver = found
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="cg-chromium-")
        self.port = _free_port()
        self._log = open(os.path.join(self._profile, "chromedriver.log"), "wb")
        self._proc = subprocess.Popen([driver, f"--port={self.port}"], stdout=self._log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        self.session = None
        try:
            self._wait_driver()
            args = CHROMIUM_ARGS + [f"--user-data-dir={os.path.join(self._profile, 'profile')}",
                                    f"--window-size={width},{height}"]
            caps = {"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "unhandledPromptBehavior": "ignore",
                "goog:chromeOptions": {"binary": browser, "args": args},
                "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
            }}}
            value = self._call("POST", "/session", caps)
            self.session = value["sessionId"]
            self._s = f"/session/{self.session}"
            self._call("POST", self._s + "/timeouts", {"script": int(timeout * 1000), "pageLoad": int(timeout * 1000)})
            self.cdp("Page.addScriptToEvaluateOnNewDocument", {"source": DIALOG_RECORDER})
            # the viewport itself is width x height (the window would be a little larger)
            self.cdp("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        except BaseException:
            self.close()
            raise

    # -- plumbing
    def _wait_driver(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/status", timeout=2) as r:
                    if json.load(r)["value"].get("ready"):
                        return
            except (OSError, ValueError, KeyError):
                pass
            if self._proc.poll() is not None:
                raise RuntimeError("chromedriver exited at start")
            time.sleep(0.1)
        raise RuntimeError("chromedriver did not start")

    def _call(self, method, path, body=None, timeout=None):
        data = json.dumps(body).encode() if body is not None else (b"{}" if method == "POST" else None)
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout + 30) as r:
                payload = json.load(r)
        except urllib.error.HTTPError as e:
            try:
                payload = json.load(e)
            except ValueError:
                raise WebDriverError("http", str(e)) from None
        value = payload.get("value")
        if isinstance(value, dict) and "error" in value:
            raise WebDriverError(value["error"], value.get("message", ""))
        return value

    def cdp(self, cmd: str, params: dict | None = None):
        return self._call("POST", self._s + "/goog/cdp/execute", {"cmd": cmd, "params": params or {}})

    # -- navigation and scripts
    def get(self, url: str):
        self._call("POST", self._s + "/url", {"url": url})

    def execute(self, script: str, *args):
        return self._call("POST", self._s + "/execute/sync", {"script": script, "args": list(args)})

    def wait_for(self, expression: str, timeout: float | None = None, interval: float = 0.02):
        """Poll a JavaScript expression until it is truthy; returns its value."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            value = self.execute(f"try {{ return ({expression}); }} catch (e) {{ return null; }}")
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {expression}")
            time.sleep(interval)

    @property
    def title(self) -> str:
        return self._call("GET", self._s + "/title")

    # -- elements and input
    def find(self, css: str) -> dict:
        return self._call("POST", self._s + "/element", {"using": "css selector", "value": css})

    def find_all(self, css: str) -> list:
        return self._call("POST", self._s + "/elements", {"using": "css selector", "value": css})

    def _eid(self, element):
        return element[WEB_ELEMENT] if isinstance(element, dict) else element

    def click(self, element):
        self._call("POST", f"{self._s}/element/{self._eid(element)}/click")

    def type(self, element, text: str):
        self._call("POST", f"{self._s}/element/{self._eid(element)}/value", {"text": text})

    def text(self, element) -> str:
        return self._call("GET", f"{self._s}/element/{self._eid(element)}/text")

    def click_at(self, x: float, y: float):
        """A real mouse click at viewport coordinates."""
        self._call("POST", self._s + "/actions", {"actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [
                {"type": "pointerMove", "duration": 0, "origin": "viewport", "x": int(round(x)), "y": int(round(y))},
                {"type": "pointerDown", "button": 0},
                {"type": "pause", "duration": 60},
                {"type": "pointerUp", "button": 0},
            ]}]})
        self._call("DELETE", self._s + "/actions")

    def move_to(self, x: float, y: float):
        """The mouse moved to viewport coordinates (hovering), no button pressed."""
        self._call("POST", self._s + "/actions", {"actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "duration": 0, "origin": "viewport",
                         "x": int(round(x)), "y": int(round(y))}]}]})

    def switch_to_frame(self, element=None):
        """Run later commands inside an <iframe> element (None: back to the top page)."""
        self._call("POST", self._s + "/frame", {"id": element})

    # -- observations
    def alert_text(self):
        """Text of an open dialog, or None."""
        try:
            return self._call("GET", self._s + "/alert/text")
        except WebDriverError as e:
            if e.error == "no such alert":
                return None
            raise

    def logs(self, kind: str = "browser") -> list:
        return self._call("POST", self._s + "/se/log", {"type": kind})

    def requested_urls(self) -> list:
        """Every URL the page asked the network stack for (from the DevTools performance log)."""
        urls = []
        for entry in self.logs("performance"):
            try:
                msg = json.loads(entry["message"])["message"]
            except (KeyError, ValueError):
                continue
            if msg.get("method") in ("Network.requestWillBeSent", "Network.webSocketCreated"):
                params = msg.get("params", {})
                if params.get("documentURL", "").startswith("chrome:"):
                    continue  # the browser's own new-tab page loading its resources, not ours
                url = params.get("request", {}).get("url") or params.get("url")
                if url:
                    urls.append(url)
        return urls

    def screenshot(self, path) -> str:
        png = base64.b64decode(self._call("GET", self._s + "/screenshot"))
        with open(path, "wb") as f:
            f.write(png)
        return str(path)

    # -- teardown
    def close(self):
        if self.session:
            try:
                self._call("DELETE", self._s, timeout=20)
            except Exception:
                pass
            self.session = None
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(5)
        self._log.close()
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# -- the explorer's side panel answering a click on a node (issue 19), timed in the page

# A point of node i that vis-network's own picking gives to it (nodes overlap on real maps): the
# centre, else the first of a spiral of points inside its disc; null when other nodes cover it all.
NODE_POINT = """
var i = arguments[0], net = cg.network(), c = net.getPosition(i), node = net.body.nodes[i];
var r = document.getElementById('cg-network').getBoundingClientRect(), size = node.options.size || 10;
for (var k = 0; k < 200; k++) {
  var a = k * 2.39996, d = size * 0.9 * Math.sqrt(k / 200);
  var p = net.canvasToDOM({x: c.x + d * Math.cos(a), y: c.y + d * Math.sin(a)});
  if (p.x < 2 || p.y < 2 || p.x > r.width - 2 || p.y > r.height - 2) continue;
  if (net.getNodeAt(p) === i) return [r.left + p.x, r.top + p.y];
}
return null;
"""

# Records, in the page's clock: the mouse-up (event.timeStamp), the panel shown (its hidden attribute
# going), the first animation frame after that, every drawing of the map, and long tasks.
ARM_CLICK = """
var panel = document.getElementById('cg-panel'), net = document.getElementById('cg-network');
var rec = window.__cgClick = {up: null, shown: null, painted: null, draws: [], tasks: []};
net.addEventListener('pointerup', function (ev) { if (rec.up === null) rec.up = ev.timeStamp; }, {capture: true, once: true});
var obs = new MutationObserver(function () {
  if (panel.hidden || rec.shown !== null) return;
  rec.shown = performance.now();
  obs.disconnect();
  requestAnimationFrame(function () { rec.painted = performance.now(); });
});
obs.observe(panel, {attributes: true, attributeFilter: ['hidden']});
if (window.__cgDrawn) cg.network().off('afterDrawing', window.__cgDrawn);
window.__cgDrawn = function () { window.__cgClick.draws.push(performance.now()); };
cg.network().on('afterDrawing', window.__cgDrawn);
if (window.__cgTasks) window.__cgTasks.disconnect();
window.__cgTasks = new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (t) { window.__cgClick.tasks.push([t.startTime, t.duration]); });
});
window.__cgTasks.observe({type: 'longtask'});
"""

# When other nodes cover the whole node: the click event vis-network emits after picking it, so the
# explorer's own handler runs; timed from just before.
EMIT_CLICK = """
var i = arguments[0], net = cg.network(), p = net.canvasToDOM(net.getPosition(i));
window.__cgClick.up = performance.now();
net.emit('click', {nodes: [i], edges: [], pointer: {DOM: p, canvas: net.getPosition(i)}, event: {}});
"""


def click_node(b: "Browser", i: int, timeout: float = 30.0, scale: float = 1.2, settle: float = 0.5) -> dict:
    """Click node ``i`` of the current view with the mouse, as a reader does, and time the answer.

    The view is centred on the node at ``scale`` and the mouse rests on it first (its hover frame is
    not the click's). Returns ``how`` ("mouse", or "event" when other nodes cover the node), and in
    milliseconds ``handler_ms`` (mouse-up to panel shown), ``painted_ms`` (to the next frame),
    ``wall_ms`` (sending the click to WebDriver seeing the panel and selection) and ``draws``: how
    many times the map was drawn from the mouse-up until ``settle`` seconds after that frame.
    """
    b.execute("cg.clear()")
    b.execute("cg.network().moveTo({position: cg.network().getPosition(arguments[0]), scale: arguments[1]})", i, scale)
    time.sleep(0.3)
    xy = b.execute(NODE_POINT, i)
    if xy is not None:
        b.move_to(*xy)
        time.sleep(0.3)
    b.execute(ARM_CLICK)
    start = time.monotonic()
    if xy is not None:
        b.click_at(*xy)
    else:
        b.execute(EMIT_CLICK, i)
    b.wait_for("!document.getElementById('cg-panel').hidden && cg.selected() !== null", timeout=timeout)
    wall = time.monotonic() - start
    b.wait_for("window.__cgClick.painted !== null", timeout=timeout)
    time.sleep(settle)
    rec = b.execute("return window.__cgClick")
    selected = b.execute("return cg.selected()")
    if selected != i:
        raise AssertionError(f"clicked node {i} but node {selected} was selected")
    up = rec["up"]
    return {"how": "mouse" if xy is not None else "event", "handler_ms": rec["shown"] - up,
            "painted_ms": rec["painted"] - up, "wall_ms": wall * 1000,
            "draws": sum(1 for t in rec["draws"] if t >= up), "draws_ms": [round(t - up) for t in rec["draws"]],
            "long_tasks_ms": [round(d) for t, d in rec["tasks"] if t + d >= up]}
