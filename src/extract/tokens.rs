//! Word segmentation of one sentence, with the facts the rules need about each word.

use super::lexicon::GENERIC_TERMS;
use jieba_rs::Jieba;

/// A word of a sentence (byte offsets into the sentence).
#[derive(Debug, Clone)]
pub struct Token<'a> {
    pub word: &'a str,
    pub tag: &'a str,
    pub start: usize,
    pub end: usize,
    /// Whether the word can make a name specific: a proper noun, a word the dictionary does
    /// not know (new names are out of vocabulary), Latin letters, or a gazetteer place.
    pub anchor: bool,
}

/// Part-of-speech tags of proper nouns (place, person, organisation, other, abbreviation).
const PROPER_TAGS: &[&str] = &["ns", "nr", "nrt", "nrfg", "nz", "nt", "j", "eng"];

/// Segments `sentence` and marks anchors; `places` are byte spans of gazetteer names.
pub fn tokenize<'a>(
    jieba: &'a Jieba,
    sentence: &'a str,
    places: &[(usize, usize)],
) -> Vec<Token<'a>> {
    let mut pos = 0;
    jieba
        .tag(sentence, true)
        .into_iter()
        .map(|t| {
            let start = pos;
            pos += t.word.len();
            let cjk = t.word.chars().all(is_cjk);
            // Out-of-vocabulary words the tagger reads as verbs, adjectives or affixes (提振,
            // 筑牢, 对非) are rare words of the prose or segmentation slips, not new names.
            let oov = cjk
                && t.word.chars().count() >= 2
                && !jieba.has_word(t.word)
                && !matches!(
                    t.tag,
                    "v" | "vd"
                        | "vn"
                        | "a"
                        | "ad"
                        | "an"
                        | "d"
                        | "h"
                        | "k"
                        | "p"
                        | "c"
                        | "r"
                        | "m"
                        | "q"
                )
                && !t.tag.starts_with('u');
            // Generic domain terms (楼宇, 城市更新) are categories whatever their tag.
            let generic = GENERIC_TERMS.contains(&t.word);
            // Latin letters name things (SOHO, CBD), but a figure with a unit (110kV, 5G) is
            // a specification.
            let specification = t.word.starts_with(|c: char| c.is_ascii_digit());
            let anchor = !generic && !specification && PROPER_TAGS.contains(&t.tag)
                || oov
                || t.word.chars().any(|c| c.is_ascii_alphabetic()) && !specification
                || places.iter().any(|&(a, b)| a < pos && start < b);
            Token {
                word: t.word,
                tag: t.tag,
                start,
                end: pos,
                anchor,
            }
        })
        .collect()
}

/// CJK unified ideographs (the characters names are made of).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Characters that may occur inside a name.
pub fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '·' | '-' | '—' | '－')
}
