//! The handbook's language as search sees it: which Snowball stemmer reduces its words to their
//! stems, and which of its words are too common to search for on their own.
//!
//! The stemmers are the Snowball algorithms (<https://snowballstem.org/algorithms/>): in the
//! build, `rust-stemmers`; in the browser, the Snowball compiler's JavaScript output of the same
//! `.sbl` sources, vendored in `themes/default/stemmers/`, so both stem every word alike
//! (`tests/search/stems.tsv` is the table both test suites read to prove it). The stop words are
//! NLTK's lists, which grew out of Snowball's.

use rust_stemmers::{Algorithm, Stemmer};

/// The languages with a stemmer: ISO 639-1 code, Snowball algorithm, and the name of its
/// vendored JavaScript (`themes/default/stemmers/<name>-stemmer.js`).
const STEMMERS: [(&str, Algorithm, &str); 18] = [
    ("ar", Algorithm::Arabic, "arabic"),
    ("da", Algorithm::Danish, "danish"),
    ("de", Algorithm::German, "german"),
    ("el", Algorithm::Greek, "greek"),
    ("en", Algorithm::English, "english"),
    ("es", Algorithm::Spanish, "spanish"),
    ("fi", Algorithm::Finnish, "finnish"),
    ("fr", Algorithm::French, "french"),
    ("hu", Algorithm::Hungarian, "hungarian"),
    ("it", Algorithm::Italian, "italian"),
    ("nl", Algorithm::Dutch, "dutch"),
    ("no", Algorithm::Norwegian, "norwegian"),
    ("pt", Algorithm::Portuguese, "portuguese"),
    ("ro", Algorithm::Romanian, "romanian"),
    ("ru", Algorithm::Russian, "russian"),
    ("sv", Algorithm::Swedish, "swedish"),
    ("ta", Algorithm::Tamil, "tamil"),
    ("tr", Algorithm::Turkish, "turkish"),
];

/// Which languages search stems, for diagnostics.
pub const SUPPORTED_HELP: &str = "search stems ar, da, de, el, en, es, fi, fr, hu, it, nl, no (nb, nn), pt, ro, ru, sv, ta \
     and tr, and needs no stemmer for zh, ja and ko";

/// Languages whose words need no stemmer: Chinese, Japanese and Korean text is indexed as
/// character bigrams whatever the language (see [`super::analyze`]).
const UNINFLECTED: [&str; 3] = ["zh", "ja", "ko"];

/// How search treats the words of one language.
pub struct Language {
    /// The ISO 639-1 code, lowercase (`de` for `de-CH`).
    code: String,
    stemmer: Option<(Stemmer, &'static str)>,
    stop_words: Vec<&'static str>,
}

impl Language {
    /// The language of a BCP 47 tag such as `en`, `de-CH` or `pt-BR` (`language` in
    /// `handbook.toml`), by its primary subtag. A language without a Snowball stemmer gets
    /// none: its words are matched as written, after folding.
    pub fn from_tag(tag: &str) -> Language {
        let code = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        let code = if code == "nb" || code == "nn" {
            "no".to_string()
        } else {
            code
        };
        let stemmer = STEMMERS
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|&(_, algorithm, name)| (Stemmer::create(algorithm), name));
        let stop_words = if stemmer.is_some() && code != "ta" {
            stop_words::get(&code)
                .iter()
                .copied()
                // NLTK lists contractions (`don't`, `should've`), which are not one word here.
                .filter(|w| w.chars().all(char::is_alphanumeric))
                .collect()
        } else {
            Vec::new()
        };
        Language {
            code,
            stemmer,
            stop_words,
        }
    }

    /// The ISO 639-1 code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Whether search has a stemmer for this language, or needs none (Chinese, Japanese,
    /// Korean); `false` means words in other forms will not find each other.
    pub fn is_supported(&self) -> bool {
        self.stemmer.is_some() || UNINFLECTED.contains(&self.code.as_str())
    }

    /// The stem of `word`, which must already be folded (lowercase, see [`super::fold`]).
    pub fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        match &self.stemmer {
            Some((stemmer, _)) => stemmer.stem(word),
            None => word.into(),
        }
    }

    /// The name of the Snowball algorithm, which is also the name of its JavaScript file.
    pub fn stemmer_name(&self) -> Option<&'static str> {
        self.stemmer.as_ref().map(|(_, name)| *name)
    }

    /// The language's stop words, lowercase and unfolded, as NLTK lists them.
    pub fn stop_words(&self) -> &[&'static str] {
        &self.stop_words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_pick_their_primary_language() {
        assert_eq!(Language::from_tag("de-CH").stemmer_name(), Some("german"));
        assert_eq!(Language::from_tag("pt_BR").stemmer_name(), Some("portuguese"));
        assert_eq!(Language::from_tag("nb").stemmer_name(), Some("norwegian"));
        assert_eq!(Language::from_tag("EN").code(), "en");
        assert!(Language::from_tag("ja").is_supported());
        assert!(!Language::from_tag("pl").is_supported());
        assert_eq!(Language::from_tag("pl").stem("książki"), "książki");
    }

    #[test]
    fn every_stemmed_language_has_stop_words_but_tamil() {
        for (code, _, _) in STEMMERS {
            assert_eq!(Language::from_tag(code).stop_words().is_empty(), code == "ta", "{code}");
        }
        assert!(Language::from_tag("en").stop_words().contains(&"who"));
        assert!(Language::from_tag("de").stop_words().contains(&"und"));
    }
}
