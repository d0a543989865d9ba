//! Content is untrusted: hostile names never write outside the output, files outside the
//! handbook are never published, and no page is silently replaced or lost. Each test is one kind
//! of fault found by trying it, with the example that found it.

mod common;

use std::path::Path;

use common::{Fixture, handbook};
use predicates::prelude::*;

/// A handbook in `hb/` of a temporary folder, so that writes beside it can be seen.
fn nested(files: &[(&str, &str)]) -> Fixture {
    let files: Vec<(String, &str)> = files.iter().map(|(p, t)| (format!("hb/{p}"), *t)).collect();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    Fixture::new(&borrowed)
}

fn run(hb: &Fixture, args: &[&str]) -> assert_cmd::assert::Assert {
    handbook().arg("--root").arg(hb.path("hb")).args(args).assert()
}

/// Every file under `dir`, relative to it.
fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn names_from_content_never_climb_out_of_the_output() {
    let climb = "../../../../../../../../../../../..";
    let outside = tempfile::tempdir().unwrap();
    let target = format!("{climb}{}", outside.path().join("escape").display());
    let decision = format!("+++\nstatus = \"{target}\"\ntags = [\"{target}\", \"..\"]\n+++\n# T\n",);
    let meeting = format!("+++\ndate = 2026-11-20\nseries = \"{target}\"\nattendees = [\"{target}\"]\n+++\n# M\n");
    let hb = nested(&[
        ("content/decisions/0001-t.md", &decision),
        ("content/meetings/2026-11-20-m.md", &meeting),
        ("content/guides/..%2f..%2fx.md", "# Odd name\n"),
    ]);
    run(&hb, &["build"]).success();
    assert!(!outside.path().join("escape").exists(), "wrote outside the output");
    let mut beside = files_under(hb.root());
    beside.retain(|f| !f.starts_with("hb/public/") && !f.starts_with("hb/content/"));
    assert_eq!(beside, Vec::<String>::new(), "files written outside public/");
    let site = files_under(&hb.path("hb/public"));
    assert!(site.iter().all(|f| !f.contains("..")), "{site:?}");
    let escaped = "decisions/status/tmp-escape/index.html";
    assert!(
        site.iter()
            .any(|f| f.starts_with("decisions/status/") && f.ends_with("escape/index.html")),
        "no slugged status page like {escaped} in {site:?}"
    );
}

