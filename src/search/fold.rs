//! Folding: the one form in which the index stores a word and a query looks it up, so that
//! `cafe` finds `Café`, `resume` finds `Résumé` and full-width `ＡＰＩ` finds `API`.
//!
//! The rule, here and in the browser (`fold` in `themes/default/scripts/search.js`, with
//! `String.prototype.normalize`), is Unicode compatibility decomposition (NFKD, [UAX #15]), then
//! dropping the combining diacritical marks, then canonical composition (NFC) again; and, for a
//! word's parts, full lowercasing and a few letters that have no decomposition (`ß` → `ss`,
//! `ø` → `o`…), as Lucene's ASCII folding filter spells them. Only diacritics are dropped: the
//! voicing marks of Japanese kana and the vowel signs of Indic scripts change the letter, and are
//! composed back.
//!
//! [UAX #15]: https://unicode.org/reports/tr15/

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// `text` with compatibility forms and diacritics folded away; case is kept, for the
/// camelCase splitting that follows.
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.nfkd().filter(|&c| !is_diacritic(c)).nfc().collect())
}

/// Lowercase `part` (already [`fold`]ed), with the letters that have no decomposition spelled
/// out; borrowed when it is lowercase ASCII already, as most words of a text are.
pub fn lower(part: &str) -> Cow<'_, str> {
    if part.is_ascii() {
        if !part.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Borrowed(part);
        }
        return Cow::Owned(part.to_ascii_lowercase());
    }
    let lower = part.to_lowercase();
    if !lower.contains(['ß', 'æ', 'œ', 'ø', 'đ', 'ð', 'ł', 'þ', 'ı']) {
        return Cow::Owned(lower);
    }
    let mut out = String::with_capacity(lower.len() + 4);
    for c in lower.chars() {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'đ' | 'ð' => out.push('d'),
            'ł' => out.push('l'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            other => out.push(other),
        }
    }
    Cow::Owned(out)
}

/// [`lower`], written into `buffer` when an ASCII part has capitals rather than into a string of
/// its own: the analyzer lowers every word of every page, and capitalized words are common.
pub fn lower_in<'a>(part: &'a str, buffer: &'a mut String) -> Cow<'a, str> {
    if part.is_ascii() && part.bytes().any(|b| b.is_ascii_uppercase()) {
        buffer.clear();
        buffer.push_str(part);
        buffer.make_ascii_lowercase();
        return Cow::Borrowed(buffer);
    }
    lower(part)
}

/// The combining diacritical marks: the blocks U+0300–036F, U+1AB0–1AFF, U+1DC0–1DFF,
/// U+20D0–20FF and U+FE20–FE2F.
fn is_diacritic(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(word: &str) -> String {
        lower(&fold(word)).into_owned()
    }

    #[test]
    fn diacritics_case_and_compatibility_forms_fold() {
        assert_eq!(folded("Café"), "cafe");
        assert_eq!(folded("Re\u{301}sume\u{301}"), "resume");
        assert_eq!(folded("ＡＰＩ"), "api");
        assert_eq!(folded("ﬁle"), "file");
        assert_eq!(folded("Straße"), "strasse");
        assert_eq!(folded("Øresund"), "oresund");
        assert_eq!(folded("ΆΘΗΝΑ"), "αθηνα");
    }

    #[test]
    fn lowering_into_a_buffer_lowers_as_lower_does() {
        let mut buffer = String::from("left over");
        for part in ["queue", "Queue", "HTTP", "Straße", "ΆΘΗΝΑ", "2024"] {
            assert_eq!(lower_in(part, &mut buffer), lower(part), "{part}");
        }
    }

    #[test]
    fn letters_that_marks_change_stay_themselves() {
        // Kana voicing marks and Hangul syllables decompose and compose back.
        assert_eq!(folded("データ"), "データ");
        assert_eq!(folded("ｶﾞ"), "ガ");
        assert_eq!(folded("회의"), "회의");
        assert_eq!(folded("हिन्दी"), "हिन्दी");
    }
}
