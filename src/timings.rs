//! Where a build's time goes: the wall time of each phase and the process's peak memory, which
//! `handbook build --timings` prints (as `cargo build --timings` and Hugo's `--templateMetrics`
//! do for theirs), so that a slow build can be traced to its phase without a profiler.

use std::fmt;
use std::time::{Duration, Instant};

/// A phase of the pipeline. A build runs them in the order load, resolve, search index, render,
/// write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading the configuration, the theme, the mounted folders (front matter and Markdown) and
    /// the git history.
    Load,
    /// Ids, routes, cross-references, backlinks, chains, action items and people.
    Resolve,
    /// Building and writing the search index.
    Search,
    /// Rendering every page with its template, writing each file into the staging folder as
    /// soon as it is rendered, and copying the static files.
    Render,
    /// Swapping the new site in for the old, and deleting the old.
    Write,
}

impl Phase {
    /// Its name as printed: `load`, `resolve`, `search index`, `render`, `write`.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Load => "load",
            Phase::Resolve => "resolve",
            Phase::Search => "search index",
            Phase::Render => "render",
            Phase::Write => "write",
        }
    }
}

/// The wall time of each phase a build ran, in order, with the peak memory when it ended, and
/// the peak memory once the build was done.
#[derive(Debug, Clone)]
pub struct Timings {
    /// Each phase, its wall time, and the process's peak memory in bytes at its end (see
    /// [`Timings::peak_memory`]): the phase that raised the peak is the one whose figure grew.
    phases: Vec<(Phase, Duration, Option<u64>)>,
    lap: Instant,
    /// The process's peak resident memory in bytes, read by [`Timings::finish`]; `None` where the
    /// system does not say (only Linux is asked, through `/proc/self/status`).
    pub peak_memory: Option<u64>,
}

impl Timings {
    /// Starts timing the first phase now.
    pub fn start() -> Timings {
        Timings {
            phases: Vec::new(),
            lap: Instant::now(),
            peak_memory: None,
        }
    }

    /// Records that `phase` ended now (it began when the previous one ended), and starts the next.
    pub fn end(&mut self, phase: Phase) {
        let now = Instant::now();
        self.phases.push((phase, now - self.lap, peak_memory()));
        self.lap = Instant::now();
    }

    /// Reads the peak memory: call once the build is done.
    pub fn finish(&mut self) {
        self.peak_memory = peak_memory();
    }

    /// Each phase, its wall time and the peak memory in bytes at its end, in the order they ran.
    pub fn phases(&self) -> &[(Phase, Duration, Option<u64>)] {
        &self.phases
    }
}

/// ```text
///   load              182.4 ms    peak    41.0 MB
///   resolve            61.0 ms    peak    63.2 MB
///   …
///   peak memory       143.2 MB
/// ```
impl fmt::Display for Timings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (phase, took, peak) in &self.phases {
            write!(f, "  {:<14}{:>9.1} ms", phase.name(), took.as_secs_f64() * 1000.0)?;
            match peak {
                Some(bytes) => writeln!(f, "    peak {:>7.1} MB", *bytes as f64 / 1e6)?,
                None => writeln!(f)?,
            }
        }
        match self.peak_memory {
            Some(bytes) => write!(f, "  {:<14}{:>9.1} MB", "peak memory", bytes as f64 / 1e6),
            None => write!(f, "  {:<14}{:>12}", "peak memory", "unknown"),
        }
    }
}

/// The process's peak resident set size in bytes (`VmHWM`), on Linux; `None` elsewhere or when
/// `/proc` cannot be read.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kilobytes * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_kept_in_order_and_printed_with_the_peak_memory() {
        let mut timings = Timings::start();
        timings.end(Phase::Load);
        timings.end(Phase::Resolve);
        timings.finish();
        let names: Vec<&str> = timings.phases().iter().map(|(p, ..)| p.name()).collect();
        assert_eq!(names, ["load", "resolve"]);
        let printed = timings.to_string();
        assert!(printed.starts_with("  load "), "{printed}");
        assert!(printed.contains("peak memory"), "{printed}");
        if cfg!(target_os = "linux") {
            assert!(timings.peak_memory.is_some_and(|bytes| bytes > 1_000_000), "{printed}");
            // The peak never falls, and the phases' peaks are reached by the end.
            let peaks: Vec<u64> = timings.phases().iter().map(|(.., peak)| peak.unwrap()).collect();
            assert!(
                peaks.is_sorted() && peaks[1] <= timings.peak_memory.unwrap(),
                "{printed}"
            );
            assert!(printed.lines().next().unwrap().ends_with(" MB"), "{printed}");
        }
    }
}
