#!/usr/bin/env python3
"""How long `handbook serve` takes from saving a file to telling the browser to reload.

Usage:
    python3 benches/serve-latency.py BIN DIR [--edits 30] [--title-edits 5] [--port 0]
                                             [--timeout 60]

BIN is the handbook binary (target/release/handbook for real figures), DIR a handbook, e.g. one
generated in /dev/shm (the disk of the benchmark machines is slow and noisy; see
../shared/bench/README.md):

    python3 ../shared/bench/gen_corpus.py 10000 /dev/shm/hb10k --format handbook
    python3 benches/serve-latency.py target/release/handbook /dev/shm/hb10k

What it does:
  1. Times a full `BIN --root DIR build --output <temporary folder>` three times (in /dev/shm
     when there is one) and takes the median.
  2. Starts `BIN --root DIR serve --port PORT`, waits for its `Serving http://...` line and
     listens to the Server-Sent Events of /__handbook/events.
  3. Body edits: for each of --edits edits, takes the next of a rotation of decision records
     (content/decisions/), rewrites one body paragraph (the front matter stays byte-identical),
     notes the time just before the write and waits for the next `reload` (or `failed`) event.
     Latency = the event's arrival - the start of the write; it includes the server's debounce.
     When the edit changed generated pages (the lists: the decision log, tag pages, the home
     page…) and the site kept the same generated pages, the server brings them up to date after
     that reload and announces them in a reload of their own; when it changed the print page,
     it does the same for it, in a reload listing only print/index.html: their arrivals are
     measured too.
  4. Title edits: the same, --title-edits times, changing the `title` in the front matter, which
     changes every page that lists or links to the record.
  5. Puts back every file it touched, byte for byte, and stops the server with SIGINT (also when
     something failed; it is killed if it has not exited 10 s later).

It prints a Markdown table: the full build's median; the body edits' save -> reload median, p90,
min and max; the title edits' median; the lists' and the print page's own reloads' medians; and the pages the
server said it rebuilt (its
`Rebuilt N pages in X ms` lines). Anything that does not follow the serve protocol (a failed
rebuild, a reload that does not list the edited page, extra events, a missing Rebuilt line) is
listed below the table. Python 3 standard library only.
"""
import argparse
import http.client
import json
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

BUILT = re.compile(r"^Built (\d+) pages? .*in (\d+(?:\.\d+)?) ?ms")
REBUILT = re.compile(r"^Rebuilt (\d+) pages? in (\d+(?:\.\d+)?) ?ms")
SERVING = re.compile(r"^Serving (http://\S+/) ")
PRINT = "print/index.html"


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bin", help="the handbook binary")
    ap.add_argument("dir", help="the handbook folder")
    ap.add_argument("--edits", type=int, default=30, help="body edits (default 30)")
    ap.add_argument("--title-edits", type=int, default=5, help="title edits (default 5)")
    ap.add_argument("--port", type=int, default=0, help="port to serve on (default 0: any free one)")
    ap.add_argument("--timeout", type=float, default=60, help="seconds to wait for each rebuild (default 60)")
    return ap.parse_args()


# ---- Numbers ----

