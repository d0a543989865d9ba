use super::*;

/// Writes `files` as a build does (see [`Staging`]) and swaps them in.
fn write_site(output: &Path, files: &[OutputFile]) -> Result<Vec<Diagnostic>, WriteError> {
    write_site_with(output, files, remove_hidden)
}

/// [`write_site`] with the function that deletes the staging folder (and the previous site in
/// it) after the swap: the seam through which the tests make that deletion fail, which they
/// cannot do through permissions because they may run as root.
fn write_site_with(
    output: &Path,
    files: &[OutputFile],
    remove_staging: impl FnOnce(&Path) -> io::Result<()>,
) -> Result<Vec<Diagnostic>, WriteError> {
    let staging = Staging::create(output)?;
    for file in files {
        staging.write(file)?;
    }
    staging.publish_with(remove_staging)
}

fn text(path: &str, body: &str) -> OutputFile {
    OutputFile {
        path: path.into(),
        contents: Contents::Text(body.into()),
    }
}

#[test]
fn a_new_build_replaces_the_old_one_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &[text("a/index.html", "A"), text("b.html", "B")]).unwrap();
    write_site(&out, &[text("a/index.html", "A2")]).unwrap();
    assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "A2");
    assert!(!out.join("b.html").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no staging folders left behind");
}

#[cfg(unix)]
#[test]
fn a_previous_site_is_deleted_to_its_last_folder_and_links_in_it_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(elsewhere.join("inner")).unwrap();
    std::fs::write(elsewhere.join("inner/keep.txt"), "kept").unwrap();
    let pages: Vec<OutputFile> = (0..50)
        .map(|n| text(&format!("decisions/{n}/deep/er/index.html"), "page"))
        .collect();
    write_site(&out, &pages).unwrap();
    // Someone put links in the published site: to a folder and to a file outside it.
    std::os::unix::fs::symlink(&elsewhere, out.join("decisions/7/folder-link")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("inner/keep.txt"), out.join("file-link")).unwrap();
    write_site(&out, &[text("index.html", "new")]).unwrap();
    assert_eq!(siblings(&out), ["elsewhere"], "the previous site is gone whole");
    assert!(!out.join("decisions").exists());
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("inner/keep.txt")).unwrap(),
        "kept"
    );
}

/// Names beside `out` other than `out` itself.
fn siblings(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| *n != out.file_name().unwrap().to_string_lossy())
        .collect();
    names.sort();
    names
}

#[test]
fn a_new_site_is_marked_before_anything_else_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let staging = Staging::create(&out).unwrap();
    staging.write(&text("a.html", "A")).unwrap();
    assert!(staging.write(&text("a.html/b.html", "B")).is_err());
    assert!(
        staging.site.join(MARKER).is_file() && staging.staging.join(MARKER).is_file(),
        "a staging folder is recognisable however far it got"
    );
}

#[test]
fn a_site_dropped_unpublished_is_deleted_and_the_output_stays() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &[text("index.html", "old")]).unwrap();
    let staging = Staging::create(&out).unwrap();
    staging.write(&text("index.html", "new")).unwrap();
    staging.write(&text("a/b/c.html", "deep")).unwrap();
    let folder = staging.staging.clone();
    assert!(
        folder.join("site/a/b/c.html").is_file(),
        "folders are made as files need them"
    );
    drop(staging);
    assert!(!folder.exists());
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "old");
    assert_eq!(siblings(&out), Vec::<String>::new());
}

#[test]
fn a_file_path_outside_the_site_is_refused_when_written() {
    let dir = tempfile::tempdir().unwrap();
    let staging = Staging::create(&dir.path().join("public")).unwrap();
    for path in ["../escape.html", "/etc/x.html", "a/../../b.html", "a//b.html"] {
        assert!(
            matches!(staging.write(&text(path, "x")), Err(WriteError::Refused(_))),
            "{path}"
        );
    }
    assert!(!dir.path().join("escape.html").exists());
}

#[cfg(any(target_os = "linux", target_os = "android"))]
#[test]
fn the_swap_is_one_exchange_that_leaves_the_old_site_at_the_staging_path() {
    let dir = tempfile::tempdir().unwrap();
    let (out, staging, old) = (
        dir.path().join("public"),
        dir.path().join("new"),
        dir.path().join("old"),
    );
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("index.html"), "previous").unwrap();
    std::fs::create_dir(&staging).unwrap();
    std::fs::write(staging.join("index.html"), "next").unwrap();
    assert_eq!(swap(&staging, &out, &old).unwrap(), Some(staging.clone()));
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "next");
    assert_eq!(std::fs::read_to_string(staging.join("index.html")).unwrap(), "previous");
    assert!(!old.exists(), "no rename through the old path");
}

