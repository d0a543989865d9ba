//! Which decision log `handbook new decision` writes to, and the number it hands out there: each
//! log numbers its records on its own (see [`crate::resolve::RecordIndex`]).

use std::path::PathBuf;
use std::sync::Arc;

use super::{DecisionFormat, ScaffoldError};
use crate::config::Config;
use crate::content::load::{Loaded, number_prefix};
use crate::content::{Format, Kind, Page};

/// A decision log a record can be written to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Log {
    /// Its folder in the site (`decisions`, `rfcs`): how records and `--log` name it.
    pub(super) name: String,
    /// Its folder, relative to the handbook root (`content/decisions`, `text`).
    pub(super) folder: PathBuf,
}

/// The log `wanted` names (its folder in the site, or that folder's last part), or by default
/// the first `[folders] decisions` folder of `content/`, else the only log there is. The logs
/// are those the `[folders]`, the `[[mounts]]` of decisions and the records found give.
pub(super) fn choose(config: &Config, loaded: &Loaded, wanted: Option<&str>) -> Result<Log, ScaffoldError> {
    let logs = known(config, loaded);
    let chosen = match wanted {
        Some(wanted) => {
            let wanted = wanted.trim_matches('/');
            logs.iter()
                .find(|log| log.name == wanted)
                .or_else(|| logs.iter().find(|log| log.name.rsplit('/').next() == Some(wanted)))
        }
        None => logs.first(),
    };
    chosen.cloned().ok_or_else(|| ScaffoldError::NoLog {
        wanted: wanted.map(String::from),
        logs: logs.into_iter().map(|log| log.name).collect(),
    })
}

fn known(config: &Config, loaded: &Loaded) -> Vec<Log> {
    let mounts = &loaded.mounts;
    let mut logs: Vec<Log> = Vec::new();
    let mut add = |name: String| {
        if !logs.iter().any(|log| log.name == name) {
            let folder = mounts.file(&name);
            logs.push(Log { name, folder });
        }
    };
    for folder in &config.folders.decisions {
        let name = folder.trim_matches('/');
        if !name.is_empty() && name != "." && mounts.locate(&format!("{name}/")).is_some() {
            add(name.to_string());
        }
    }
    for mount in mounts
        .iter()
        .filter(|m| m.index.is_some() && m.kind == Some(Kind::Decision))
    {
        add(mount.target.clone());
    }
    for page in &loaded.pages {
        if let Some(decision) = page.decision() {
            add(decision.log.clone());
        }
    }
    logs
}

/// One more than the highest number in `log`: of its records (however numbered: `id`, a
/// Nygard `# 12.` title, a file-name prefix) and of the `NNNN-` files in its folder, which
/// counts records that did not load. 1 for an empty log.
pub(super) fn next_number(root: &std::path::Path, log: &Log, pages: &[Arc<Page>]) -> Result<u32, ScaffoldError> {
    let recorded = pages
        .iter()
        .filter_map(|page| page.decision())
        .filter(|d| d.log == log.name)
        .filter_map(|d| d.number);
    let folder = root.join(&log.folder);
    let named = match std::fs::read_dir(&folder) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter_map(|e| number_prefix(&e.file_name().to_string_lossy()))
            .collect(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(source) => return Err(ScaffoldError::Io { path: folder, source }),
    };
    Ok(recorded.chain(named).max().unwrap_or(0) + 1)
}

/// The format a new record of `log` is written in: that of its highest-numbered record, so an
/// adr-tools log gets a Nygard record and a MADR log a MADR one; handbook's own otherwise.
pub(super) fn format_of(log: &Log, pages: &[Arc<Page>]) -> DecisionFormat {
    let latest = pages
        .iter()
        .filter_map(|page| page.decision())
        .filter(|d| d.log == log.name)
        .max_by_key(|d| d.number);
    match latest.and_then(|d| d.format) {
        Some(Format::Nygard) => DecisionFormat::Nygard,
        Some(Format::Madr) => DecisionFormat::Madr,
        _ => DecisionFormat::Handbook,
    }
}