#[cfg(unix)]
#[test]
fn files_outside_the_handbook_are_not_published() {
    use std::os::unix::fs::symlink;
    let hb = nested(&[
        ("content/guides/a.md", "# A\n\nSee [the shared page](shared.md).\n"),
        ("content/shared-source/shared.md", "# Shared\n"),
    ]);
    hb.write("outside/secret.md", "# Secret\n\nTOKEN-OUTSIDE\n");
    hb.write("outside/folder/leak.md", "# Leak\n\nFOLDER-OUTSIDE\n");
    hb.write("outside/passwd", "root:x:0:0:OUTSIDE-STATIC\n");
    let root = hb.path("hb");
    std::fs::create_dir_all(root.join("static")).unwrap();
    symlink(hb.path("outside/passwd"), root.join("static/passwd")).unwrap();
    symlink("/proc/self/environ", root.join("content/env.md")).unwrap();
    symlink(hb.path("outside/secret.md"), root.join("content/secret.md")).unwrap();
    symlink(hb.path("outside/folder"), root.join("content/linked")).unwrap();
    // A link that stays inside the handbook is followed as before.
    symlink(
        root.join("content/shared-source/shared.md"),
        root.join("content/guides/shared.md"),
    )
    .unwrap();
    let fifo = root.join("content/guides/pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");

    let outcome = run(&hb, &["build"]).success();
    let stderr = String::from_utf8_lossy(&outcome.get_output().stderr).into_owned();
    let warned = |code: &str, file: &str| {
        stderr
            .split("\n\n")
            .any(|block| block.starts_with(&format!("warning[{code}]")) && block.contains(&format!("--> {file}")))
    };
    for file in ["static/passwd", "content/env.md", "content/secret.md", "content/linked"] {
        assert!(warned("outside-handbook", file), "no warning naming {file}:\n{stderr}");
    }
    assert!(warned("special-file", "content/guides/pipe.md"), "{stderr}");
    let site = hb.path("hb/public");
    for file in files_under(&site) {
        let bytes = std::fs::read(site.join(&file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["TOKEN-OUTSIDE", "FOLDER-OUTSIDE", "OUTSIDE-STATIC", "PATH="] {
            assert!(!text.contains(secret), "{file} holds {secret}");
        }
    }
    assert!(site.join("guides/shared/index.html").exists());
    // check and build apply one rule.
    run(&hb, &["check"])
        .success()
        .stderr(predicate::str::contains("content/secret.md"));
}

#[test]
fn aliases_cannot_replace_generated_pages_feeds_or_assets() {
    for alias in [
        "/",
        "/404.html",
        "/tags/",
        "/decisions/",
        "/feed.xml",
        "/assets/style.css",
        "/search/x/",
    ] {
        let page = format!("+++\ntitle = \"Moved\"\naliases = [\"{alias}\"]\n+++\nText.\n");
        let hb = Fixture::new(&[("content/guides/moved.md", &page)]);
        for command in ["check", "build"] {
            hb.cmd(&[command])
                .assert()
                .code(1)
                .stderr(predicate::str::contains("content/guides/moved.md:3:1"))
                .stderr(predicate::str::contains(format!(
                    "error[bad-alias]: the alias `{alias}` cannot be used"
                )));
        }
        assert!(!hb.path("public").exists(), "{alias}: a failed build wrote a site");
    }
}

#[test]
fn a_page_beside_its_folder_becomes_the_folders_page() {
    let hb = Fixture::new(&[
        (
            "content/guides/onboarding.md",
            "Start with [the first week](onboarding/first-week.md).\n",
        ),
        ("content/guides/onboarding/first-week.md", "# First week\n"),
    ]);
    hb.cmd(&["build"]).assert().success();
    let page = hb.read("public/guides/onboarding/index.html");
    assert!(
        page.contains("Start with"),
        "the page beside the folder is lost:\n{page}"
    );
    assert!(page.contains("First week"), "the folder page lists its pages:\n{page}");
    assert!(page.contains("<title>Onboarding"), "named after its folder:\n{page}");
    assert!(
        hb.read("public/guides/onboarding/first-week/index.html")
            .contains("First week")
    );

    // With a folder page of its own, the two are an error naming both.
    hb.write("content/guides/onboarding/_index.md", "# Onboarding (folder)\n");
    for command in ["check", "build"] {
        hb.cmd(&[command])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("content/guides/onboarding/_index.md"))
            .stderr(predicate::str::contains("content/guides/onboarding.md"));
    }
}

#[test]
fn names_that_differ_only_in_case_are_one_group() {
    let hb = Fixture::new(&[
        (
            "content/decisions/0001-a.md",
            "+++\ntitle = \"Alpha\"\ntags = [\"Security\"]\n+++\n",
        ),
        (
            "content/decisions/0002-b.md",
            "+++\ntitle = \"Beta\"\ntags = [\"security\"]\n+++\n",
        ),
        (
            "content/meetings/2026-11-03-sync.md",
            "+++\ntitle = \"Sync one\"\ndate = 2026-11-03\nseries = \"Weekly sync\"\n+++\n",
        ),
        (
            "content/meetings/2026-11-10-sync.md",
            "+++\ntitle = \"Sync two\"\ndate = 2026-11-10\nseries = \"weekly-sync\"\n+++\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success();
    let tag = hb.read("public/decisions/tags/security/index.html");
    assert!(tag.contains("Alpha") && tag.contains("Beta"), "{tag}");
    let log = hb.read("public/decisions/index.html");
    assert_eq!(
        log.matches("decisions/tags/security/index.html\"").count(),
        1,
        "one chip for one tag"
    );
    assert!(log.contains("Security (2)"), "{log}");
    let site_tag = hb.read("public/tags/security/index.html");
    assert!(site_tag.contains("Alpha") && site_tag.contains("Beta"));
    let meta = hb.read("public/search/meta.js");
    assert!(
        meta.contains(r#"[[\"Security\",\"security\",2]]"#) || meta.contains(r#"[["Security","security",2]]"#),
        "{meta}"
    );
    let series = hb.read("public/meetings/series/weekly-sync/index.html");
    assert!(series.contains("Sync one") && series.contains("Sync two"), "{series}");
    let next = hb.read("public/meetings/2026-11-03-sync/index.html");
    assert!(next.contains("Sync two"), "the series' next meeting is linked:\n{next}");
}

#[test]
fn paths_that_differ_only_in_case_conflict() {
    let hb = Fixture::new(&[
        ("content/guides/onboarding.md", "+++\ntitle = \"Onboarding\"\n+++\n"),
        (
            "content/guides/other.md",
            "+++\ntitle = \"Other\"\naliases = [\"/Guides/Onboarding/\"]\n+++\n",
        ),
    ]);
    for command in ["check", "build"] {
        hb.cmd(&[command])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("content/guides/other.md:3:1"))
            .stderr(predicate::str::contains("case-insensitive"));
    }
    // Copied files too: `Logo.png` and `logo.png` are one file on macOS and Windows.
    let hb = Fixture::new(&[
        ("content/a.md", "# A\n"),
        ("static/Logo.png", "1"),
        ("static/logo.png", "2"),
    ]);
    hb.cmd(&["build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error[url-conflict]"))
        .stderr(predicate::str::contains("static/logo.png"));
}

/// A copied file whose path is refused is not written, so a link to it is broken: the link
/// tables, made while the paths are claimed, are made again without it.
#[test]
fn a_link_to_a_copied_file_whose_path_was_refused_is_broken() {
    let hb = Fixture::new(&[
        (
            "content/guides/a.md",
            "# A\n\nSee [the rota](rota.png) and [the other](Rota.png).\n",
        ),
        ("content/guides/Rota.png", "1"),
        ("content/guides/rota.png", "2"),
    ]);
    for command in ["check", "build"] {
        hb.cmd(&[command])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("error[url-conflict]"))
            .stderr(predicate::str::contains(
                "error[broken-link]: broken link: `rota.png` does not exist",
            ))
            .stderr(predicate::str::contains("`Rota.png` does not exist").not());
    }
}

#[test]
fn static_files_cannot_replace_generated_ones() {
    let hb = Fixture::new(&[("content/a.md", "# A\n"), ("static/index.html", "<p>mine</p>")]);
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("static/index.html"))
        .stderr(predicate::str::contains("the home page"));
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_an_error_in_check_and_build() {
    use std::os::unix::ffi::OsStrExt;
    let hb = Fixture::new(&[("content/a.md", "# A\n")]);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(hb.path("content").join(name), "# Café\n").unwrap();
    for command in ["check", "build"] {
        hb.cmd(&[command])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("error[bad-file-name]"))
            .stderr(predicate::str::contains("content/caf"));
    }
}

#[test]
fn check_and_build_agree_on_names_a_browser_or_windows_cannot_take() {
    // Found by the fuzz test: `check` passed, `build` refused the path `a:b/x.png` (exit 2).
    let hb = Fixture::new(&[("content/0001-use-x.md", "+++\n+++\n"), ("content/a:b/x.png", "png")]);
    for command in ["check", "build"] {
        hb.cmd(&[command])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("error[bad-file-name]"))
            .stderr(predicate::str::contains("content/a:b/x.png"))
            .stderr(predicate::str::contains("unclaimed").not());
    }
}

#[test]
fn copied_files_keep_their_names_only_when_those_are_safe() {
    let hb = Fixture::new(&[
        ("content/a\u{7}b.md", "# Bell\n"),
        ("static/CNAME", "docs.example.org\n"),
        ("static/odd\u{1}name.txt", "x"),
    ]);
    for command in ["check", "build"] {
        hb.cmd(&[command])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(
                "error[bad-file-name]: this file cannot be published: it holds a control character",
            ))
            .stderr(predicate::str::contains("static/odd"));
    }
    std::fs::remove_file(hb.path("static/odd\u{1}name.txt")).unwrap();
    hb.cmd(&["build"]).assert().success();
    assert_eq!(hb.read("public/CNAME"), "docs.example.org\n");
    assert!(hb.read("public/a-b/index.html").contains("Bell"));
}

