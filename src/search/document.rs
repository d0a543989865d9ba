//! What one page contributes to the index: its weighted terms, and how the results list
//! shows it.

use foldhash::{HashMap, HashMapExt};

use pulldown_cmark::{Event, Tag, TagEnd};
use serde_json::{Value, json};

use super::analyze::{Analyzer, Kind, Token, is_word_char};
use super::fold::{fold, lower};
use crate::content::{Page, Role};
use crate::render::views::{Views, display_title};
use crate::resolve::Site;

/// Characters of each document's text kept for excerpts and phrase checks.
const TEXT_CHARS: usize = 600;
/// Field weights: a word in the title counts six times, in a heading, tag or record field
/// (`Feature Name: never_type`) twice.
const TITLE_WEIGHT: f64 = 6.0;
const HEADING_WEIGHT: f64 = 2.0;

/// The section code of a term that occurs before any heading; headings count from 0.
pub(super) const NO_SECTION: i64 = -1;

/// What one document contributes to the index.
pub(super) struct Analyzed {
    /// Each term, in no order, with its weighted frequency and its code: the section it occurs
    /// in most (see [`NO_SECTION`]), or, for a term of the title, `-1 - n` where `n` is how many
    /// words the title has (its words that are not stop words, or all of them when it has no
    /// other), so that the browser can tell a title that equals the query from one that
    /// contains it.
    pub terms: Vec<(String, (f64, i64))>,
    /// Weighted length, in words.
    pub length: f64,
    /// The start of the text, for excerpts.
    pub text: String,
}

/// The leaf pages of `site` as numbered documents: newest first, then by title.
pub(super) fn document_order(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].role == Role::Leaf)
        .collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&site.pages[a], &site.pages[b]);
        b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title))
    });
    order
}

/// Counts the weighted terms of a page as `analyzer` reads them: title, the record's ids,
/// tags and fields, headings (remembering the section each body word is in, so that results
/// can link to the best heading) and body.
pub(super) fn analyze(page: &Page, analyzer: &Analyzer) -> Analyzed {
    let mut counter = Counter::for_text(page.body().len());
    // Title term → whether it is a stop word, or `None` for a pair or joined word.
    let mut title: HashMap<String, Option<bool>> = HashMap::new();
    analyzer.tokens(display_title(page), &mut None, &mut |t| {
        let word = matches!(t.kind, Kind::Word | Kind::Bigram).then_some(t.stop);
        match title.get_mut(t.term) {
            Some(old) => *old = old.or(word),
            None => {
                title.insert(t.term.to_owned(), word);
            }
        }
        counter.add(t, TITLE_WEIGHT, NO_SECTION);
    });
    for id in ids(page) {
        counter.count_once(&id, TITLE_WEIGHT);
    }
    let fields = page
        .decision()
        .map(|d| d.fields.iter().map(|(_, v)| v.as_str()))
        .into_iter()
        .flatten();
    // What a person page says of them in its header: role and handle.
    let person = match &page.meta {
        crate::content::KindMeta::Person(p) => [p.role.as_deref(), p.handle.as_deref()],
        _ => [None, None],
    };
    for text in page
        .tags
        .iter()
        .map(String::as_str)
        .chain(fields)
        .chain(person.into_iter().flatten())
    {
        analyzer.tokens(text, &mut None, &mut |t| {
            counter.add(t, HEADING_WEIGHT, NO_SECTION);
        });
    }
    // A meeting's action items are shown above its text rather than in it.
    let items = page.meeting().map(|m| m.action_items.as_slice()).unwrap_or_default();
    for item in items {
        for text in item.owner.iter().chain([&item.text]) {
            analyzer.tokens(text, &mut None, &mut |t| {
                counter.add(t, 1.0, NO_SECTION);
            });
        }
    }
    let mut text = String::new();
    let mut section = NO_SECTION;
    let mut in_heading = false;
    let mut previous = None;
    // A body pair is counted by the numbers of its words, once its second word is counted: the
    // number of the last word that was not a stop word, and whether a pair waits for the next.
    let mut last_word = 0;
    let mut pair_waits = false;
    for (event, _) in page.markdown().events(crate::markdown::options(false)) {
        match &event {
            Event::Start(Tag::Heading { .. }) => {
                section += 1;
                in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) => {
                let weight = if in_heading { HEADING_WEIGHT } else { 1.0 };
                analyzer.tokens(t, &mut previous, &mut |t| {
                    if t.kind == Kind::Pair && !in_heading {
                        pair_waits = true;
                        return;
                    }
                    let number = counter.add(t, weight, section);
                    if t.kind == Kind::Word && !t.stop {
                        if std::mem::take(&mut pair_waits) {
                            counter.add_body_pair(last_word, number, section);
                        }
                        last_word = number;
                    }
                });
                if text.len() < TEXT_CHARS * 4 {
                    text.push_str(t);
                }
            }
            _ => {}
        }
        if ends_block(&event) {
            previous = None;
            if !text.ends_with(' ') {
                text.push(' ');
            }
        } else if matches!(event, Event::SoftBreak | Event::HardBreak) && !text.ends_with(' ') {
            text.push(' ');
        }
    }
    let mut terms = counter.finish();
    // A title term carries the title's length instead of a section.
    let (words, stops) = title
        .values()
        .flatten()
        .fold((0, 0), |(w, s), &stop| if stop { (w, s + 1) } else { (w + 1, s) });
    let title_code = -1 - if words > 0 { words } else { stops };
    for (term, (_, code)) in terms.iter_mut() {
        if title.contains_key(term) {
            *code = title_code;
        }
    }
    Analyzed {
        terms,
        length: counter.length,
        text: collapsed(&text, TEXT_CHARS),
    }
}

