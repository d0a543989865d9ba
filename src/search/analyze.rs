//! The analyzer: how text becomes index terms. The browser's query engine
//! (`analyze` in `themes/default/scripts/search.js`) does exactly the same to a query, so
//! what the index stores is what a query looks up; `tests/search/analysis.json` holds cases
//! both test suites check.
//!
//! A word is a run of letters, digits and combining marks. Each word is [folded](super::fold),
//! then:
//! - **Chinese, Japanese and Korean** runs become overlapping character bigrams (`会議では` →
//!   `会議`, `議で`, `では`), and a lone character itself, as Lucene's CJK analyzer does: every
//!   word of two or more characters is then found, however long the run it sits in.
//! - **Other words** split where an identifier joins its parts, at camelCase and at letters
//!   meeting digits (`RawTransaction` → `raw`, `transaction`; `utf8` → `utf`, `8`), and each
//!   part is lowercased, stemmed with the handbook's language's Snowball stemmer, and has its
//!   leading zeros dropped when it is a number (`0007` → `7`). A split word is also indexed
//!   joined (`rawtransaction`), so typing it as one word finds it too.
//! - **Adjacent words** (neither a stop word) also make a pair term, `raw transaction`, so that
//!   words a query puts side by side rank the texts that do the same first.
//!
//! Stop words are indexed like any word, and only flagged: a query drops them unless it is
//! made of nothing else (`IT`, `the who`) or quotes them.

use foldhash::HashSet;

use unicode_normalization::UnicodeNormalization;

use super::fold::{fold, lower, lower_in};
use super::language::Language;

/// Longer parts are not words (encoded data) and are not indexed; German compounds and commit
/// hashes are shorter.
pub const MAX_TERM: usize = 64;

/// What a term stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A word, or one part of an identifier.
    Word,
    /// The parts of a split word, joined (`rawtransaction`).
    Joined,
    /// Two characters of Chinese, Japanese or Korean text, or a lone one.
    Bigram,
    /// A word with diacritics stemmed as written, then folded, where that differs from its
    /// term, which is stemmed after folding: stemmers read the accents of their language
    /// (Portuguese `mães` → `mãe`, while `maes` → `maes`), and a query may be typed with them or
    /// without. The browser looks a query word up by both.
    Variant,
    /// Two adjacent words, separated by a space (`raw transaction`). It comes just before the
    /// [`Kind::Word`] of its second word, and its first word is the last word emitted that was
    /// not a stop word.
    Pair,
}

impl Kind {
    /// Its name in `tests/search/analysis.json` and in the browser's analyzer: `word`,
    /// `joined`, `bigram` or `pair`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Word => "word",
            Kind::Joined => "joined",
            Kind::Bigram => "bigram",
            Kind::Variant => "variant",
            Kind::Pair => "pair",
        }
    }
}

/// One index term of a text, borrowed from the analyzer's buffers for the length of a call to
/// `emit`: most terms repeat, so a caller that keeps one copies it only when it is new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'t> {
    /// The term: folded, lowercase and stemmed.
    pub term: &'t str,
    /// What the term stands for.
    pub kind: Kind,
    /// Whether it is one of the language's stop words.
    pub stop: bool,
}

/// Turns text into index terms for one language.
pub struct Analyzer {
    language: Language,
    /// The language's stop words, folded.
    stop: HashSet<String>,
}

/// The buffers one call of [`Analyzer::tokens`] builds its terms in, so that a token costs no
/// allocation of its own.
struct Scratch {
    /// The term being emitted.
    term: String,
    /// A pair term: the word before, a space, and the term.
    pair: String,
    /// An ASCII part lowercased.
    lower: String,
}

impl Scratch {
    /// Buffers with room for the terms of most words, so that they do not grow word by word:
    /// [`Analyzer::tokens`] is called for each run of text a page's Markdown has.
    fn new() -> Scratch {
        Scratch {
            term: String::with_capacity(MAX_TERM),
            pair: String::with_capacity(2 * MAX_TERM + 1),
            lower: String::with_capacity(MAX_TERM),
        }
    }
}

impl Analyzer {
    /// An analyzer for `language`.
    pub fn new(language: Language) -> Analyzer {
        let stop = language
            .stop_words()
            .iter()
            .map(|w| lower(&fold(w)).into_owned())
            .collect();
        Analyzer { language, stop }
    }

