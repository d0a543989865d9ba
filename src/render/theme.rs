//! The theme: Tera templates and static assets.
//!
//! The default theme is embedded in the binary, so a handbook without a `themes/` folder builds.
//! A handbook's `themes/<name>/templates/X.html` replaces template X alone, and its `static/`
//! files are copied over the default ones.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rust_embed::Embed;
use tera::Tera;

use crate::config::Config;
use crate::content::boundary::Boundary;
use crate::content::walk::walk_static;
use crate::diagnostics::Diagnostic;

#[derive(Embed)]
#[folder = "themes/default/"]
struct DefaultTheme;

/// A file of the default theme by its path in `themes/default/` (`stemmers/base-stemmer.js`),
/// for files the build writes only when a site needs them.
pub fn default_file(path: &str) -> Option<Cow<'static, [u8]>> {
    DefaultTheme::get(path).map(|file| file.data)
}

/// A static file of the theme to copy into the site.
#[derive(Debug, Clone)]
pub enum ThemeFile {
    /// Embedded in the binary.
    Embedded(Cow<'static, [u8]>),
    /// From the handbook's theme folder.
    File(PathBuf),
}

/// Templates ready to render, and the static files that go with them.
pub struct Theme {
    /// The templates.
    pub tera: Tera,
    /// Static files, by their path in the site.
    pub static_files: Vec<(String, ThemeFile)>,
    /// Files of the theme's folder that were skipped (see [`Boundary`]).
    pub warnings: Vec<Diagnostic>,
}

impl Theme {
    /// The paths in the site of the theme's static files.
    pub fn site_paths(&self) -> Vec<String> {
        self.static_files.iter().map(|(path, _)| path.clone()).collect()
    }

    /// The text of the static file at site path `path` (`assets/style.css`), the handbook's
    /// own when its theme replaces it; `None` when there is no such file or it cannot be read
    /// as UTF-8. For pages that must carry an asset inline (see `404.html`).
    pub fn static_text(&self, path: &str) -> Option<String> {
        let (_, file) = self.static_files.iter().rev().find(|(p, _)| p == path)?;
        let bytes = match file {
            ThemeFile::Embedded(data) => data.to_vec(),
            ThemeFile::File(path) => std::fs::read(path).ok()?,
        };
        String::from_utf8(bytes).ok()
    }

    /// Loads the default theme with the handbook's overrides.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let dir = config.theme_dir(root);
        if config.theme != "default" && !dir.is_dir() {
            return Err(vec![
                Diagnostic::error(
                    "unknown-theme",
                    format!("the theme `{}` has no folder at {}", config.theme, dir.display()),
                )
                .help("create the folder (with templates/ and static/), or set `theme = \"default\"`"),
            ]);
        }
        let mut templates: Vec<(String, String, PathBuf)> = Vec::new();
        for name in DefaultTheme::iter().filter(|n| n.starts_with("templates/")) {
            let Some(file) = DefaultTheme::get(&name) else { continue };
            let text = String::from_utf8_lossy(&file.data).into_owned();
            let short = name.trim_start_matches("templates/").to_string();
            templates.push((short, text, PathBuf::from("themes/default").join(name.as_ref())));
        }
        let built_in: Vec<String> = templates.iter().map(|(name, _, _)| name.clone()).collect();
        let boundary = Boundary::new(root);
        let folder = dir.strip_prefix(root).unwrap_or(&dir).to_path_buf();
        let mut problems = Vec::new();
        for rel in walk_static(root, &folder.join("templates"), &boundary, &mut problems) {
            let path = dir.join("templates").join(&rel);
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                    templates.retain(|(name, _, _)| *name != rel);
                    templates.push((rel, text, shown));
                }
                Err(err) => problems
                    .push(Diagnostic::error("unreadable", format!("cannot read template: {err}")).in_file(&path)),
            }
        }
        problems.extend(unused_templates(&templates, &built_in));
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(super::escape::escape_markup);
        if let Err(err) = tera.add_raw_templates(templates.iter().map(|(name, text, _)| (name.as_str(), text.as_str())))
        {
            problems.push(template_error(&err, &templates));
        }
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems);
        }

        let mut static_files: Vec<(String, ThemeFile)> = DefaultTheme::iter()
            .filter_map(|name| {
                let site_path = name.strip_prefix("static/")?.to_string();
                let file = DefaultTheme::get(&name)?;
                Some((site_path, ThemeFile::Embedded(file.data)))
            })
            .collect();
        for rel in walk_static(root, &folder.join("static"), &boundary, &mut problems) {
            static_files.retain(|(path, _)| *path != rel);
            static_files.push((rel.clone(), ThemeFile::File(dir.join("static").join(&rel))));
        }
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems);
        }
        Ok(Theme {
            tera,
            static_files,
            warnings: problems,
        })
    }
}

/// A theme's template that replaces no built-in one and that no template includes, extends or
/// imports is never rendered: most often a misspelt name (`pgae.html`), which would otherwise be
/// ignored without a word. Each is a warning naming the nearest built-in template.
fn unused_templates(templates: &[(String, String, PathBuf)], built_in: &[String]) -> Vec<Diagnostic> {
    let names: Vec<&str> = built_in.iter().map(String::as_str).collect();
    templates
        .iter()
        .filter(|(name, _, _)| !built_in.contains(name))
        .filter(|(name, _, _)| {
            let quoted = [format!("\"{name}\""), format!("'{name}'")];
            !templates
                .iter()
                .any(|(_, text, _)| quoted.iter().any(|q| text.contains(q.as_str())))
        })
        .map(|(name, _, shown)| {
            let help = match crate::config::nearest(name, &names) {
                Some(near) => {
                    format!("did you mean `{near}`? A theme's template replaces the built-in one of the same name")
                }
                None => {
                    "a theme's template replaces the built-in one of the same name; see the list in README.md".into()
                }
            };
            Diagnostic::warning(
                "unused-template",
                format!("the template `{name}` replaces no built-in template and nothing uses it"),
            )
            .in_file(shown)
            .help(help)
        })
        .collect()
}

/// Points a template error at the template file it came from.
fn template_error(err: &tera::Error, templates: &[(String, String, PathBuf)]) -> Diagnostic {
    let message = err.to_string();
    let file = templates
        .iter()
        .find(|(name, _, _)| message.contains(&format!("{name}:")) || message.contains(&format!("'{name}'")))
        .map(|(_, _, path)| path.clone());
    let mut diagnostic = Diagnostic::error("template", format!("a template is invalid: {}", message.trim()))
        .help("see Tera 2's documentation for the template syntax");
    if let Some(file) = file {
        diagnostic = diagnostic.in_file(&file);
    }
    diagnostic
}