/// The first `max` characters of `text` with its whitespace trimmed and each run of it made one
/// space.
fn collapsed(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 4));
    let mut chars = 0;
    for word in text.split_whitespace() {
        for c in (chars > 0).then_some(' ').into_iter().chain(word.chars()) {
            if chars == max {
                return out;
            }
            out.push(c);
            chars += 1;
        }
    }
    out
}

/// The ids a reader may search a page by: `#` and its number in its decision log (`#7`), and
/// `#` and the name of its file and of its address (`#20200925-use-prettier`: a Log4brains id;
/// the address may be shortened), written as the browser writes a query that looks like an id
/// (`idSlug` in `search.js`).
fn ids(page: &Page) -> Vec<String> {
    let mut ids = Vec::new();
    if let Some(number) = page.decision().and_then(|d| d.number) {
        ids.push(format!("#{number}"));
    }
    let stem = page.file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let folder_page = ["index", "_index", "readme"]
        .iter()
        .any(|n| stem.eq_ignore_ascii_case(n));
    let slug = page.path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    for name in [(!folder_page).then_some(stem), Some(slug)].into_iter().flatten() {
        let id = id_slug(name);
        if !id.is_empty() && !ids.iter().any(|known| known[1..] == id) {
            ids.push(format!("#{id}"));
        }
    }
    ids
}