def percentile(values, p):
    """The nearest-rank percentile: the smallest value with at least p% of the values <= it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil without floats
    return ordered[int(rank) - 1]


def ms(seconds):
    return f"{seconds * 1000:.0f} ms"


# ---- The full build ----

def full_builds(args, runs=3):
    """Times `build` `runs` times into fresh folders; returns (seconds, the Built line)."""
    scratch = tempfile.mkdtemp(prefix="handbook-bench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    times, line = [], ""
    try:
        for run in range(runs):
            out = os.path.join(scratch, f"site-{run}")
            start = time.perf_counter()
            done = subprocess.run([args.bin, "--root", args.dir, "build", "--output", out],
                                  capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                sys.exit(f"build failed (exit {done.returncode}):\n{done.stderr}")
            line = next((l for l in done.stdout.splitlines() if BUILT.match(l)), line)
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return statistics.median(times), line


# ---- The server ----

class Server:
    """`BIN --root DIR serve`, its output lines as they come, and its event stream."""

    def __init__(self, args):
        self.stdout = []             # (arrival, line)
        self.stderr = []             # line
        self.events = queue.Queue()  # (arrival, type, data)
        self.listening = False
        self.lines = threading.Condition()
        self.proc = subprocess.Popen(
            [args.bin, "--root", args.dir, "serve", "--port", str(args.port)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
            env={**os.environ, "NO_COLOR": "1"},
        )
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self):
        for line in self.proc.stdout:
            with self.lines:
                self.stdout.append((time.perf_counter(), line.rstrip("\n")))
                self.lines.notify_all()

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line.rstrip("\n"))

    def wait_for_line(self, pattern, start=0, timeout=60.0):
        """The first stdout line from index `start` on that matches, as (index, match), or None."""
        deadline = time.monotonic() + timeout
        with self.lines:
            while True:
                for i in range(start, len(self.stdout)):
                    found = pattern.match(self.stdout[i][1])
                    if found:
                        return i, found
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return None
                self.lines.wait(min(left, 0.5))

    def listen(self, url):
        """Reads /__handbook/events on a thread, putting each event on self.events."""
        parts = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=None)
        conn.request("GET", "/__handbook/events", headers={"Accept": "text/event-stream"})
        resp = conn.getresponse()
        if resp.status != 200:
            raise RuntimeError(f"GET /__handbook/events: {resp.status} {resp.reason}")
        self.conn = conn
        self.listening = True

        def read():
            kind, data = "message", []
            try:
                while True:
                    raw = resp.readline()
                    if not raw:
                        return
                    line = raw.decode("utf-8").rstrip("\r\n")
                    if line == "":  # an event ends at a blank line
                        if data:
                            self.events.put((time.perf_counter(), kind, "\n".join(data)))
                        kind, data = "message", []
                    elif line.startswith(":"):
                        continue  # a comment, e.g. a keep-alive
                    else:
                        field, _, value = line.partition(":")
                        value = value[1:] if value.startswith(" ") else value
                        if field == "event":
                            kind = value
                        elif field == "data":
                            data.append(value)
            except (OSError, ValueError):
                return  # closed at the end

        threading.Thread(target=read, daemon=True).start()

    def stop(self):
        """SIGINT, then SIGKILL after 10 s; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


# ---- Edits ----

def split_front_matter(text):
    """(front matter with its fences, body); the front matter is '' when there is none."""
    for fence in ("---", "+++"):
        if text.startswith(fence + "\n"):
            end = text.find("\n" + fence + "\n", len(fence))
            if end >= 0:
                cut = end + len(fence) + 2
                return text[:cut], text[cut:]
    return "", text


def body_edit(text, n):
    """The text with one prose paragraph of the body (the second, if there are two) changed."""
    front, body = split_front_matter(text)
    blocks = body.split("\n\n")
    prose = [i for i, b in enumerate(blocks) if re.match(r"[A-Za-z]", b) and not b.startswith("**")]
    if not prose:
        return None
    at = prose[1] if len(prose) > 1 else prose[0]
    blocks[at] = f"Edit {n} for the latency benchmark. " + blocks[at]
    return front + "\n\n".join(blocks)


def title_edit(text, n):
    """The text with ` (retitled N)` added to the front matter's title."""
    front, body = split_front_matter(text)
    line = re.search(r'(?m)^(title\s*[:=]\s*)(.*)$', front)
    if not line:
        return None
    value = line.group(2).rstrip()
    quote = value[-1:] if value[:1] in "\"'" and len(value) > 1 else ""
    new = (value[:-1] + f" (retitled {n})" + quote) if quote else value + f" (retitled {n})"
    return front[:line.start(2)] + new + front[line.end(2):] + body


def decision_files(root):
    """Decision records under content/decisions/, sorted, and spread out for a rotation."""
    folder = os.path.join(root, "content", "decisions")
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if name.endswith(".md") and not name.startswith((".", "_")) and "template" not in name \
                    and name not in ("index.md", "README.md"):
                found.append(os.path.join(dirpath, name))
    return found


def site_path(root, file):
    """content/decisions/0007-x.md -> decisions/0007-x/index.html"""
    rel = os.path.relpath(file, os.path.join(root, "content")).replace(os.sep, "/")
    return rel[:-3] + "/index.html"


