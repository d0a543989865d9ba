//! Marking a record superseded for `new decision --supersedes N`: only its status changes, and
//! every other byte of the file is kept.

use crate::content::Page;
use crate::resolve::key_span;

/// The text of `page` with its status set to superseded by the record at `link` (a file name
/// in the same folder) titled `label`. Where the status is written decides how:
/// a `status` front-matter key, a Nygard `## Status` section, or a `Status:` bullet; a record
/// that states no status gets a `status` key.
pub(super) fn mark_superseded(page: &Page, label: &str, link: &str) -> String {
    let text = &page.text;
    if let Some(line) = key_span(page, "status") {
        let written = &text[line.clone()];
        let indent = &written[..written.len() - written.trim_start().len()];
        let toml = written
            .find('=')
            .is_some_and(|eq| written.find(':').is_none_or(|colon| eq < colon));
        let replacement = if toml {
            format!("{indent}status = \"superseded\"")
        } else {
            format!("{indent}status: superseded")
        };
        return splice(text, line, &replacement);
    }
    let body = page.body_start;
    if let Some(paragraph) = status_section(text, body) {
        return splice(text, paragraph, &format!("Superseded by [{label}]({link})"));
    }
    if let Some(value) = status_bullet(text, body) {
        return splice(text, value, &format!("superseded by [{label}]({link})"));
    }
    if body > 0 {
        // Front matter without a status: add one just before its closing fence.
        let front = &text[..body];
        let closing = front.trim_end_matches(['\n', '\r']).rfind('\n').map_or(0, |i| i + 1);
        let toml = front.starts_with("+++");
        let line = if toml {
            "status = \"superseded\"\n"
        } else {
            "status: superseded\n"
        };
        return splice(text, closing..closing, line);
    }
    format!("+++\nstatus = \"superseded\"\n+++\n{text}")
}

fn splice(text: &str, range: std::ops::Range<usize>, with: &str) -> String {
    format!("{}{with}{}", &text[..range.start], &text[range.end..])
}

/// The bytes of the first paragraph under a `## Status` heading.
fn status_section(text: &str, body: usize) -> Option<std::ops::Range<usize>> {
    let mut offset = body;
    let mut in_section = false;
    let mut start = None;
    for line in text[body..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if in_section {
            if trimmed.starts_with('#') {
                break;
            }
            match (start, trimmed.is_empty()) {
                (None, false) => start = Some(offset),
                (Some(s), true) => return Some(s..offset_before_break(text, offset)),
                _ => {}
            }
        } else if trimmed.trim_start_matches('#').trim().eq_ignore_ascii_case("status") && trimmed.starts_with("##") {
            in_section = true;
        }
        offset += line.len();
    }
    start.map(|s| s..offset_before_break(text, offset))
}

/// `offset` moved back over the line break that ends the paragraph before it.
fn offset_before_break(text: &str, offset: usize) -> usize {
    let before = &text[..offset];
    let trimmed = before.trim_end_matches(['\n', '\r', ' ', '\t']);
    trimmed.len()
}

/// The value of a `- Status: …` or `* Status: …` bullet before the first `##` heading.
fn status_bullet(text: &str, body: usize) -> Option<std::ops::Range<usize>> {
    let mut offset = body;
    for line in text[body..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.starts_with("##") {
            return None;
        }
        let item = content.trim_start().strip_prefix(['-', '*']).map(str::trim_start);
        if let Some(item) = item
            && item.get(..7).is_some_and(|head| head.eq_ignore_ascii_case("status:"))
        {
            let value_start = offset + content.len() - item.len() + 7;
            let value_start = value_start + text[value_start..].len() - text[value_start..].trim_start().len();
            return Some(value_start..offset + content.len());
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::load::load;

    fn marked(file: &str, text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("content/decisions").join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let loaded = load(dir.path(), &Config::default());
        mark_superseded(&loaded.pages[0], "8. New way", "0008-new-way.md")
    }

    #[test]
    fn only_the_status_changes() {
        let toml = "+++\ntitle = \"Old\"\nstatus = \"accepted\" # agreed\ntags = []\n+++\nBody\r\n";
        assert_eq!(
            marked("0007-old.md", toml),
            "+++\ntitle = \"Old\"\nstatus = \"superseded\"\ntags = []\n+++\nBody\r\n"
        );
        let yaml = "---\ntitle: Old\nstatus: Accepted\n---\nBody\n";
        assert_eq!(
            marked("0007-old.md", yaml),
            "---\ntitle: Old\nstatus: superseded\n---\nBody\n"
        );
    }

    #[test]
    fn nygard_and_bullet_formats() {
        let nygard = "# 7. Old\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nAmended by [9. X](0009-x.md)\n\n## Context\n\nWhy.\n";
        assert_eq!(
            marked("0007-old.md", nygard),
            "# 7. Old\n\nDate: 2020-01-01\n\n## Status\n\nSuperseded by [8. New way](0008-new-way.md)\n\nAmended by [9. X](0009-x.md)\n\n## Context\n\nWhy.\n"
        );
        let bullets = "# Old\n\n- Status: accepted\n- Date: 2020-01-01\n\n## Context\n";
        assert_eq!(
            marked("0007-old.md", bullets),
            "# Old\n\n- Status: superseded by [8. New way](0008-new-way.md)\n- Date: 2020-01-01\n\n## Context\n"
        );
    }

    #[test]
    fn a_record_without_status_gets_one() {
        assert_eq!(
            marked("0007-old.md", "+++\ntitle = \"Old\"\n+++\nBody\n"),
            "+++\ntitle = \"Old\"\nstatus = \"superseded\"\n+++\nBody\n"
        );
        assert_eq!(
            marked("0007-old.md", "# Old\n\nBody\n"),
            "+++\nstatus = \"superseded\"\n+++\n# Old\n\nBody\n"
        );
    }
}