#[test]
fn folders_inside_generated_ones_have_a_page_or_are_refused() {
    // Found by the fuzz test: a folder page in `decisions/status/` had aliases that led nowhere.
    let hb = Fixture::new(&[
        (
            "content/decisions/status/index.md",
            "+++\naliases = [\"/old/\"]\n+++\nText.\n",
        ),
        (
            "content/decisions/2024/0001-x.md",
            "# X\n\nSee [the year](_index.md).\n",
        ),
        (
            "content/decisions/2024/_index.md",
            "+++\ntitle = \"Decisions of 2024\"\naliases = [\"/y2024/\"]\n+++\n",
        ),
    ]);
    for command in ["check", "build"] {
        hb.cmd(&[command])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("content/decisions/status/index.md:1:1"))
            .stderr(predicate::str::contains("the decision log's status pages"));
    }
    std::fs::remove_file(hb.path("content/decisions/status/index.md")).unwrap();
    hb.cmd(&["build"]).assert().success();
    let year = hb.read("public/decisions/2024/index.html");
    assert!(year.contains("Decisions of 2024") && year.contains(">X<"), "{year}");
    assert!(hb.read("public/y2024/index.html").contains("decisions/2024/index.html"));
    assert_eq!(common::broken_links(&hb.path("public")), Vec::<String>::new());
}