class Session:
    """Edits files one at a time against a running server and measures each rebuild."""

    def __init__(self, args, server):
        self.args, self.server = args, server
        self.originals = {}   # path -> bytes as found
        self.problems = []
        self.print_after = []  # save -> the print page's own reload, for edits that changed it
        self.lists_after = []  # save -> the generated pages' own reload, for title edits

    def write(self, path, text):
        if path not in self.originals:
            with open(path, "rb") as f:
                self.originals[path] = f.read()
        start = time.perf_counter()
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return start

    def drain(self, quiet=0.2):
        """Events that arrive within `quiet` seconds of each other, i.e. until the server is idle."""
        extra = []
        while True:
            try:
                extra.append(self.server.events.get(timeout=quiet))
            except queue.Empty:
                return extra

    def measure(self, label, path, text):
        """Writes `text` to `path` and waits for the rebuild: (latency, pages rebuilt, server ms)."""
        for _, kind, data in self.drain(0.05):
            self.problems.append(f"{label}: an event before the write: {kind} {data[:200]}")
        lines_before = len(self.server.stdout)
        start = self.write(path, text)
        try:
            arrival, kind, data = self.server.events.get(timeout=self.args.timeout)
        except queue.Empty:
            raise SystemExit(f"{label}: no event within {self.args.timeout} s of writing {path}")
        latency = arrival - start
        page = site_path(self.args.dir, path)
        listed = None
        if kind == "failed":
            self.problems.append(f"{label}: the rebuild failed: {data[:300]}")
        elif kind != "reload":
            self.problems.append(f"{label}: expected a reload event, got {kind}: {data[:200]}")
        else:
            message = json.loads(data)
            listed = "all" if message.get("all") else len(message.get("changed", []))
            if not message.get("all") and page not in message.get("changed", []):
                self.problems.append(f"{label}: the reload does not list {page} "
                                     f"(changed: {message.get('changed', [])[:10]})")
        rebuilt = self.server.wait_for_line(REBUILT, lines_before, timeout=2 if kind == "reload" else 0)
        pages = server_ms = None
        if rebuilt:
            pages, server_ms = int(rebuilt[1].group(1)), float(rebuilt[1].group(2))
        elif kind == "reload":
            self.problems.append(f"{label}: no `Rebuilt N pages in X ms` line on standard output")
        for extra_arrival, extra_kind, extra_data in self.drain():
            # The generated pages, then the print page, are brought up to date after the reload,
            # and announced on their own.
            if extra_kind == "reload" and json.loads(extra_data) == {"changed": [PRINT], "all": False}:
                self.print_after.append(extra_arrival - start)
                continue
            if extra_kind == "reload" and label.startswith("title") and not self.lists_after_of(label):
                self.lists_after.append((label, extra_arrival - start))
                continue
            self.problems.append(f"{label}: an extra {extra_kind} event after the rebuild: {extra_data[:200]}")
        return latency, pages, server_ms, listed

    def lists_after_of(self, label):
        return [t for l, t in self.lists_after if l == label]

    def restore(self):
        """Puts back every touched file as it was, and lets a running server rebuild once more."""
        if not self.originals:
            return
        for path, original in self.originals.items():
            with open(path, "wb") as f:
                f.write(original)
        self.originals = {}
        if self.server.listening and self.server.proc.poll() is None:
            try:
                self.server.events.get(timeout=self.args.timeout)
            except queue.Empty:
                pass
            self.drain(0.5)


# ---- The run ----