#[test]
fn after_a_swap_the_old_site_is_gone_and_the_new_one_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &[text("index.html", "1")]).unwrap();
    let warnings = write_site(&out, &[text("index.html", "2")]).unwrap();
    assert_eq!(warnings, Vec::new());
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "2");
    assert!(out.join(MARKER).is_file());
    assert_eq!(siblings(&out), Vec::<String>::new());
}

#[test]
fn a_watcher_never_sees_the_output_missing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let site = [text("index.html", "home"), text("a/index.html", "a")];
    write_site(&out, &site).unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    let missing = std::thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            let mut missing = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                missing += usize::from(!out.is_dir());
            }
            missing
        });
        for _ in 0..200 {
            write_site(&out, &site).unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        watcher.join().unwrap()
    });
    assert_eq!(missing, 0);
}

#[test]
fn an_old_site_that_cannot_be_deleted_is_a_warning_and_the_next_build_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &[text("index.html", "1")]).unwrap();
    let held = |_: &Path| Err(io::Error::other("held open"));
    let warnings = write_site_with(&out, &[text("index.html", "2")], held).unwrap();
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "2");
    let [warning] = warnings.as_slice() else {
        panic!("one warning expected: {warnings:?}")
    };
    assert_eq!(
        (warning.severity, warning.code),
        (crate::Severity::Warning, "old-output-left")
    );
    let left = siblings(&out);
    assert_eq!(left.len(), 1);
    assert!(warning.message.contains(&left[0]) && warning.message.contains("held open"));
    assert!(warning.help.as_deref().unwrap().contains("delete it by hand"));
    write_site(&out, &[text("index.html", "3")]).unwrap();
    assert_eq!(siblings(&out), Vec::<String>::new());
}

/// A PID that has certainly ended: a child that has run and been waited for.
#[cfg(unix)]
fn ended_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    child.wait().unwrap();
    child.id()
}

#[cfg(unix)]
#[test]
fn folders_of_dead_builds_are_removed_and_those_of_live_builds_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let [dead, empty, foreign, file] = [(); 4].map(|()| ended_pid());
    let live = std::os::unix::process::parent_id();
    let folder = |name: String, marked: bool, extra: bool| {
        let path = dir.path().join(name);
        std::fs::create_dir(&path).unwrap();
        if marked {
            std::fs::write(path.join(MARKER), MARKER_TEXT).unwrap();
        }
        if extra {
            std::fs::write(path.join("index.html"), "x").unwrap();
        }
    };
    folder(format!(".public.new-{dead}"), true, true);
    folder(format!(".public.old-{dead}"), true, true);
    folder(format!(".public.new-{empty}"), false, false);
    // Killed between hiding its staging folder and marking it, and while hiding it: after the
    // ignore file was made, before all or any of its text was written.
    let [hidden, half_hidden, unhidden, not_ours] = [(); 4].map(|()| ended_pid());
    for (pid, ignore) in [(hidden, IGNORE_TEXT), (half_hidden, &IGNORE_TEXT[..9]), (unhidden, "")] {
        folder(format!(".public.new-{pid}"), false, false);
        std::fs::write(dir.path().join(format!(".public.new-{pid}/.gitignore")), ignore).unwrap();
    }
    folder(format!(".public.new-{not_ours}"), false, false);
    std::fs::write(dir.path().join(format!(".public.new-{not_ours}/.gitignore")), "*\n").unwrap();
    let kept = [
        format!(".public.new-{live}"),
        format!(".public.old-{live}"),
        format!(".public.old-0{dead}"),
        format!(".public.new-{dead}x"),
        format!(".site.new-{dead}"),
        format!("public.new-{dead}"),
    ];
    for name in &kept {
        folder(name.clone(), true, true);
    }
    folder(format!(".public.old-{foreign}"), false, true);
    std::fs::write(dir.path().join(format!(".public.new-{file}")), "a file").unwrap();
    write_site(&out, &[text("index.html", "new")]).unwrap();
    let mut expected: Vec<String> = kept.to_vec();
    expected.push(format!(".public.old-{foreign}"));
    expected.push(format!(".public.new-{not_ours}"));
    expected.push(format!(".public.new-{file}"));
    expected.sort();
    assert_eq!(siblings(&out), expected);
}

