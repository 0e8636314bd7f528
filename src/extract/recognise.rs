//! Recognition of entity mentions inside one sentence.

use super::lexicon::{GOVERNMENT_BODIES, LEFT_STOP, SLOGANS, SUFFIXES};
use super::EntityType;
use jieba_rs::Jieba;
use std::collections::HashSet;

/// A mention inside one sentence (byte offsets into the sentence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub etype: EntityType,
    pub label: String,
    pub start: usize,
    pub end: usize,
}

/// Longest names we accept, in characters: longer spans are clauses, not names.
const MAX_NAME_CHARS: usize = 24;
/// How many words a name may extend to the left of its head.
const MAX_LEFT_WORDS: usize = 5;

pub struct Recogniser {
    jieba: Jieba,
    slogans: HashSet<&'static str>,
    left_stop: HashSet<&'static str>,
}

struct Token<'a> {
    word: &'a str,
    tag: &'a str,
    start: usize,
    end: usize,
}

impl Recogniser {
    pub fn new() -> Self {
        let mut jieba = Jieba::new();
        // Suffix heads must stay whole words so that names end on them.
        for (suffix, _) in SUFFIXES {
            if suffix.chars().count() >= 2 {
                jieba.add_word(suffix, Some(50_000), Some("n"));
            }
        }
        Self {
            jieba,
            slogans: SLOGANS.iter().copied().collect(),
            left_stop: LEFT_STOP.iter().copied().collect(),
        }
    }

    fn tokens<'a>(&'a self, sentence: &'a str) -> Vec<Token<'a>> {
        let mut pos = 0;
        self.jieba
            .tag(sentence, true)
            .into_iter()
            .map(|t| {
                let start = pos;
                pos += t.word.len();
                Token {
                    word: t.word,
                    tag: t.tag,
                    start,
                    end: pos,
                }
            })
            .collect()
    }

    /// Finds mentions in one sentence; overlapping candidates keep the longest.
    pub fn recognise(&self, sentence: &str) -> Vec<Found> {
        let tokens = self.tokens(sentence);
        let mut found = Vec::new();
        self.quoted(sentence, &mut found);
        self.by_suffix(sentence, &tokens, &mut found);
        self.government_bodies(sentence, &mut found);
        resolve_overlaps(found)
    }

    /// “X” spans: typed by their head, programmes otherwise; slogans are skipped.
    fn quoted(&self, sentence: &str, out: &mut Vec<Found>) {
        let mut rest = 0;
        while let Some(open) = sentence[rest..].find('“').map(|i| rest + i) {
            let inner_start = open + '“'.len_utf8();
            let Some(close) = sentence[inner_start..].find('”').map(|i| inner_start + i) else {
                break;
            };
            rest = close + '”'.len_utf8();
            let inner = sentence[inner_start..close].trim();
            let n = inner.chars().count();
            if !(2..=MAX_NAME_CHARS).contains(&n) || self.slogans.contains(inner) {
                continue;
            }
            if inner.contains(['，', '。', '；']) {
                continue;
            }
            let etype = type_by_suffix(inner).unwrap_or(EntityType::Programme);
            out.push(Found {
                etype,
                label: inner.to_owned(),
                start: inner_start,
                end: close,
            });
        }
    }

    /// Names ending in a typed head word, extended left over name-like words.
    fn by_suffix(&self, sentence: &str, tokens: &[Token], out: &mut Vec<Found>) {
        for (i, tok) in tokens.iter().enumerate() {
            let Some(etype) = type_by_suffix(tok.word) else {
                continue;
            };
            let mut j = i;
            while j > 0 && i - j < MAX_LEFT_WORDS && self.name_like(&tokens[j - 1]) {
                j -= 1;
            }
            let start = tokens[j].start;
            let text = &sentence[start..tok.end];
            let n = text.chars().count();
            let head_only = j == i && SUFFIXES.iter().any(|(s, _)| *s == tok.word);
            if head_only || !(2..=MAX_NAME_CHARS).contains(&n) {
                continue;
            }
            out.push(Found {
                etype,
                label: text.to_owned(),
                start,
                end: tok.end,
            });
        }
    }

    fn name_like(&self, t: &Token) -> bool {
        if self.left_stop.contains(t.word) || t.word.chars().any(|c| !is_name_char(c)) {
            return false;
        }
        let tag = t.tag;
        tag.starts_with('n') || matches!(tag, "eng" | "j" | "f" | "s" | "x" | "m" | "b" | "an")
    }

    fn government_bodies(&self, sentence: &str, out: &mut Vec<Found>) {
        for body in GOVERNMENT_BODIES {
            for (at, _) in sentence.match_indices(body) {
                out.push(Found {
                    etype: EntityType::Organisation,
                    label: (*body).to_owned(),
                    start: at,
                    end: at + body.len(),
                });
            }
        }
    }
}

/// The type given by the longest suffix `word` ends with.
fn type_by_suffix(word: &str) -> Option<EntityType> {
    SUFFIXES
        .iter()
        .filter(|(s, _)| word.ends_with(s))
        .max_by_key(|(s, _)| s.len())
        .map(|(_, t)| *t)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '·' | '-' | '—')
}

/// Keeps the longest of overlapping mentions (earliest first on ties).
fn resolve_overlaps(mut found: Vec<Found>) -> Vec<Found> {
    found.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        if kept.iter().all(|k| f.end <= k.start || f.start >= k.end) {
            kept.push(f);
        }
    }
    kept.sort_by_key(|f| (f.start, f.end));
    kept
}
