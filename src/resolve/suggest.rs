//! "Did you mean": for a link or anchor that names nothing, the existing one whose name is
//! nearest, when it is near enough to be what the writer meant.

/// The candidate nearest to `wanted` by edit distance (any case; a swap of two neighbouring
/// characters is one edit), when it is at most a quarter as many edits away as the last part of
/// `wanted` (after `/`) has characters, and at least one: a typo, not another short name in the
/// same folder. Ties go to the first in alphabetical order, so the advice is the same every run.
pub(super) fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    let length = wanted.chars().count();
    let name = wanted.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    let limit = (name.chars().count() / 4).max(1);
    candidates
        .into_iter()
        // The distance is at least the difference in length: most candidates stop here.
        .filter(|candidate| candidate.chars().count().abs_diff(length) <= limit)
        .map(|candidate| (strsim::osa_distance(&wanted, &candidate.to_lowercase()), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// How a page in `folder` links to `target` (both relative to `content/`): relatively, as the
/// link it replaces was written (`../decisions/0007-x.md`), or from the root when that was
/// (`/decisions/0007-x.md`). Spaces are written `%20`, which a Markdown link needs.
pub(super) fn link_from(folder: &str, target: &str, from_root: bool) -> String {
    let slash = if target.ends_with('/') { "/" } else { "" };
    let target = target.trim_end_matches('/').replace(' ', "%20");
    if from_root {
        return format!("/{target}{slash}");
    }
    let folder: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    let mut rest: Vec<&str> = target.split('/').collect();
    let shared = folder
        .iter()
        .zip(&rest)
        .take_while(|(a, b)| a == b && rest.len() > 1)
        .count();
    rest.drain(..shared);
    let up = "../".repeat(folder.len() - shared);
    format!("{up}{}{slash}", rest.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_suggested_and_far_ones_not() {
        let pages = ["decisions/0001-use-postgres.md", "guides/my file.md", "guides/setup.md"];
        assert_eq!(
            nearest("decisoins/0001-use-postgres.md", pages),
            Some("decisions/0001-use-postgres.md")
        );
        assert_eq!(nearest("guides/my-fil.md", pages), Some("guides/my file.md"));
        assert_eq!(nearest("Guides/Setup.md", pages), Some("guides/setup.md"));
        assert_eq!(nearest("guides/onboarding.md", pages), None);
        assert_eq!(nearest("guides/a&b.md", ["guides/page.md"]), None, "another short name");
        assert_eq!(nearest("contxt", ["context", "consequences"]), Some("context"));
        assert_eq!(nearest("nope", ["context", "note"]), Some("note"));
        assert_eq!(nearest("x", ["ab", "a"]), Some("a"));
        assert_eq!(nearest("ab", ["ac", "aa"]), Some("aa"), "ties go alphabetically");
    }

    #[test]
    fn suggestions_are_written_as_links_from_the_page() {
        assert_eq!(link_from("guides", "guides/my file.md", false), "my%20file.md");
        assert_eq!(
            link_from("guides/deep", "decisions/0001-x.md", false),
            "../../decisions/0001-x.md"
        );
        assert_eq!(link_from("", "decisions/0001-x.md", false), "decisions/0001-x.md");
        assert_eq!(link_from("guides", "guides/", false), "../guides/");
        assert_eq!(link_from("guides", "guides/deep/", false), "deep/");
        assert_eq!(link_from("guides", "decisions/x.md", true), "/decisions/x.md");
    }
}