#[test]
fn long_names_from_content_fit_a_file_name() {
    // Found by the fuzz test: a status made of a long Nygard status paragraph named a search
    // file of 400 bytes, and `check` passed where `build` failed (ENAMETOOLONG).
    let status = "superseded by something else entirely ".repeat(12);
    let record = format!("# 1. Use x\n\nDate: 2026-01-01\n\n## Status\n\n{status}\n\n## Context\n\nText.\n");
    let tag = "日本語のとても長いタグ".repeat(20);
    let page = format!("+++\ntitle = \"T\"\ntags = [\"{tag}\"]\n+++\n");
    let hb = Fixture::new(&[
        ("handbook.toml", "[links]\nbroken = \"warn\"\n"),
        ("content/decisions/0001-use-x.md", &record),
        ("content/guides/t.md", &page),
    ]);
    hb.cmd(&["check"]).assert().success();
    hb.cmd(&["build"]).assert().success();
    for file in files_under(&hb.path("public")) {
        assert!(file.split('/').all(|name| name.len() <= 100), "{file}");
    }
}

#[test]
fn an_anchor_after_a_folder_link_is_checked_against_its_page() {
    // Found by the fuzz test: `[x](café#context)` went to `cafe/index.html#context`, unchecked.
    let hb = Fixture::new(&[(
        "content/café.md",
        "+++\n+++\n[x](café#context)\n\n## Why\n\n[y](café#why)\n",
    )]);
    for command in ["check", "build"] {
        hb.cmd(&[command])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("content/café.md:3:1"))
            .stderr(predicate::str::contains("has no heading `#context`"));
    }
}

