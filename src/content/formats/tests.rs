//! What each format reads from a body, on small documents written for the purpose.

use super::*;

fn date(s: &str) -> Option<Date> {
    Some(s.parse().expect("test date"))
}

fn relation(kind: RelationKind, target: &str) -> (RelationKind, String) {
    (kind, target.to_owned())
}

fn relations(meta: &BodyMetadata) -> Vec<(RelationKind, String)> {
    meta.relations.iter().map(|r| (r.kind, r.target.clone())).collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn nygard_accepted() {
    let text = "# 1. Record architecture decisions\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n\
                ## Context\n\nWe need to record decisions.\n";
    let meta = read(text, 0);
    assert_eq!(meta.format, Some(Format::Nygard));
    assert_eq!(meta.title.as_deref(), Some("Record architecture decisions"));
    assert_eq!(meta.number, Some(1));
    assert_eq!(meta.date, date("2016-02-12"));
    assert_eq!(meta.status.as_deref(), Some("Accepted"));
    assert!(meta.relations.is_empty());
    assert!(meta.fields.is_empty());
}

#[test]
fn nygard_superseded_by_only() {
    let text = "# 2. Old\n\nDate: 2016-02-12\n\n## Status\n\nSuperseded by [3. Use X](0003-use-x.md)\n\n## Context\n";
    let meta = read(text, 0);
    assert_eq!(meta.status.as_deref(), Some("superseded"));
    assert_eq!(
        relations(&meta),
        [relation(RelationKind::SupersededBy, "0003-use-x.md")]
    );
}

#[test]
fn adr_tools_misspellings() {
    let text = "# 4. New\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n\
                Supercedes [2. Old](0002-old.md)\nSupercedes [3. Older](0003-older.md)\n\n## Context\n";
    let meta = read(text, 0);
    assert_eq!(meta.status.as_deref(), Some("Accepted"));
    assert_eq!(
        relations(&meta),
        [
            relation(RelationKind::Supersedes, "0002-old.md"),
            relation(RelationKind::Supersedes, "0003-older.md")
        ]
    );

    let meta = read("# 2. Old\n\n## Status\n\nSuperceded by [4. New](0004-new.md)\n", 0);
    assert_eq!(meta.status.as_deref(), Some("superseded"));
    assert_eq!(relations(&meta), [relation(RelationKind::SupersededBy, "0004-new.md")]);
}

#[test]
fn amends_and_amended_by() {
    let text = "# 9. Help scripts\n\nDate: 2018-06-26\n\n## Status\n\nAccepted\n\n\
                Amends [5. Help comments](0005-help-comments.md)\n\n\
                Amended by [12. More help](0012-more-help.md)\n\n## Context\n\nAmends [1. No](0001-no.md)\n";
    let meta = read(text, 0);
    assert_eq!(meta.status.as_deref(), Some("Accepted"));
    assert_eq!(
        relations(&meta),
        [
            relation(RelationKind::Amends, "0005-help-comments.md"),
            relation(RelationKind::AmendedBy, "0012-more-help.md"),
        ]
    );
}

#[test]
fn madr_bullets_with_deciders() {
    let text = "# Use Plain JUnit5 for advanced test assertions\n\n\
                * Status: accepted\n\
                * Deciders: Alice, Bob and @carol.\n\
                * Date: 2020-01-01 <!-- optional -->\n\
                * Consulted: Dave\n\
                * Informed: [Eve](https://example.com/eve), Frank\n\n\
                Technical Story: [#12](https://example.com/12)\n\n\
                ## Context and Problem Statement\n\nText.\n\n\
                ## Decision Outcome\n\nChosen option: \"JUnit5\".\n";
    let meta = read(text, 0);
    assert_eq!(meta.format, Some(Format::Madr));
    assert_eq!(
        meta.title.as_deref(),
        Some("Use Plain JUnit5 for advanced test assertions")
    );
    assert_eq!(meta.number, None);
    assert_eq!(meta.status.as_deref(), Some("accepted"));
    assert_eq!(meta.date, date("2020-01-01"));
    assert_eq!(meta.deciders, strings(&["Alice", "Bob", "carol"]));
    assert_eq!(meta.consulted, strings(&["Dave"]));
    assert_eq!(meta.informed, strings(&["Eve", "Frank"]));
    assert_eq!(
        meta.fields,
        [("Technical Story".to_owned(), "[#12](https://example.com/12)".to_owned())]
    );
}

#[test]
fn madr_2_superseded_by_link() {
    let text = "# Old choice\n\n* Status: superseded by [ADR-0005](0005-x.md)\n* Deciders: Ann\n\n## Context\n";
    let meta = read(text, 0);
    assert_eq!(meta.format, Some(Format::Madr));
    assert_eq!(meta.status.as_deref(), Some("superseded"));
    assert_eq!(relations(&meta), [relation(RelationKind::SupersededBy, "0005-x.md")]);
    let span = meta.relations[0].span.clone();
    assert_eq!(&text[span], "[ADR-0005](0005-x.md)");
}

#[test]
fn unlinked_targets_and_relation_keys() {
    let text = "# T\n\n- Status: Deprecated, superseded by ADR-0005\n- Supersedes: 2 and 3\n\n## Context\n";
    let meta = read(text, 0);
    assert_eq!(meta.status.as_deref(), Some("Deprecated"));
    assert_eq!(
        relations(&meta),
        [
            relation(RelationKind::SupersededBy, "ADR-0005"),
            relation(RelationKind::Supersedes, "2"),
            relation(RelationKind::Supersedes, "3"),
        ]
    );
    let span = meta.relations[0].span.clone();
    assert_eq!(&text[span], "Status: Deprecated, superseded by ADR-0005");

    // Prose after a phrase is no target.
    let meta = read(
        "# T\n\n## Status\n\nProposed, superseded by whatever the team decides next.\n",
        0,
    );
    assert_eq!(
        meta.status.as_deref(),
        Some("Proposed, superseded by whatever the team decides next")
    );
    assert!(meta.relations.is_empty());
}

#[test]
fn log4brains_bullets_tags_and_links() {
    let text = "# Use the ADR slug as its unique ID\n\n\
                - Status: accepted\n\
                - Deciders: Thomas Vaillant\n\
                - Date: 2020-10-16\n\
                - Tags: #architecture #ids\n\n\
                ## Context and Problem Statement\n\n\
                - Supersedes [not this](19990101-no.md)\n\n\
                ## Links <!-- optional -->\n\n\
                - Supersedes [20200926-use-the-adr-number](20200926-use-the-adr-number.md)\n\
                - Relates to [20201001-other](20201001-other.md)\n\
                - Refines [20200101-base](20200101-base.md)\n\
                - Refined by [20210101-more](20210101-more.md)\n\
                - Amended by [20210202-fix](20210202-fix.md)\n\
                - [A blog post](https://example.com/post)\n\
                - <https://example.com/other>\n";
    let meta = read(text, 0);
    assert_eq!(meta.format, Some(Format::Log4brains));
    assert_eq!(meta.status.as_deref(), Some("accepted"));
    assert_eq!(meta.date, date("2020-10-16"));
    assert_eq!(meta.deciders, strings(&["Thomas Vaillant"]));
    assert_eq!(meta.tags, strings(&["architecture", "ids"]));
    assert_eq!(
        relations(&meta),
        [
            relation(RelationKind::Supersedes, "20200926-use-the-adr-number.md"),
            relation(RelationKind::Related, "20201001-other.md"),
            relation(RelationKind::Amends, "20200101-base.md"),
            relation(RelationKind::AmendedBy, "20210101-more.md"),
            relation(RelationKind::AmendedBy, "20210202-fix.md"),
        ]
    );

    let meta = read(
        "# T\n\n- Status: superseded by [20201016-slug](20201016-slug.md)\n- Tags: a, b\n",
        0,
    );
    assert_eq!(meta.format, Some(Format::Log4brains));
    assert_eq!(meta.status.as_deref(), Some("superseded"));
    assert_eq!(meta.tags, strings(&["a", "b"]));
    assert_eq!(
        relations(&meta),
        [relation(RelationKind::SupersededBy, "20201016-slug.md")]
    );
}

#[test]
fn nested_deciders() {
    let meta = read(
        "# T\n\n* Status: proposed\n* Deciders:\n  * Ann\n  * Bob\n* Date: 2021-03-04\n",
        0,
    );
    assert_eq!(meta.deciders, strings(&["Ann", "Bob"]));
    assert_eq!(meta.date, date("2021-03-04"));
}

#[test]
fn rfc_header() {
    let text = "- Feature Name: `my_feature`\n\
                - Start Date: 2014-03-11\n\
                - RFC PR: [rust-lang/rfcs#2](https://github.com/rust-lang/rfcs/pull/2)\n\
                - Rust Issue #: N/A\n\
                - Rust Issue: \n\n\
                ## Summary\n[summary]: #summary\n\n- Feature Name: no\n";
    let meta = read(text, 0);
    assert_eq!(meta.format, Some(Format::Rfc));
    assert_eq!(meta.title, None);
    assert_eq!(meta.date, date("2014-03-11"));
    assert_eq!(meta.status, None);
    assert_eq!(
        meta.fields,
        [
            ("Feature Name".to_owned(), "`my_feature`".to_owned()),
            (
                "RFC PR".to_owned(),
                "[rust-lang/rfcs#2](https://github.com/rust-lang/rfcs/pull/2)".to_owned()
            ),
            ("Rust Issue #".to_owned(), "N/A".to_owned()),
        ]
    );

    // A title before the list, an unparsable date, and an H1 that is a section, not a title.
    let meta = read("# Roadmap\n\n- Start Date: (fill me in)\n\n## Summary\n", 0);
    assert_eq!(meta.title.as_deref(), Some("Roadmap"));
    assert_eq!(meta.date, None);
    let meta = read("- Start Date: 2020-01-22\n\n# Summary\n", 0);
    assert_eq!(meta.title, None);
    assert_eq!(meta.date, date("2020-01-22"));
}

#[test]
fn plain_document_has_nothing() {
    let text = "Just some text, with a [link](other.md).\n\nAnother paragraph: with a colon.\n";
    assert_eq!(read(text, 0), BodyMetadata::default());
    let meta = read("# Hello\n\nSome text.\n\n## Details\n\nMore.\n", 0);
    assert_eq!(
        meta,
        BodyMetadata {
            title: Some("Hello".to_owned()),
            ..BodyMetadata::default()
        }
    );
    assert_eq!(read("", 0), BodyMetadata::default());

    // A handbook page: a list of definitions is not metadata, and text under a first `##`
    // heading is not a header.
    let text = "Our principles:\n\n- **Open**: content is open to all.\n- **Living**: it changes.\n\n\
                ## Guidelines\n\nDate: 2020-01-01\n";
    assert_eq!(read(text, 0), BodyMetadata::default());
    let text = "Records are words.\n\n## Guidelines\n\nDate: 2020-01-01\n\n- See also: [tools](tools.md)\n";
    assert_eq!(read(text, 0), BodyMetadata::default());
}

#[test]
fn madr_4_body_is_recognised_by_its_sections() {
    let text = "# Use X\n\n## Context and Problem Statement\n\nWhy.\n\n## Decision Outcome\n\n\
                Chosen option: \"X\".\n\n* Status: rejected\n";
    let meta = read(text, 0);
    assert_eq!(meta.format, Some(Format::Madr));
    assert_eq!(meta.status, None);
}

#[test]
fn metadata_deep_in_the_document_is_ignored() {
    let text = "# Choose a database\n\n## Decision\n\n- Status: rejected\n- Date: 2020-01-01\n- Deciders: Zed\n\n\
                Superseded by [x](x.md)\n";
    let meta = read(text, 0);
    assert_eq!(meta.status, None);
    assert_eq!(meta.date, None);
    assert!(meta.deciders.is_empty());
    assert!(meta.relations.is_empty());

    // Code blocks and quotes in the header and in a status section are not metadata.
    let text = "# T\n\n```\n- Status: fenced\n```\n\n> Date: 2020-01-01\n\n## Status\n\n\
                ~~~\nSuperseded by [x](x.md)\n~~~\n\n    Accepted\n\nProposed\n";
    let meta = read(text, 0);
    assert_eq!(meta.status.as_deref(), Some("Proposed"));
    assert_eq!(meta.date, None);
    assert!(meta.relations.is_empty());

    // Without headings, the header ends where a second list starts.
    let meta = read("- Date: 2020-01-01\n\nProse.\n\n- Status: rejected\n", 0);
    assert_eq!(meta.date, date("2020-01-01"));
    assert_eq!(meta.status, None);
}

#[test]
fn status_text_is_cleaned() {
    let meta = read("# T\n\n## Status\n\n**Accepted.**\n", 0);
    assert_eq!(meta.status.as_deref(), Some("Accepted"));
    let meta = read("# T\n\n* Status: on hold <!-- not in MADR's list -->\n", 0);
    assert_eq!(meta.status.as_deref(), Some("on hold"));
    let meta = read("# T\n\n## Status: Deprecated\n\n## Context\n", 0);
    assert_eq!(meta.status.as_deref(), Some("Deprecated"));
    let meta = read("# T\n\n## Status\n\nStatus: Accepted\nDate: 2022-02-02\n", 0);
    assert_eq!(meta.status.as_deref(), Some("Accepted"));
    assert_eq!(meta.date, date("2022-02-02"));
}

#[test]
fn non_ascii_and_crlf() {
    let text = "# 3. Überprüfung der Größe 🚀\r\n\r\nDate: 2021-05-06\r\n\r\n## Status\r\n\r\nAkzeptiert\r\n\r\n\
                Supersedes [2. Ältere Entscheidung](0002-ältere.md)\r\nAmended by ADR-0007\r\n\r\n## Kontext\r\n";
    let meta = read(text, 0);
    assert_eq!(meta.format, Some(Format::Nygard));
    assert_eq!(meta.title.as_deref(), Some("Überprüfung der Größe 🚀"));
    assert_eq!(meta.number, Some(3));
    assert_eq!(meta.date, date("2021-05-06"));
    assert_eq!(meta.status.as_deref(), Some("Akzeptiert"));
    assert_eq!(
        relations(&meta),
        [
            relation(RelationKind::Supersedes, "0002-ältere.md"),
            relation(RelationKind::AmendedBy, "ADR-0007")
        ]
    );
    assert_eq!(
        &text[meta.relations[0].span.clone()],
        "[2. Ältere Entscheidung](0002-ältere.md)"
    );
    assert_eq!(&text[meta.relations[1].span.clone()], "Amended by ADR-0007");

    let text = "# Entscheidung\r\n\r\n* Status: angenommen\r\n* Deciders: Zoë, José und Ana\r\n\r\n## Kontext\r\n";
    let meta = read(text, 0);
    assert_eq!(meta.status.as_deref(), Some("angenommen"));
    assert_eq!(meta.deciders, strings(&["Zoë", "José und Ana"]));
}

#[test]
fn spans_are_in_the_whole_file() {
    let front = "---\nstatus: ignored here\n---\n";
    let text =
        format!("{front}# Old\n\n- Status: superseded by [new](0002-new.md)\n\n## Links\n\n- Superseded by ADR-3\n");
    let meta = read(&text, front.len());
    assert_eq!(meta.status.as_deref(), Some("superseded"));
    assert_eq!(meta.relations.len(), 2);
    assert_eq!(&text[meta.relations[0].span.clone()], "[new](0002-new.md)");
    assert_eq!(&text[meta.relations[1].span.clone()], "Superseded by ADR-3");
    // A wrapped link stays one line.
    let text = "# T\n\n## Status\n\nSuperseded by [3. A long\ntitle](0003-a-long-title.md)\n";
    let meta = read(text, 0);
    assert_eq!(
        &text[meta.relations[0].span.clone()],
        "[3. A long\ntitle](0003-a-long-title.md)"
    );
}

#[test]
fn never_panics_on_any_start_or_prefix() {
    let text = "# 1. Ünïcødé\r\n\r\n* Status: süperseded by [x](ÿ.md) <!-- c\r\n* Date: 2020-01-01\r\n\r\n\
                ## Status\r\n\r\nSupersedes [é\r\nà](a.md), [b](b.md) and\r\n\u{FFFC} Amends 🚀\r\n\
                - Tags: #a #b\r\n\r\n## Links\r\n\r\n- Relates to \u{FFFC}[x][ref]\r\n\r\n[ref]: r.md\r\n";
    for start in 0..=text.len() + 1 {
        let _ = read(text, start);
    }
    for end in (0..=text.len()).filter(|&end| text.is_char_boundary(end)) {
        let _ = read(&text[..end], 0);
    }
}

/// The text of each consumed range.
fn consumed(text: &str) -> Vec<&str> {
    read(text, 0)
        .consumed
        .iter()
        .map(|range| text[range.clone()].trim_end())
        .collect()
}

#[test]
fn each_format_consumes_what_it_read() {
    let nygard =
        "# 2. Old\n\nDate: 2016-02-12\n\n## Status\n\nSuperseded by [3. New](0003-new.md)\n\n## Context\n\nWhy.\n";
    assert_eq!(
        consumed(nygard),
        ["Date: 2016-02-12", "## Status", "Superseded by [3. New](0003-new.md)"]
    );
    let madr = "# T\n\n* Status: accepted\n* Deciders:\n  * Ann\n  * Bob\n\nTechnical Story: [#1](https://x.example/1)\n\n## Context\n";
    assert_eq!(
        consumed(madr),
        [
            "* Status: accepted",
            "* Deciders:\n  * Ann\n  * Bob",
            "Technical Story: [#1](https://x.example/1)"
        ]
    );
    let log4brains =
        "# T\n\n- Status: accepted\n- Tags: a\n\n## Links\n\n- Supersedes [x](x.md)\n- [A post](https://x.example)\n";
    assert_eq!(
        consumed(log4brains),
        ["- Status: accepted", "- Tags: a", "- Supersedes [x](x.md)"]
    );
    let rfc = "- Feature Name: x\n- Start Date: 2014-03-11\n- Rust Issue:\n\n## Summary\n\nText.\n";
    assert_eq!(
        consumed(rfc),
        ["- Feature Name: x", "- Start Date: 2014-03-11", "- Rust Issue:"]
    );
    // A handbook page's opening list is not metadata.
    assert!(consumed("# Principles\n\n- **Open**: to all.\n\n## More\n").is_empty());
}

#[test]
fn a_block_that_says_more_than_its_metadata_stays() {
    // A second paragraph of prose, a code block, a link the status hides, words after a date.
    for text in [
        "# T\n\n## Status\n\nAccepted\n\nWe agreed in the weekly.\n",
        "# T\n\n## Status\n\nAccepted\n\n```\nlog\n```\n",
        "# T\n\n* Status: Deprecated by [x](x.md)\n",
        "# T\n\n* Status: accepted\n  ```\n  code\n  ```\n",
        "# T\n\nDate: 2020-01-01 (approved in the weekly)\n\n## Status\n\nAccepted\n\nAlso: more\n",
        "# T\n\n## Status\n\nSuperseded by [x](x.md) after a long debate.\n",
        "- Start Date: 2020-01-01\n- Rust Issues:\n  - [#1](https://x.example/1)\n",
    ] {
        let meta = read(text, 0);
        let kept: Vec<&str> = meta.consumed.iter().map(|range| &text[range.clone()]).collect();
        assert!(
            kept.iter().all(|block| !block.contains("weekly")
                && !block.contains("log")
                && !block.contains("[x]")
                && !block.contains("code")
                && !block.contains("#1")
                && !block.starts_with("## Status")),
            "{text:?} lost content: {kept:?}"
        );
    }
    // What was read in full still goes: the status word, not its section's heading and prose.
    assert_eq!(
        consumed("# T\n\n## Status\n\nAccepted\n\nWe agreed.\n\n## Links\n\n- Amends [y](y.md)\n"),
        ["Accepted", "## Links", "- Amends [y](y.md)"]
    );
}

#[test]
fn unreadable_dates_are_kept_as_written() {
    let meta = read("- Start Date: 2020/05/18\n- RFC PR: 1\n\n## Summary\n", 0);
    assert_eq!(meta.date, None);
    assert_eq!(
        meta.fields,
        [
            ("Start Date".to_owned(), "2020/05/18".to_owned()),
            ("RFC PR".to_owned(), "1".to_owned())
        ]
    );
    assert_eq!(meta.consumed.len(), 2);
}

#[test]
fn status_values_from_front_matter() {
    let (status, relations) = status_value("superseded by [ADR-0005](0005-use-b.md)");
    assert_eq!(status.as_deref(), Some("superseded"));
    assert_eq!(relations.len(), 1);
    assert_eq!(
        (relations[0].kind, relations[0].target.as_str()),
        (RelationKind::SupersededBy, "0005-use-b.md")
    );
    let (status, relations) = status_value("Deprecated, superseded by ADR-0005");
    assert_eq!(status.as_deref(), Some("Deprecated"));
    assert_eq!(relations[0].target, "ADR-0005");
    let (status, relations) = status_value("accepted");
    assert_eq!((status.as_deref(), relations.len()), (Some("accepted"), 0));
    // Never panics on any value.
    for written in ["", "\n", "# x", "- [", "superseded by", "superseded by [](", "\u{FFFC}"] {
        let _ = status_value(written);
    }
}
