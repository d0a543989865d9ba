//! `handbook` turns a folder of Markdown — protocols, meeting summaries and decision records —
//! into a static website that a team can treat as its single source of truth.
//!
//! The library is a pipeline: [`content::load`] reads the files, [`resolve`] connects them and
//! validates links, [`render`] produces HTML with Tera templates, and [`write`] swaps the new site
//! in atomically. [`build::build`] runs the whole pipeline. Problems are values
//! ([`Diagnostic`]) carrying file, line and column; only the binary prints them.

pub mod build;
pub mod config;
pub mod content;
pub mod dates;
pub mod diagnostics;
mod fingerprint;
pub mod history;
pub mod markdown;
mod memory;
pub mod render;
pub mod resolve;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod session;
pub mod timings;
pub mod urls;
pub mod write;

pub use build::{BuildError, BuildOptions, Report, build, check};
pub use diagnostics::{Diagnostic, Severity};