#[test]
fn an_anchor_into_a_generated_listing_is_reported() {
    // Found by the fuzz test: `[x](../café#context)` from inside `café/`, a folder without a
    // page of its own, went to the generated listing's `#context`, which does not exist.
    let hb = Fixture::new(&[("content/café/a.md", "+++\n+++\n[x](../café#context) and [y](../café)\n")]);
    hb.cmd(&["check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("content/café/a.md:3:1"))
        .stderr(predicate::str::contains(
            "the generated page `cafe/` has no heading `#context`",
        ));
}

#[test]
fn a_recording_that_is_not_a_full_address_is_not_linked() {
    // Found by the fuzz test: `recording = "/relative/"` became a link that reaches nothing.
    let hb = Fixture::new(&[(
        "content/meetings/2026-11-20-sync.md",
        "+++\ndate = 2026-11-20\nrecording = \"/relative/\"\n+++\n",
    )]);
    hb.cmd(&["build"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning[relative-url]"))
        .stderr(predicate::str::contains("content/meetings/2026-11-20-sync.md:3:13"));
    assert!(
        !hb.read("public/meetings/2026-11-20-sync/index.html")
            .contains("\"/relative/\"")
    );
}

#[cfg(unix)]
#[test]
fn a_theme_outside_the_handbook_is_not_published() {
    // Another member of the kind "publishes what lies outside": a theme folder named by an
    // absolute path, or linked from `themes/`, whose static files would be copied to the site.
    let hb = nested(&[("content/a.md", "# A\n")]);
    hb.write("outside/theme/static/leak.txt", "SECRET-THEME\n");
    let theme = hb.path("outside/theme");
    for config in [
        format!("theme = \"{}\"\n", theme.display()),
        "theme = \"linked\"\n".to_string(),
    ] {
        std::fs::create_dir_all(hb.path("hb/themes")).unwrap();
        let link = hb.path("hb/themes/linked");
        if !link.exists() {
            std::os::unix::fs::symlink(&theme, &link).unwrap();
        }
        hb.write("hb/handbook.toml", &config);
        run(&hb, &["build"])
            .success()
            .stderr(predicate::str::contains("warning[outside-handbook]"));
        for file in files_under(&hb.path("hb/public")) {
            let text = std::fs::read_to_string(hb.path("hb/public").join(&file)).unwrap_or_default();
            assert!(
                !text.contains("SECRET-THEME"),
                "{config}: {file} holds the theme's file"
            );
        }
    }
}

#[test]
fn a_file_where_a_generated_folder_must_be_is_refused_before_writing() {
    // Found by the fuzz test: `content/decisions/tags` (a file) passed `check`, and `build` then
    // failed with "Is a directory" writing the decision log's tag pages.
    let hb = Fixture::new(&[
        ("content/decisions/0001-use-x.md", "+++\ntags = [\"x\"]\n+++\n"),
        ("content/decisions/tags", "static file\n"),
        ("static/search", "static file\n"),
    ]);
    for command in ["check", "build"] {
        hb.cmd(&[command])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("error[url-conflict]"))
            .stderr(predicate::str::contains("content/decisions/tags"))
            .stderr(predicate::str::contains("static/search"))
            .stderr(predicate::str::contains("Is a directory").not());
    }
}

#[test]
fn a_link_to_the_heading_that_became_the_title_arrives() {
    // Found by the fuzz test: `# Context` opens the body and becomes the title, shown by the
    // template's `<h1>`; the body leaves the heading out, so `#context` reached no element.
    let hb = Fixture::new(&[
        ("content/0001-use-x.md", "+++\n+++\n# Context\n\n[x](#context)\n\n"),
        ("content/guides/_index.md", "# Guides\n\n[top](#guides)\n"),
        (
            "content/guides/a.md",
            "# Intro\n\nSee [the intro](#intro) and [guides](_index.md#guides).\n",
        ),
    ]);
    hb.cmd(&["build"]).assert().success();
    assert_eq!(common::broken_links(&hb.path("public")), Vec::<String>::new());
    assert!(
        hb.read("public/guides/a/index.html")
            .contains("<h1 id=\"intro\"><bdi>Intro</bdi></h1>")
    );
}