    /// The language it stems and knows the stop words of.
    pub fn language(&self) -> &Language {
        &self.language
    }

    /// The stop words, folded, sorted: what the browser's query engine drops.
    pub fn stop_words(&self) -> Vec<&str> {
        let mut words: Vec<&str> = self.stop.iter().map(String::as_str).collect();
        words.sort_unstable();
        words
    }

    /// Calls `emit` with each term of `text`, in order. `previous` is the last word of the text
    /// before, if it is adjacent (the same paragraph), for pair terms; it is left holding this
    /// text's last word. Set it to `None` where adjacency ends.
    pub fn tokens(&self, text: &str, previous: &mut Option<String>, emit: &mut impl FnMut(Token<'_>)) {
        let scratch = &mut Scratch::new();
        // Most texts are ASCII: no character of theirs is ignorable, and they are cut byte by byte.
        if text.is_ascii() {
            for chunk in ascii_chunks(text) {
                self.chunk(chunk, previous, scratch, emit);
            }
            return;
        }
        let text = without_ignorables(text);
        for chunk in text.split(|c: char| !is_word_char(c) && !is_connector(c)) {
            self.chunk(chunk, previous, scratch, emit);
        }
    }

    /// The terms of a run of words and connectors: each word's, then the chain's joined forms
    /// when it chains several.
    fn chunk(
        &self,
        chunk: &str,
        previous: &mut Option<String>,
        scratch: &mut Scratch,
        emit: &mut impl FnMut(Token<'_>),
    ) {
        let mut words = 0;
        for word in chunk.split(is_connector).filter(|w| !w.is_empty()) {
            self.raw_word(word, previous, scratch, emit);
            words += 1;
        }
        if words > 1 {
            self.chain(chunk, scratch, emit);
        }
    }

    /// A run of letters, digits and marks as written.
    fn raw_word(
        &self,
        word: &str,
        previous: &mut Option<String>,
        scratch: &mut Scratch,
        emit: &mut impl FnMut(Token<'_>),
    ) {
        // An ASCII word folds to itself, and is one run of one script.
        if word.is_ascii() {
            return self.word(word, previous, scratch, emit);
        }
        let folded = fold(word);
        // Folding may make punctuation (`½` → `1⁄2`).
        for run in folded.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()) {
            if run.is_ascii() {
                self.word(run, previous, scratch, emit);
                continue;
            }
            for (cjk, segment) in script_runs(run) {
                if cjk {
                    *previous = None;
                    bigrams(segment, emit);
                } else {
                    self.word(segment, previous, scratch, emit);
                }
            }
        }
        self.variant(word, &folded, scratch, emit);
    }

    /// The [`Kind::Variant`] of a word with diacritics that is one part of one script.
    fn variant(&self, word: &str, folded: &str, scratch: &mut Scratch, emit: &mut impl FnMut(Token<'_>)) {
        let simple = folded.chars().all(|c| is_word_char(c) && !is_cjk(c)) && parts(folded).len() == 1;
        if !simple || folded == word {
            return;
        }
        let folded_lower = lower(folded);
        if self.stop.contains(folded_lower.as_ref()) || folded_lower.chars().count() > MAX_TERM {
            return;
        }
        let written: String = word.nfc().collect();
        self.term(&lower(&written), &mut scratch.term);
        let variant = lower(&fold(&scratch.term)).into_owned();
        self.term(&folded_lower, &mut scratch.term);
        if variant != scratch.term {
            emit(Token {
                term: &variant,
                kind: Kind::Variant,
                stop: false,
            });
        }
    }

    /// The joined forms of words chained by `_`, `.` or `-` (`raw_transaction`, `max_attempts` in
    /// `retry.max_attempts`, `stand-up`): the whole chain, and each `.`-separated link of it that
    /// chains words itself.
    fn chain(&self, chunk: &str, scratch: &mut Scratch, emit: &mut impl FnMut(Token<'_>)) {
        let join = |text: &str| -> String { text.split(is_connector).collect() };
        let mut joins = vec![join(chunk)];
        if chunk.contains('.') {
            let links = chunk
                .split('.')
                .filter(|l| l.split(is_connector).filter(|w| !w.is_empty()).count() > 1);
            joins.extend(links.map(join));
        }
        for joined in joins {
            let lowered = lower(&fold(&joined)).into_owned();
            if !lowered.is_empty() && lowered.chars().all(|c| is_word_char(c) && !is_cjk(c)) {
                self.joined(&lowered, scratch, emit);
            }
        }
    }

    /// Emits the [`Kind::Joined`] term of a lowercase joined word, unless it is too long.
    fn joined(&self, lowered: &str, scratch: &mut Scratch, emit: &mut impl FnMut(Token<'_>)) {
        if lowered.chars().count() <= MAX_TERM {
            self.term(lowered, &mut scratch.term);
            emit(Token {
                term: &scratch.term,
                kind: Kind::Joined,
                stop: false,
            });
        }
    }

    /// One word outside Chinese, Japanese and Korean text.
    fn word(&self, word: &str, previous: &mut Option<String>, scratch: &mut Scratch, emit: &mut impl FnMut(Token<'_>)) {
        // Most words are one part, with nothing to split or join: lowercase, capitalized or a
        // number.
        if is_one_part(word) {
            return self.part(word, previous, scratch, emit);
        }
        let parts = parts(word);
        for part in &parts {
            self.part(part, previous, scratch, emit);
        }
        if parts.len() > 1 {
            for whole in joined(word, &parts) {
                self.joined(&lower(whole), scratch, emit);
            }
        }
    }

    /// One part of a word: its [`Kind::Word`] term, after the [`Kind::Pair`] it makes with the
    /// word before.
    fn part(&self, part: &str, previous: &mut Option<String>, scratch: &mut Scratch, emit: &mut impl FnMut(Token<'_>)) {
        let Scratch { term, pair, lower } = scratch;
        let lowered = lower_in(part, lower);
        // Counted only when it may be too long: a character takes at least one byte.
        if lowered.len() > MAX_TERM && lowered.chars().count() > MAX_TERM {
            *previous = None;
            return;
        }
        let stop = self.term(&lowered, term);
        let term = term.as_str();
        if stop {
            *previous = None;
        } else {
            match previous {
                Some(before) => {
                    pair.clear();
                    pair.push_str(before);
                    pair.push(' ');
                    pair.push_str(term);
                    emit(Token {
                        term: pair,
                        kind: Kind::Pair,
                        stop,
                    });
                    before.clear();
                    before.push_str(term);
                }
                None => *previous = Some(term.to_owned()),
            }
        }
        emit(Token {
            term,
            kind: Kind::Word,
            stop,
        });
    }

    /// Writes the index term of a lowercase part into `out`
    /// (see [`Analyzer::uncached_term`]), and returns whether the part is a stop word.
    fn term(&self, lowered: &str, out: &mut String) -> bool {
        out.clear();
        TERMS.with_borrow_mut(|(code, known)| {
            if code != self.language.code() || known.len() > MAX_CACHED_TERMS {
                *code = self.language.code().to_string();
                known.clear();
            }
            if let Some((stop, term)) = known.get(lowered) {
                out.push_str(term);
                return *stop;
            }
            self.uncached_term(lowered, out);
            let stop = self.stop.contains(lowered);
            known.insert(lowered.to_owned(), (stop, out.clone()));
            stop
        })
    }

    /// Writes the index term of a lowercase part into `out`: a number without leading zeros, or
    /// a stem. A part with a character outside the Basic Multilingual Plane is left as it is:
    /// JavaScript counts such a character as two, so the browser's stemmer could cut it elsewhere.
    fn uncached_term(&self, lowered: &str, out: &mut String) {
        if lowered.bytes().all(|b| b.is_ascii_digit()) {
            let digits = lowered.trim_start_matches('0');
            out.push_str(if digits.is_empty() { "0" } else { digits });
        } else if lowered.chars().any(|c| u32::from(c) > 0xffff) {
            out.push_str(lowered);
        } else {
            out.push_str(&self.language.stem(lowered));
        }
    }
}

/// What [`Analyzer::term`] made of each lowercase part, and whether it is a stop word, cached
/// per thread for one language at a time: the words of a handbook repeat, and a Snowball
/// stemmer, or even the checks that come before it, are slow next to one hash lookup.
const MAX_CACHED_TERMS: usize = 200_000;

/// Empties the cache of terms (see [`TERMS`]) on every thread of rayon's pool and on this one:
/// `build` does once its index is written, as nothing looks a term up again, so that the pages
/// are not rendered beside it (some 30 MB at 100,000 pages, when the build's memory peaks).
pub(super) fn forget_terms() {
    let forget = || TERMS.with_borrow_mut(|known| *known = KnownTerms::default());
    rayon::broadcast(|_| forget());
    forget();
}

/// A language's code, and by lowercase part whether it is a stop word and its term.
type KnownTerms = (String, foldhash::HashMap<String, (bool, String)>);

thread_local! {
    static TERMS: std::cell::RefCell<KnownTerms> = Default::default();
}

/// The runs of ASCII letters, digits and connectors of an ASCII `text`, as
/// [`Analyzer::tokens`] cuts any text into chunks, but byte by byte.
fn ascii_chunks(text: &str) -> impl Iterator<Item = &str> {
    let in_chunk = |b: &u8| b.is_ascii_alphanumeric() || is_connector(char::from(*b));
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + bytes[at..].iter().position(in_chunk)?;
        let end = (bytes[start..].iter().position(|b| !in_chunk(b))).map_or(bytes.len(), |p| start + p);
        at = end;
        text.get(start..end)
    })
}

/// Whether `word` is one part as [`parts`] cuts words: ASCII lowercase letters after any
/// letter (`queue`, `Queue`), or digits alone (`2024`).
fn is_one_part(word: &str) -> bool {
    match word.as_bytes() {
        [first, rest @ ..] if first.is_ascii_alphabetic() => rest.iter().all(u8::is_ascii_lowercase),
        bytes => bytes.iter().all(u8::is_ascii_digit),
    }
}

/// Characters that chain words into one identifier: `raw_transaction`, `std.io`, `stand-up`.
fn is_connector(c: char) -> bool {
    matches!(c, '_' | '.' | '-')
}

/// `text` without the characters that are invisible inside a word and should not split it:
/// soft hyphen, zero-width space and (non-)joiner, word joiner, byte order mark.
fn without_ignorables(text: &str) -> std::borrow::Cow<'_, str> {
    const IGNORABLE: [char; 6] = ['\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}'];
    if text.is_ascii() || !text.contains(IGNORABLE) {
        return text.into();
    }
    text.replace(IGNORABLE, "").into()
}

/// Letters, digits and combining marks make words.
pub fn is_word_char(c: char) -> bool {
    // Most characters of a text are ASCII, and no ASCII character is a combining mark.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// Chinese, Japanese and Korean: Han ideographs (with `々` and `〇`), kana and Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11ff}' | '\u{2e80}'..='\u{2fdf}' | '\u{3005}' | '\u{3007}' | '\u{3040}'..='\u{30ff}'
        | '\u{3130}'..='\u{318f}' | '\u{31f0}'..='\u{31ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{a960}'..='\u{a97f}' | '\u{ac00}'..='\u{d7ff}' | '\u{f900}'..='\u{faff}' | '\u{ff66}'..='\u{ff9f}'
        | '\u{20000}'..='\u{3ffff}')
}

/// `word` cut into runs that are all CJK (`true`) or all not.
fn script_runs(word: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = word;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let cjk = is_cjk(first);
        let end = rest.find(|c: char| is_cjk(c) != cjk).unwrap_or(rest.len());
        let (run, after) = rest.split_at(end);
        rest = after;
        Some((cjk, run))
    })
}

/// Overlapping bigrams of a CJK run; a run of one character is its own term.
fn bigrams(run: &str, emit: &mut impl FnMut(Token<'_>)) {
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    if chars.len() == 1 {
        emit(Token {
            term: run,
            kind: Kind::Bigram,
            stop: false,
        });
        return;
    }
    for pair in chars.windows(2) {
        let end = pair[1].0 + pair[1].1.len_utf8();
        emit(Token {
            term: &run[pair[0].0..end],
            kind: Kind::Bigram,
            stop: false,
        });
    }
}

/// The parts of an identifier-like word: split at camelCase (`rawTransaction`, and before the
/// last capital of an acronym: `HTTPServer` → `HTTP`, `Server`, but not in `URLs`) and where
/// letters meet digits.
fn parts(word: &str) -> Vec<&str> {
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        return vec![word];
    }
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..chars.len() {
        let (p, c) = (chars[i - 1].1, chars[i].1);
        // A plural acronym (`URLs`, `GATs`) stays one word.
        let plural = i + 2 == chars.len() && chars[i + 1].1 == 's';
        let next_lower = chars.get(i + 1).is_some_and(|n| n.1.is_lowercase()) && !plural;
        let boundary = p.is_numeric() != c.is_numeric()
            || (p.is_lowercase() && c.is_uppercase())
            || (p.is_uppercase() && c.is_uppercase() && next_lower);
        if boundary {
            parts.push(&word[start..chars[i].0]);
            start = chars[i].0;
        }
    }
    parts.push(&word[start..]);
    parts
}

/// The joined forms of a word split into `parts`: the whole word, and each run of two or more
/// parts without digits (`OAuth2` → `OAuth2`, `OAuth`), as Lucene's word-delimiter filter
/// catenates them.
fn joined<'a>(word: &'a str, parts: &[&'a str]) -> Vec<&'a str> {
    let mut out = vec![word];
    let offset = |part: &str| part.as_ptr() as usize - word.as_ptr() as usize;
    let mut i = 0;
    while i < parts.len() {
        let letters = |p: &&&str| !p.chars().any(char::is_numeric);
        let run = parts[i..].iter().take_while(letters).count();
        if run >= 2 && run < parts.len() {
            let (start, last) = (offset(parts[i]), parts[i + run - 1]);
            out.push(&word[start..offset(last) + last.len()]);
        }
        i += run.max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Analyzer {
        Analyzer::new(Language::from_tag("en"))
    }

    fn all(analyzer: &Analyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        analyzer.tokens(text, &mut None, &mut |t| out.push(t.term.to_owned()));
        out
    }

    #[test]
    fn identifiers_split_and_join() {
        let en = english();
        assert_eq!(
            all(&en, "RawTransaction"),
            ["raw", "raw transact", "transact", "rawtransact"]
        );
        assert_eq!(all(&en, "HTTPServer"), ["http", "http server", "server", "httpserver"]);
        assert_eq!(all(&en, "OAuth2"), ["o", "auth", "auth 2", "2", "oauth2", "oauth"]);
        assert_eq!(all(&en, "never_type"), ["never", "never type", "type", "nevertyp"]);
        assert_eq!(all(&en, "stand-up"), ["stand", "up", "standup"]);
        let chained = all(&en, "retry.max_attempts");
        assert_eq!(chained[chained.len() - 2..], ["retrymaxattempt", "maxattempt"]);
        assert_eq!(all(&en, "GATs URLs"), ["gat", "gat url", "url"]);
    }

    #[test]
    fn numbers_lose_leading_zeros() {
        let en = english();
        assert_eq!(
            all(&en, "ADR-0007 0 000"),
            ["adr", "adr 7", "7", "adr0007", "7 0", "0", "0 0", "0"]
        );
    }

    #[test]
    fn cjk_runs_become_bigrams_of_any_length() {
        let en = english();
        assert_eq!(all(&en, "会議では"), ["会議", "議で", "では"]);
        assert_eq!(all(&en, "我"), ["我"]);
        let long = "我们的产品发布之前需要完整的测试".repeat(5);
        assert_eq!(all(&en, &long).len(), long.chars().count() - 1);
        assert_eq!(all(&en, "Rust製のツール"), ["rust", "製の", "のツ", "ツー", "ール"]);
    }

    #[test]
    fn stop_words_are_flagged_and_break_pairs() {
        let en = english();
        let mut out = Vec::new();
        en.tokens("The Who will play", &mut None, &mut |t| {
            out.push((t.term.to_owned(), t.stop))
        });
        let terms: Vec<(&str, bool)> = out.iter().map(|(t, s)| (t.as_str(), *s)).collect();
        assert_eq!(terms, [("the", true), ("who", true), ("will", true), ("play", false)]);
    }

    #[test]
    fn invisible_characters_do_not_split_words() {
        assert_eq!(
            all(&english(), "pay\u{200d}ment co\u{ad}operate"),
            ["payment", "payment cooper", "cooper"]
        );
    }

    #[test]
    fn long_parts_are_left_out() {
        let en = english();
        let hash = "a".repeat(MAX_TERM + 1);
        assert_eq!(all(&en, &format!("x {hash} y")), ["x", "y"]);
    }
}