def run(args, server, session):
    started = time.perf_counter()
    ready = server.wait_for_line(SERVING, timeout=max(600.0, args.timeout))
    if not ready:
        raise SystemExit("the server did not print its Serving line:\n"
                         + "\n".join(l for _, l in server.stdout) + "\n" + "\n".join(server.stderr))
    startup = server.stdout[ready[0]][0] - started
    server.listen(ready[1].group(1))
    try:
        _, kind, data = server.events.get(timeout=args.timeout)
    except queue.Empty:
        raise SystemExit(f"no event on /__handbook/events within {args.timeout} s of connecting")
    if kind != "hello":
        raise SystemExit(f"expected a hello event on connecting, got {kind}: {data[:500]}")

    files = decision_files(args.dir)
    if not files:
        raise SystemExit(f"no decision records in {os.path.join(args.dir, 'content', 'decisions')}")
    # Spread the edits over the records; the title edits take others.
    step = max(1, len(files) // max(1, args.edits + args.title_edits))
    rotation = [files[(i * step) % len(files)] for i in range(args.edits + args.title_edits)]
    texts = {}

    def original(path):
        if path not in texts:
            with open(path, encoding="utf-8") as f:
                texts[path] = f.read()
        return texts[path]

    body, titles = [], []
    for n in range(args.edits):
        path = rotation[n]
        text = body_edit(original(path), n + 1)
        if text is None:
            raise SystemExit(f"{path}: no body paragraph to edit")
        assert split_front_matter(text)[0] == split_front_matter(original(path))[0]
        body.append(session.measure(f"body edit {n + 1} ({os.path.basename(path)})", path, text))
    for n in range(args.title_edits):
        path = rotation[args.edits + n]
        text = title_edit(original(path), n + 1)
        if text is None:
            raise SystemExit(f"{path}: no title in the front matter")
        titles.append(session.measure(f"title edit {n + 1} ({os.path.basename(path)})", path, text))
    return startup, body, titles


def report(args, build, build_line, startup, body, titles, print_after, lists_after, problems, exit_code):
    def spread(counts, missing):
        if not counts:
            return missing
        return f"median {statistics.median(counts):g} (min {min(counts)}, max {max(counts)})"

    def pages(series):
        return spread([p for _, p, _, _ in series if p is not None], "(no Rebuilt lines)")

    def listed(series):
        counts = [n for _, _, _, n in series if n is not None]
        alls = counts.count("all")
        text = spread([n for n in counts if n != "all"], "none")
        return text + (f"; `all` {alls} times" if alls else "")

    def server_ms(series):
        values = [s for _, _, s, _ in series if s is not None]
        return f"{statistics.median(values):.0f} ms" if values else "n/a"

    latencies = [l for l, _, _, _ in body]
    title_latencies = [l for l, _, _, _ in titles]
    rows = [
        ("handbook", f"`{args.dir}`: {build_line or 'no Built line'}"),
        ("full build, median of 3", ms(build)),
        ("serve start-up, to the Serving line", ms(startup)),
    ]
    if latencies:
        rows += [
            (f"body edit, save → reload: median ({len(latencies)} edits)", ms(statistics.median(latencies))),
            ("body edit, save → reload: p90", ms(percentile(latencies, 90))),
            ("body edit, save → reload: min / max", f"{ms(min(latencies))} / {ms(max(latencies))}"),
            ("body edit: pages rebuilt (server's Rebuilt line)", pages(body)),
            ("body edit: files in the reload event's `changed`", listed(body)),
            ("body edit: rebuild time (server), median", server_ms(body)),
        ]
    if title_latencies:
        rows += [
            (f"title edit, save → reload: median ({len(title_latencies)} edits)", ms(statistics.median(title_latencies))),
            ("title edit: pages rebuilt (server's Rebuilt line)", pages(titles)),
            ("title edit: files in the reload event's `changed`", listed(titles)),
            ("title edit: rebuild time (server), median", server_ms(titles)),
        ]
    if lists_after:
        rows.append((f"title edit, save → the generated pages' own reload: median ({len(lists_after)} edits)",
                     ms(statistics.median(t for _, t in lists_after))))
    if print_after:
        rows.append((f"print page, save → its own reload: median ({len(print_after)} edits that changed it)",
                     ms(statistics.median(print_after))))
    rows.append(("server exit code after SIGINT", str(exit_code)))
    print("| measure | value |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    if problems:
        print("\nNot as the serve protocol says:")
        for problem in problems:
            print(f"- {problem}")


def main():
    args = parse_args()
    args.bin, args.dir = os.path.abspath(args.bin), os.path.abspath(args.dir)
    # SIGTERM, like Ctrl+C, goes through the `finally` below: files put back, server stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    build, build_line = full_builds(args)
    server = Server(args)
    session = Session(args, server)
    startup, body, titles, exit_code = 0.0, [], [], None
    try:
        startup, body, titles = run(args, server, session)
    except BaseException:
        for problem in session.problems:
            print(f"- {problem}", file=sys.stderr)
        raise
    finally:
        try:
            session.restore()
        finally:
            exit_code = server.stop()
    if exit_code != 0:
        session.problems.append(f"the server exited with {exit_code} after SIGINT, not 0:\n"
                                + "\n".join(server.stderr[-20:]))
    report(args, build, build_line, startup, body, titles, session.print_after, session.lists_after,
           session.problems, exit_code)
    return 1 if exit_code != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
