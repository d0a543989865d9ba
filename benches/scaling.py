#!/usr/bin/env python3
"""Checks that one large page costs time in proportion to its size, not to its size squared.

Usage:
    python3 benches/scaling.py BIN [--small 2500] [--large 20000] [--runs 7]

For each shape it writes a handbook with one page of SMALL and one of LARGE items into a
temporary folder, times `BIN check` on each (median of --runs), and prints both times and their
ratio. Linear work gives a ratio near LARGE/SMALL (8 by default); a quadratic step gives about
its square (64). Shapes:

- headings: `## same` over and over (each gets the next free `same-N` id);
- links: a heading per item and two links to headings of the page (one in another case);
- actions: a meeting whose items each have an owner and a due date.

Python 3 standard library only. Build BIN in release first (`cargo build --release`).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def headings(n):
    return "# Page\n\n" + "".join("## same\n\nText.\n\n" for _ in range(n))


def links(n):
    body = "# Page\n\n"
    for i in range(n):
        body += f"## h{i}\n\nSee [x](#h{n - 1 - i}) and [y](#H{i}).\n\n"
    return body


def actions(n):
    body = '+++\ntitle = "Sync"\n+++\n\n'
    return body + "".join(f"- [ ] @alice Task {i} (due 2026-12-01)\n" for i in range(n))


SHAPES = {
    "headings": ("content/page.md", headings),
    "links": ("content/page.md", links),
    "actions": ("content/meetings/2026-11-20-sync.md", actions),
}


def write_handbook(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def median_seconds(binary, root, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([binary, "--root", root, "check"], capture_output=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            sys.exit(f"{root}: check failed:\n{done.stderr.decode()}")
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--small", type=int, default=2500)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"sizes {args.small} and {args.large} (x{args.large / args.small:g}); median of {args.runs} runs")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (rel, make) in SHAPES.items():
            seconds = []
            for size in (args.small, args.large):
                root = os.path.join(tmp, f"{name}-{size}")
                write_handbook(root, rel, make(size))
                seconds.append(median_seconds(args.binary, root, args.runs))
            small, large = seconds
            print(f"{name:9} {small * 1000:7.0f} ms {large * 1000:7.0f} ms   x{large / small:.1f}")


if __name__ == "__main__":
    main()
