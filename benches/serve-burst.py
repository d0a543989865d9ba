#!/usr/bin/env python3
"""Checks that `handbook serve` ends a burst of changes with exactly the site `handbook build` writes.

Usage:
    python3 benches/serve-burst.py BIN DIR [--edits 300] [--seed 1]

DIR is a handbook to change (make a copy first: this script edits, renames, deletes and adds
files in it, as a `git checkout` of another branch would, and leaves them so), e.g.

    python3 ../shared/bench/gen_corpus.py 10000 /dev/shm/hb10k --format handbook
    cp -r /dev/shm/hb10k /dev/shm/hb10k-burst
    python3 benches/serve-burst.py target/release/handbook /dev/shm/hb10k-burst

So that deleting pages does not make the handbook invalid (which `serve` would rightly refuse), it
first sets `[links] broken = "warn"` in DIR/handbook.toml when there is no `[links]` table, and
deletes and renames meeting summaries only (decision records are named by others' `supersedes`).
It starts `BIN --root DIR serve --port 0`, then quickly (with short pauses, so that changes arrive
in several batches, some while a rebuild runs): rewrites a paragraph in --edits pages, retitles a few, deletes a few, renames a few, adds a few and writes one page through a
temporary file renamed over it. It waits until the server has printed no `Rebuilt` line for 3 s,
builds DIR with `BIN build` into a temporary folder, fetches every built file from the server and
compares the bytes (less the live-reload script in HTML pages), and checks that the removed pages
are gone. Prints what differs and exits 1 if anything does. Python 3 standard library only.

With --metadata, the burst is instead --edits edits of what other pages show, each 5 to 80 ms
after the one before: a title, a status (among accepted, proposed and deprecated) or the tags
(among tags the pages have) of a page that has one; the site keeps its pages and generated pages,
so `serve` leaves the lists to right after each rebuild, and some saves come before that.
"""
import argparse
import os
import queue
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

# The live-reload tag `serve` puts in each HTML page, with the page's fingerprint.
LIVE_TAG = re.compile(rb'<script src="/__handbook/live\.js"(?: data-hash="[0-9a-f]*")?></script>')


def pages(root):
    found = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, "content")):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if name.endswith(".md") and not name.startswith((".", "_")) and name not in ("index.md", "README.md"):
                found.append(os.path.join(dirpath, name))
    return found


def built_files(bin, root, site):
    """Builds root into site; returns the built files, by site path."""
    subprocess.run([bin, "--root", root, "build", "--output", site], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    found = {}
    for dirpath, _, filenames in os.walk(site):
        for name in filenames:
            if name != ".handbook-output":
                full = os.path.join(dirpath, name)
                found[os.path.relpath(full, site).replace(os.sep, "/")] = full
    return found


def fetch(base, path):
    try:
        with urllib.request.urlopen(base + urllib.request.quote(path)) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def structural_burst(root, files, edits):
    """Edits, retitles, deletes, renames and adds pages as a checkout would; returns the deleted."""
    meetings = [f for f in files if os.sep + "meetings" + os.sep in f]
    deleted, renamed = meetings[:5], meetings[5:10]
    rest = [f for f in files if f not in deleted and f not in renamed]
    edited, retitled = rest[:edits], rest[edits:edits + 5]
    for n, path in enumerate(edited):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("\n\n", "\n\nA sentence from another branch.\n\n", 2))
        if n % 50 == 49:
            # Pauses longer than the server's debounce: some changes land mid-rebuild.
            time.sleep(0.03)
    for path in retitled:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(re.sub(r"(?m)^(title\s*[:=]\s*[\"']?)", r"\1Retitled ", text, count=1))
    for path in deleted:
        os.remove(path)
    for path in renamed:
        os.rename(path, path[:-3] + "-renamed.md")
    for n in range(5):
        with open(os.path.join(root, "content", f"burst-page-{n}.md"), "w", encoding="utf-8") as f:
            f.write(f"# Burst page {n}\n\nWritten during the burst.\n")
    target = edited[0]
    with open(target, encoding="utf-8") as f:
        text = f.read()
    with open(target + "___jb_tmp___", "w", encoding="utf-8") as f:
        f.write(text + "\nSaved through a temporary file.\n")
    os.rename(target + "___jb_tmp___", target)
    return deleted


TAGS = ("oncall", "release", "hiring", "incident", "tooling", "security", "cost")


def metadata_burst(files, rng):
    """Changes the title, status or tags of each of `files` that has one, with short pauses."""
    for n, path in enumerate(files):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if n % 3 == 0:
            new = re.sub(r"(?m)^(title\s*[:=]\s*[\"']?)", r"\1Retitled ", text, count=1)
        elif n % 3 == 1:
            status = rng.choice(("accepted", "proposed", "deprecated"))
            new = re.sub(r"(?m)^status: \w+$", f"status: {status}", text, count=1)
        else:
            tags = ", ".join(rng.sample(TAGS, 2))
            new = re.sub(r"(?m)^tags: \[.*\]$", f"tags: [{tags}]", text, count=1)
        with open(path, "w", encoding="utf-8") as f:
            f.write(new)
        time.sleep(rng.uniform(0.005, 0.08))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bin")
    parser.add_argument("dir")
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--metadata", action="store_true",
                        help="edit titles, statuses and tags only, with pauses")
    args = parser.parse_args()
    root = os.path.abspath(args.dir)
    rng = random.Random(args.seed)
    config = os.path.join(root, "handbook.toml")
    text = open(config, encoding="utf-8").read() if os.path.exists(config) else ""
    if "[links]" not in text:
        with open(config, "a", encoding="utf-8") as f:
            f.write('\n[links]\nbroken = "warn"\n')
    out = tempfile.mkdtemp(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    before = built_files(args.bin, root, os.path.join(out, "before"))

    server = subprocess.Popen([args.bin, "--root", root, "serve", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in server.stdout], daemon=True).start()
    base = None
    while base is None:
        line = lines.get(timeout=120)
        match = re.match(r"Serving (http://\S+)", line)
        if match:
            base = match.group(1)
    try:
        files = pages(root)
        rng.shuffle(files)
        if args.metadata:
            metadata_burst(files[:args.edits], rng)
            deleted = []
        else:
            deleted = structural_burst(root, files, args.edits)

        rebuilds = 0
        while True:
            try:
                line = lines.get(timeout=3)
            except queue.Empty:
                break
            rebuilds += line.startswith("Rebuilt")
        print(f"{rebuilds} rebuilds reported")

        after = built_files(args.bin, root, os.path.join(out, "after"))
        differ = []
        for rel, full in sorted(after.items()):
            status, body = fetch(base, rel)
            with open(full, "rb") as f:
                built = f.read()
            if status != 200 or LIVE_TAG.sub(b"", body) != built:
                differ.append(f"{rel} ({status})")
        gone = sorted(set(before) - set(after))
        for rel in gone:
            status, _ = fetch(base, rel)
            if status != 404:
                differ.append(f"{rel} is built no more but still served ({status})")
        print(f"{len(after)} built files compared with what is served, {len(gone)} gone files "
              f"checked; {len(differ)} differ")
        for line in differ[:20]:
            print("  " + line)
        return 1 if differ else 0
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
