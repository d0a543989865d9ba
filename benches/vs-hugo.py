#!/usr/bin/env python3
"""Full-build benchmark of handbook against Hugo on the same generated pages.

    python3 benches/vs-hugo.py [--bin target/release/handbook] [--sizes 1000 10000 100000]
                               [--runs 5] [--hugo-up-to 10000] [--work /dev/shm] [--bounds]

For each size N it generates a handbook and a Hugo site of the same N pages with
../shared/bench/gen_corpus.py (the same seed gives the same bytes), then builds each of them
`--runs` times, the two programs taking turns (handbook, Hugo, handbook, …) so that a noisy
machine slows both alike, after one warm-up build each. It prints, per size, the median wall
time and the peak memory (maximum resident set size, from /usr/bin/time) of each program, and
the ratio of handbook's time to Hugo's; and, for each size after the first, how many times
longer handbook took than at the size before (growth; 10 would be linear for sizes 10 apart).

Hugo builds only up to --hugo-up-to pages (default 10,000: at 100,000 pages it needs some
10 GB). Inputs and outputs are in --work (default /dev/shm, memory: the disk of these machines
is slow and noisy for many small files). Needs python3, hugo and GNU time (/usr/bin/time).

With --bounds, two more builds of the same pages take turns with those two, each with less to
do, to show how fast a build could be without the work it leaves out:
- "no theme": every template of the theme replaced by one that writes `x` (a theme folder in
  the handbook), so that Tera does next to nothing and every page is written one byte long;
- "bare": no theme as above, no highlighting, no curly punctuation and nothing on the print page
  (`[markdown] highlight_code = false`, `smart_punctuation = false`, `[print] include = []`).
What is left in "bare" is reading and parsing the pages, resolving links, converting Markdown,
the search index, the generated pages' values and writing the files. Each lighter build gets
a row of its own under the full build's, with its time as a fraction of Hugo's (no growth).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = os.path.join(HERE, "..", "..", "shared", "bench", "gen_corpus.py")
TEMPLATES = os.path.join(HERE, "..", "themes", "default", "templates")


def timed(command):
    """Runs `command`; returns its wall time in seconds and its peak memory in bytes."""
    with tempfile.NamedTemporaryFile("r") as report:
        started = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-q", "-f", "%M", "-o", report.name] + command,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        wall = time.perf_counter() - started
        kilobytes = int(report.read().strip().splitlines()[-1])
    return wall, kilobytes * 1024


def generate(n, folder, form):
    subprocess.run([sys.executable, GENERATOR, str(n), folder, "--format", form],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def lighter(handbook, folder, bare):
    """A copy of `handbook` in `folder` (its pages hard-linked) whose theme writes `x` for
    every template, and, when `bare`, that neither highlights code nor curls punctuation, and
    prints nothing on its print page."""
    os.makedirs(folder)
    shutil.copytree(os.path.join(handbook, "content"), os.path.join(folder, "content"), copy_function=os.link)
    with open(os.path.join(handbook, "handbook.toml")) as source:
        config = source.read()
    if bare:
        config += "\n[markdown]\nhighlight_code = false\nsmart_punctuation = false\n\n[print]\ninclude = []\n"
    with open(os.path.join(folder, "handbook.toml"), "w") as target:
        target.write(config)
    for here, _, names in os.walk(TEMPLATES):
        place = os.path.join(folder, "themes", "default", "templates", os.path.relpath(here, TEMPLATES))
        os.makedirs(place, exist_ok=True)
        for name in names:
            with open(os.path.join(place, name), "w") as template:
                template.write("x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(HERE, "..", "target", "release", "handbook"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hugo-up-to", type=int, default=10000)
    parser.add_argument("--work", default="/dev/shm" if os.path.isdir("/dev/shm") else None)
    parser.add_argument("--bounds", action="store_true",
                        help="also time builds without the theme, and without highlighting and printed pages")
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    if not os.path.exists(binary):
        sys.exit(f"{binary} is missing: cargo build --release")
    if not os.path.exists(GENERATOR):
        sys.exit(f"{GENERATOR} is missing: the benchmark needs ../shared beside the project")
    hugo = shutil.which("hugo")
    if hugo:
        version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1]
        print(f"Hugo {version}; {args.runs} interleaved runs after a warm-up; median times, highest peaks")
    else:
        print("hugo is not installed (apt-get install hugo): timing handbook alone")

    rows = []
    work = tempfile.mkdtemp(prefix="vs-hugo.", dir=args.work)
    try:
        for n in args.sizes:
            ours = os.path.join(work, f"hb{n}")
            generate(n, ours, "handbook")
            builds = {"handbook": [binary, "--root", ours, "build", "--output", os.path.join(work, f"hb{n}-out")]}
            if args.bounds:
                for name, bare in [("no theme", False), ("bare", True)]:
                    folder = os.path.join(work, f"{name.replace(' ', '-')}{n}")
                    lighter(ours, folder, bare)
                    builds[name] = [binary, "--root", folder, "build", "--output", folder + "-out"]
            if hugo and n <= args.hugo_up_to:
                theirs = os.path.join(work, f"hugo{n}")
                generate(n, theirs, "hugo")
                builds["hugo"] = [hugo, "--quiet", "-s", theirs, "-d", os.path.join(work, f"hugo{n}-out")]
            for command in builds.values():
                timed(command)  # warm-up: the page cache, and the output folder's first creation
            measured = {name: [] for name in builds}
            for _ in range(args.runs):
                for name, command in builds.items():
                    measured[name].append(timed(command))
            row = {"n": n}
            for name, runs in measured.items():
                row[name] = (statistics.median(w for w, _ in runs), max(m for _, m in runs))
            rows.append(row)
            for entry in os.listdir(work):  # this size's handbooks and sites
                shutil.rmtree(os.path.join(work, entry), ignore_errors=True)
            report(row, rows[-2] if len(rows) > 1 else None)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(row, before):
    wall, peak = row["handbook"]
    line = f"{row['n']:>7} pages  handbook {wall:7.3f} s {peak / 1e6:7.0f} MB"
    if "hugo" in row:
        hugo_wall, hugo_peak = row["hugo"]
        line += f"  |  hugo {hugo_wall:7.3f} s {hugo_peak / 1e6:7.0f} MB  |  handbook/hugo time {wall / hugo_wall:5.2f}"
    if before:
        line += f"  |  growth x{wall / before['handbook'][0]:.1f} for x{row['n'] / before['n']:.0f} pages"
    print(line, flush=True)
    for name in ("no theme", "bare"):
        if name in row:
            wall, peak = row[name]
            line = f"{'':>7}        {name:>8} {wall:7.3f} s {peak / 1e6:7.0f} MB"
            if "hugo" in row:
                line += f"  |  {'':>25}  |  {name + '/hugo time':>18} {wall / row['hugo'][0]:5.2f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
