//! Tests of reading `handbook.toml`.

use super::*;

fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    Config::parse(Path::new(CONFIG_FILE), text)
}

#[test]
fn empty_file_gives_defaults() {
    assert_eq!(parse("").unwrap(), Config::default());
}

#[test]
fn keys_are_read() {
    let config =
        parse("title = \"Ops\"\n[folders]\ndecisions = [\"adr\"]\n[protocols]\nreview_every = \"90d\"\n").unwrap();
    assert_eq!(config.title, "Ops");
    assert_eq!(config.folders.decisions, ["adr"]);
    assert_eq!(config.folders.meetings, ["meetings"]);
    assert_eq!(config.protocols.review_every, "90d");
}

#[test]
fn every_unknown_key_is_reported_with_a_suggestion() {
    let errors = parse("titel = \"x\"\n[folders]\ndecision = [\"adr\"]\n").unwrap_err();
    let lines: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        lines,
        [
            "handbook.toml:1:1: error: unknown key `titel` in handbook.toml",
            "handbook.toml:3:1: error: unknown key `folders.decision` in handbook.toml",
        ]
    );
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `title`?"));
    assert_eq!(errors[1].help.as_deref(), Some("did you mean `folders.decisions`?"));
}

#[test]
fn wrong_types_and_values_point_at_the_value() {
    let errors = parse("title = 3\n").unwrap_err();
    assert_eq!(errors[0].position.unwrap().line, 1);
    let errors = parse("timezone = \"Mars/Olympus\"\n").unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "handbook.toml:1:12: error: `Mars/Olympus` is not an IANA time zone"
    );
    let errors = parse("[protocols]\nreview_every = \"soon\"\n").unwrap_err();
    assert_eq!(errors[0].position.unwrap().line, 2);
    let errors = parse("language = \"English\"\n").unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "handbook.toml:1:12: error: `English` is not a language tag"
    );
    for tag in ["en", "pt-BR", "zh-Hant-TW", "de_CH", "fil"] {
        assert!(parse(&format!("language = \"{tag}\"\n")).is_ok(), "{tag}");
    }
}

#[test]
fn an_unknown_host_is_an_error_with_the_valid_ones() {
    let errors = parse("[repository]\nurl = \"https://git.example.com/a/b\"\nhost = \"githb\"\n").unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "handbook.toml:3:8: error: `githb` is not a repository host handbook knows"
    );
    let help = errors[0].help.as_deref().unwrap();
    assert!(help.starts_with("did you mean \"github\"?"), "{help}");
    assert!(help.contains("github, gitlab, gitea, forgejo, codeberg"), "{help}");
    let errors = parse("[repository]\nhost = \"sourcehut\"\n").unwrap_err();
    assert!(errors[0].help.as_deref().unwrap().starts_with("valid hosts:"));
    let config = parse("[repository]\nurl = \"https://git.example.com/a/b\"\nhost = \"Forgejo\"\n").unwrap();
    assert_eq!(
        config.repository.links("x.md").unwrap().0,
        "https://git.example.com/a/b/_edit/main/x.md"
    );
}

#[test]
fn the_base_path_is_the_path_of_the_base_url_between_slashes() {
    for (url, path) in [
        ("", "/"),
        ("https://hb.example", "/"),
        ("https://hb.example/", "/"),
        ("https://hb.example/team", "/team/"),
        ("https://hb.example/a/b/", "/a/b/"),
    ] {
        let config = Config {
            base_url: url.to_string(),
            ..Config::default()
        };
        assert_eq!(config.base_path(), path, "{url}");
    }
}

#[test]
fn the_base_url_option_is_checked_as_the_key_is() {
    let overrides = |url: &str| Overrides {
        base_url: Some(url.to_string()),
    };
    let path = Path::new(CONFIG_FILE);
    let errors =
        Config::parse_with(path, "base_url = \"https://ok.example/\"\n", &overrides("example.com")).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "bad-base-url");
    assert_eq!(errors[0].file, None, "the value is not in the file");
    assert_eq!(
        errors[0].message,
        "--base-url `example.com` is not an absolute http(s) URL"
    );
    // The option replaces a bad key, which is then not an error.
    let config = Config::parse_with(path, "base_url = \"nope\"\n", &overrides("https://hb.example/")).unwrap();
    assert_eq!(config.base_url().as_deref(), Some("https://hb.example/"));
    let errors = parse("base_url = \"nope\"\n").unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "handbook.toml:1:12: error: base_url `nope` is not an absolute http(s) URL"
    );
}

#[test]
fn repository_links_follow_the_host() {
    let mut repo = Repository {
        url: "https://github.com/acme/handbook/".into(),
        ..Repository::default()
    };
    let (edit, history) = repo.links("content/a.md").unwrap();
    assert_eq!(edit, "https://github.com/acme/handbook/edit/main/content/a.md");
    assert_eq!(history, "https://github.com/acme/handbook/commits/main/content/a.md");
    repo.url = "https://gitlab.com/acme/ops".into();
    repo.path = "docs/handbook".into();
    assert_eq!(
        repo.links("content/a.md").unwrap().0,
        "https://gitlab.com/acme/ops/-/edit/main/docs/handbook/content/a.md"
    );
    repo.url = "https://codeberg.org/acme/ops".into();
    assert_eq!(
        repo.links("content/a.md").unwrap().1,
        "https://codeberg.org/acme/ops/commits/branch/main/docs/handbook/content/a.md"
    );
    assert_eq!(Repository::default().links("x"), None);
}