/// Runs git in `dir` without the user's or the system's configuration; its output, or
/// `None` where git cannot be run.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .ok()?;
    assert!(output.status.success(), "git {args:?}: {output:?}");
    Some(String::from_utf8(output.stdout).unwrap())
}

#[test]
fn git_never_sees_a_staging_folder_and_always_sees_the_site() {
    let dir = tempfile::tempdir().unwrap();
    if git(dir.path(), &["init", "-q"]).is_none() {
        eprintln!("git is missing: skipped");
        return;
    }
    // `git add -A` would commit whatever this shows.
    let untracked = || git(dir.path(), &["status", "--porcelain", "--untracked-files=all"]).unwrap();
    let out = dir.path().join("site");
    let site = [text("index.html", "home"), text("a/index.html", "a")];

    // A build killed while writing: its staging folder stays until the next build.
    let staging = dir.path().join(".site.new-1");
    create_staging(&staging).unwrap();
    assert_eq!(untracked(), "", "hidden before anything is in it");
    std::fs::remove_dir_all(&staging).unwrap();
    let writing = Staging::create(&out).unwrap();
    for file in &site {
        writing.write(file).unwrap();
    }
    assert_eq!(untracked(), "");
    std::fs::remove_file(writing.staging.join(MARKER)).unwrap();
    assert_eq!(untracked(), "", "the ignore file hides itself too");
    let folder = writing.staging.clone();
    drop(writing);
    std::fs::remove_dir_all(&folder).ok();

    // The published site is the site, with nothing that hides it.
    write_site(&out, &site).unwrap();
    assert!(!out.join(IGNORE).exists());
    assert_eq!(
        untracked(),
        "?? site/.handbook-output\n?? site/a/index.html\n?? site/index.html\n"
    );

    // A previous site that could not be deleted (or whose deletion was killed) stays
    // hidden in the staging folder.
    let held = |_: &Path| Err(io::Error::other("held open"));
    let warnings = write_site_with(&out, &[text("index.html", "2")], held).unwrap();
    assert_eq!(warnings.len(), 1);
    let pid = std::process::id();
    assert_eq!(siblings(&out), [".git".to_string(), format!(".site.new-{pid}")]);
    assert_eq!(untracked(), "?? site/.handbook-output\n?? site/index.html\n");
}

#[test]
fn a_foreign_folder_with_the_staging_name_is_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let foreign = dir.path().join(format!(".public.new-{}", std::process::id()));
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    assert!(matches!(
        write_site(&out, &[text("index.html", "x")]),
        Err(WriteError::Io { .. })
    ));
    assert_eq!(std::fs::read_to_string(foreign.join("notes.txt")).unwrap(), "mine");
    assert!(!out.exists());
}

#[test]
fn unsafe_file_paths_are_refused_before_anything_is_written() {
    for path in [
        "/etc/x",
        "../x",
        "a/../../x",
        "a//b",
        "./a",
        "a/.",
        "a/",
        "a\\b",
        "",
        "C:/x",
        "c:x",
        "a\0b",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [text("index.html", "home"), text(path, "bad")];
        match write_site(&out, &files) {
            Err(WriteError::Refused(why)) => assert!(why.contains(&format!("{path:?}")), "{why}"),
            other => panic!("{path:?} was not refused: {other:?}"),
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{path:?}: nothing written"
        );
    }
    for path in [
        "index.html",
        ".well-known/security.txt",
        "a/b..c/d.html",
        "notes 2026.txt",
    ] {
        assert!(check_relative(path).is_ok(), "{path:?}");
    }
}

#[test]
fn dangerous_outputs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("hb");
    std::fs::create_dir_all(root.join("content")).unwrap();
    assert!(check_output(&root, &root, &[]).is_err());
    assert!(check_output(&root, dir.path(), &[]).is_err());
    assert!(check_output(&root, &root.join("content"), &[]).is_err());
    assert!(check_output(&root, &root.join("content/site"), &[]).is_err());
    assert!(check_output(&root, &root.join("content/../content"), &[]).is_err());
    assert!(check_output(&root, &root.join("public"), &[]).is_ok());
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::write(root.join("docs/notes.txt"), "mine").unwrap();
    assert!(check_output(&root, &root.join("docs"), &[]).is_err());
    // A mounted folder, or one holding it, would be deleted by the swap.
    let mounted = [PathBuf::from("doc/adr")];
    assert!(check_output(&root, &root.join("doc"), &mounted).is_err());
    assert!(check_output(&root, &root.join("doc/adr"), &mounted).is_err());
    assert!(check_output(&root, &root.join("doc/adr/site"), &mounted).is_ok());
}