/// `text` folded, lowercase, its words joined by `-`.
fn id_slug(text: &str) -> String {
    let folded = fold(text);
    let folded = lower(&folded);
    folded
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Whether `event` starts or ends a block, where adjacent words stop being adjacent.
fn ends_block(event: &Event<'_>) -> bool {
    let inline = |end: &TagEnd| {
        matches!(
            end,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript
        )
    };
    match event {
        Event::Start(tag) => !inline(&tag.to_end()),
        Event::End(end) => !inline(end),
        Event::Rule | Event::HardBreak => true,
        _ => false,
    }
}

/// Weighted term frequencies, with the section each term occurs in most.
///
/// Terms are numbered as they first come, so that their counts are kept by number rather than
/// by a copy of the term.
#[derive(Default)]
struct Counter {
    /// Term → its number.
    numbers: HashMap<String, u32>,
    /// By term number.
    counts: Vec<Count>,
    /// (term number, section) → weighted frequency there, for pair terms, which do not come in
    /// the order of the text (see [`Count`]).
    per_section: HashMap<(u32, i64), f64>,
    /// Pairs of adjacent words in the body, by their words' numbers: how often, and in which
    /// section first.
    body_pairs: HashMap<(u32, u32), (f64, i64)>,
    length: f64,
}

impl Counter {
    /// A counter for a text of `bytes` bytes, with room for the terms such a text has: a few
    /// hundred, which maps that grow as they come would rehash several times.
    fn for_text(bytes: usize) -> Counter {
        Counter {
            numbers: HashMap::with_capacity(bytes / 8 + 32),
            counts: Vec::with_capacity(bytes / 8 + 32),
            ..Counter::default()
        }
    }

    /// Counts `token`, and returns its term's number.
    fn add(&mut self, token: Token<'_>, weight: f64, section: i64) -> u32 {
        // Pairs and joined words restate words already counted: they do not lengthen the text.
        if matches!(token.kind, Kind::Word | Kind::Bigram) {
            self.length += weight;
        }
        if token.kind == Kind::Pair {
            return self.count_pair(token.term, weight, section);
        }
        let number = self.number(token.term);
        self.counts[number as usize].add(weight, section);
        number
    }

    /// Counts `weight` more of pair term `pair` in `section`, and returns its number.
    fn count_pair(&mut self, pair: &str, weight: f64, section: i64) -> u32 {
        let number = self.number(pair);
        self.counts[number as usize].weight += weight;
        *self.per_section.entry((number, section)).or_insert(0.0) += weight;
        number
    }

    /// The number of `term`, given it when it is new.
    fn number(&mut self, term: &str) -> u32 {
        match self.numbers.get(term) {
            Some(&number) => number,
            None => {
                let number = self.counts.len() as u32;
                self.numbers.insert(term.to_owned(), number);
                self.counts.push(Count::default());
                number
            }
        }
    }

    /// Counts a term that is there once whatever the text says (a record's id), unless it is
    /// there already.
    fn count_once(&mut self, term: &str, weight: f64) {
        if !self.numbers.contains_key(term) {
            let number = self.number(term);
            self.counts[number as usize].weight = weight;
        }
    }

    /// Counts a pair of adjacent words of the body. Only pairs a text uses more than once are
    /// indexed: a phrase a text repeats is what it is about (`impl trait`, `never type`), and
    /// indexing every pair of every text would double the index and the time it takes.
    ///
    /// The pair is `first` and `second`, by their numbers: a pair's term is spelt out only if it
    /// is indexed.
    fn add_body_pair(&mut self, first: u32, second: u32, section: i64) {
        self.body_pairs.entry((first, second)).or_insert((0.0, section)).0 += 1.0;
    }

    /// Each term, with its weighted frequency and the section where it occurs most (the first of equals).
    fn finish(&mut self) -> Vec<(String, (f64, i64))> {
        let mut terms = vec![""; self.counts.len()];
        for (term, &number) in &self.numbers {
            terms[number as usize] = term;
        }
        let pairs: Vec<(String, f64, i64)> = (self.body_pairs.iter())
            .filter(|(_, (count, _))| *count >= 2.0)
            .map(|(&(a, b), &(count, section))| {
                let (a, b) = (terms[a as usize], terms[b as usize]);
                (format!("{a} {b}"), count, section)
            })
            .collect();
        for (pair, count, section) in pairs {
            self.count_pair(&pair, count, section);
        }
        let mut best: Vec<Option<(f64, i64)>> = self.counts.iter().map(Count::best).collect();
        for (&(number, section), &weight) in &self.per_section {
            let entry = &mut best[number as usize];
            match entry {
                Some((w, s)) if weight < *w || (weight == *w && section >= *s) => {}
                _ => *entry = Some((weight, section)),
            }
        }
        (std::mem::take(&mut self.numbers).into_iter())
            .map(|(term, number)| {
                let weight = self.counts[number as usize].weight;
                let section = best[number as usize].map_or(NO_SECTION, |b| b.1);
                (term, (weight, section))
            })
            .collect()
    }
}

/// One term's counts in a text: its weighted frequency, and in which section it has the most
/// weight (the first of equals). Words come in the order of the text, so their sections only
/// grow: the section being counted is compared with the best before it once it is over, rather
/// than every section being kept.
#[derive(Debug, Default, Clone, Copy)]
struct Count {
    weight: f64,
    /// The section being counted, and the weight in it so far.
    current: Option<(f64, i64)>,
    /// The section with the most weight before it, and that weight.
    before: Option<(f64, i64)>,
}

impl Count {
    /// Counts `weight` more in `section`, which is the section counted last or a later one.
    fn add(&mut self, weight: f64, section: i64) {
        self.weight += weight;
        match &mut self.current {
            Some((so_far, current)) if *current == section => *so_far += weight,
            _ => {
                self.before = self.best();
                self.current = Some((weight, section));
            }
        }
    }

    /// The section with the most weight, and that weight: of equals, the first.
    fn best(&self) -> Option<(f64, i64)> {
        match (self.before, self.current) {
            (Some(before), Some(current)) if current.0 <= before.0 => Some(before),
            (before, None) => before,
            (_, current) => current,
        }
    }
}

/// One document as a results list shows it: title, address, kind, status, date, and the ids of
/// its headings, for links to the section a match is in.
pub(super) fn summary(site: &Site, views: &Views<'_>, index: usize) -> Value {
    let page = &site.pages[index];
    let link = views.link(index);
    let status = page.decision().and_then(|d| d.status.as_ref()).map(|s| views.status(s));
    json!({
        "t": link.title,
        "u": link.href,
        "k": page.kind().name(),
        "s": status.as_ref().map(|s| s.name.clone()),
        "sl": status.map(|s| s.label),
        "d": page.date.map(|d| d.to_string()),
        "h": page.outline.headings.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
    })
}

/// What only the search page shows of a document, and phrase checks read: its tags, the start
/// of its text, and its headings' text.
pub(super) fn detail(page: &Page, text: &str) -> Value {
    json!({
        "g": page.tags,
        "x": text,
        "h": page.outline.headings.iter().map(|h| h.text.as_str()).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_collapse_whitespace_and_stop_at_a_character_count() {
        assert_eq!(collapsed("  a \n\t b  c ", 100), "a b c");
        assert_eq!(collapsed("ab cd", 3), "ab ");
        assert_eq!(collapsed("ab cd", 2), "ab");
        assert_eq!(collapsed("é  ü", 2), "é ");
        assert_eq!(collapsed(" \n ", 5), "");
    }

    #[test]
    fn a_term_is_placed_in_the_section_it_has_most_weight_in_the_first_of_equals() {
        let mut count = Count::default();
        assert_eq!(count.best(), None);
        for (weight, section) in [(2.0, -1), (1.0, 0), (1.0, 0), (1.0, 3), (2.0, 5)] {
            count.add(weight, section);
        }
        // Sections -1, 0 and 5 have 2.0 each: the first wins.
        assert_eq!(count.best(), Some((2.0, -1)));
        count.add(0.5, 5);
        assert_eq!(count.best(), Some((2.5, 5)));
        assert_eq!(count.weight, 7.5);
    }

    #[test]
    fn pairs_counted_out_of_order_are_placed_as_words_are() {
        let mut counter = Counter::default();
        let pair = |term| Token {
            term,
            kind: Kind::Pair,
            stop: false,
        };
        counter.add(pair("raw transaction"), 2.0, 3);
        counter.count_pair("raw transaction", 2.0, 1);
        counter.count_pair("raw transaction", 1.0, 4);
        assert_eq!(counter.finish(), [("raw transaction".to_string(), (5.0, 1))]);
    }
}