#[test]
fn visibility_and_public_keys() {
    let config = parse("visibility = \"internal\"\n[public]\nauthors = true\n").unwrap();
    assert_eq!(config.visibility, Visibility::Internal);
    assert!(config.public.authors);
    assert!(
        !Config::default().public.authors,
        "public builds hide author names by default"
    );
    let errors = parse("title = \"x\"\nvisibility = \"Internl\"\n").unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "handbook.toml:2:14: error: `visibility` must be \"public\" or \"internal\", not the text \"Internl\""
    );
    assert_eq!(errors[0].code, "unknown-visibility");
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean \"internal\"? Valid values: public, internal")
    );
    let errors = parse("visibility = true\n").unwrap_err();
    assert!(errors[0].message.ends_with("not a boolean"), "{}", errors[0].message);
    let errors = parse("[public]\nauthor = false\n").unwrap_err();
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `public.authors`?"));
}

#[test]
fn status_colours_are_plain_css_colours() {
    for color in [
        "#7c3aed",
        "RebeccaPurple",
        "rgb(124 58 237 / 80%)",
        "oklch(70% 0.1 200)",
    ] {
        assert!(checks::is_css_color(color), "{color}");
    }
    for color in [
        "red; background: blue",
        "url(https://x.test/t)",
        "image-set(a)",
        "red\" x",
        "(1)",
    ] {
        assert!(!checks::is_css_color(color), "{color}");
    }
    let errors =
        parse("[[decisions.statuses]]\nname = \"a\"\n\n[[decisions.statuses]]\nname = \"b\"\ncolor = \"red;x:y\"\n")
            .unwrap_err();
    assert_eq!(errors[0].code, "bad-color");
    assert_eq!(errors[0].position.unwrap().line, 6);
}

#[test]
fn repository_urls_are_web_addresses() {
    // Found by the fuzz test: a path made every page's edit and history links dead.
    let errors = parse("[repository]\nurl = \"/srv/git/handbook\"\n").unwrap_err();
    assert_eq!(errors[0].code, "bad-repository-url");
    assert_eq!(errors[0].position.unwrap().line, 2);
    assert!(parse("[repository]\nurl = \"https://git.example.org/team/handbook\"\n").is_ok());
}

#[test]
fn unsafe_repository_urls_are_refused() {
    let errors = parse("[repository]\nurl = \" javascript:alert(1)\"\n").unwrap_err();
    assert_eq!(errors[0].code, "unsafe-url");
    assert_eq!(errors[0].position.unwrap().line, 2);
}

#[test]
fn print_parts_are_read_in_order_and_a_bad_one_is_named() {
    assert_eq!(parse("").unwrap().print.include.len(), 3);
    let config = parse("[print]\ninclude = [\"decisions\", \"protocols\"]\n").unwrap();
    assert_eq!(config.print.include, [PrintPart::Decisions, PrintPart::Protocols]);
    let errors = parse("[print]\ninclude = [\"decisions\", \"minutes\"]\n").unwrap_err();
    assert!(errors[0].message.contains("`print.include`"), "{}", errors[0].message);
    assert!(errors[0].message.contains("minutes"), "{}", errors[0].message);
}

#[test]
fn raw_html_policy_is_read() {
    assert_eq!(parse("").unwrap().markdown.raw_html, RawHtml::Sanitize);
    let config = parse("[markdown]\nraw_html = \"escape\"\n").unwrap();
    assert_eq!(config.markdown.raw_html, RawHtml::Escape);
    let errors = parse("[markdown]\nraw_htm = \"allow\"\n").unwrap_err();
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `markdown.raw_html`?"));
    assert!(parse("[markdown]\nraw_html = \"maybe\"\n").is_err());
}

#[test]
fn unknown_keys_of_arrays_of_tables_have_a_suggestion() {
    let errors = parse("[[mounts]]\nsorce = \"doc/adr\"\n[[decisions.statuses]]\nnmae = \"x\"\n").unwrap_err();
    let helps: Vec<&str> = errors.iter().filter_map(|e| e.help.as_deref()).collect();
    assert!(helps.contains(&"did you mean `mounts.source`?"), "{errors:?}");
    assert!(helps.contains(&"did you mean `decisions.statuses.name`?"), "{errors:?}");
    let sorce = errors.iter().find(|e| e.message.contains("`mounts.sorce`")).unwrap();
    assert_eq!(sorce.position.map(|p| (p.line, p.column)), Some((2, 1)));
}

#[test]
fn syntax_errors_have_a_position() {
    let errors = parse("title = \"x\"\nbase_url = \n").unwrap_err();
    assert_eq!(errors[0].position.unwrap().line, 2);
}
