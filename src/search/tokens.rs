//! Tokenizing and stemming, exactly as the browser's query engine
//! (`themes/default/static/assets/search.js`) does it: what the index stores must be what a
//! query looks up.

/// Words too common to be worth an entry; the browser drops them from queries too.
pub const STOP_WORDS: [&str; 30] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in", "is", "it", "its",
    "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with", "we", "our",
];

/// Longer tokens are not words (hashes, URLs run together) and are not indexed.
const MAX_TOKEN: usize = 40;

/// The index terms of `text`, in order.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && t.chars().count() <= MAX_TOKEN)
        .map(str::to_lowercase)
        .filter(|t| !STOP_WORDS.contains(&t.as_str()))
        .map(|t| stem(&t))
}

/// A light English stemmer, so that `meetings` finds `meeting` and `decide` comes within one
/// letter of `decisions` (the query engine forgives one typo in longer words).
pub fn stem(word: &str) -> String {
    if word.len() <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut w = word.to_string();
    if w.ends_with("ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.pop();
    }
    const SUFFIXES: [&str; 16] = [
        "ations", "ation", "ments", "ment", "ings", "ing", "ions", "ion", "ness", "ers", "er", "edly", "ed", "ly",
        "es", "e",
    ];
    if let Some(suffix) = SUFFIXES.iter().find(|s| w.ends_with(*s))
        && w.len() - suffix.len() >= 3
    {
        w.truncate(w.len() - suffix.len());
    }
    let bytes = w.as_bytes();
    if let [.., a, b] = bytes
        && a == b
        && !b"aeioulsz".contains(b)
    {
        w.pop();
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_match_the_browser_engine() {
        for (word, stemmed) in [
            ("decide", "decid"),
            ("decisions", "decis"),
            ("running", "run"),
            ("runs", "run"),
            ("meetings", "meet"),
            ("policies", "policy"),
            ("classes", "class"),
            ("status", "status"),
            ("use", "use"),
            ("café", "café"),
        ] {
            assert_eq!(stem(word), stemmed, "{word}");
        }
    }

    #[test]
    fn tokens_drop_stop_words_and_punctuation() {
        let t: Vec<String> = tokens("The on-call rota: Priya's 2 weeks!").collect();
        assert_eq!(t, ["call", "rota", "priya", "s", "2", "week"]);
    }
}
