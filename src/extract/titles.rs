//! Titles of policy documents: "出台X若干措施", "印发X实施方案", "落实X条例", and titles in
//! 《》. A title runs from the issuing verb to the document word that ends it, so it keeps
//! the verbs inside it (推进…建设行动方案) that end an ordinary name.

use super::lexicon::{DOCUMENT_HEADS, ISSUING_VERBS};
use super::{EntityType, Found};

/// Longest title taken, in characters.
const MAX_TITLE_CHARS: usize = 45;
/// Shortest subject of a title (the words before its document word), in characters.
const MIN_SUBJECT_CHARS: usize = 4;

/// Openings that make a phrase a category of documents, not a title (各项防控措施,
/// 配套实施意见, 20条专项措施).
const GENERIC_OPENINGS: &[&str] = &[
    "各项",
    "相关",
    "有关",
    "配套",
    "专项",
    "一系列",
    "系列",
    "多项",
    "这些",
    "该",
    "重点",
    "实施",
];

/// Document titles of `sentence` as Programme candidates.
pub fn titles(sentence: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for verb in ISSUING_VERBS {
        for (at, _) in sentence.match_indices(verb) {
            // 制定落实X: both verbs lead to the same title.
            if let Some(f) = title_after(sentence, at + verb.len()) {
                if !out
                    .iter()
                    .any(|o: &Found| (o.start, o.end) == (f.start, f.end))
                {
                    out.push(f);
                }
            }
        }
    }
    for (open, _) in sentence.match_indices('《') {
        let a = open + '《'.len_utf8();
        let Some(b) = sentence[a..].find('》').map(|i| a + i) else {
            continue;
        };
        let title = &sentence[a..b];
        if DOCUMENT_HEADS.iter().any(|h| title.ends_with(h)) && plausible(title) {
            out.push(found(sentence, a, b));
        }
    }
    out
}

/// The title starting at byte `a` (after an issuing verb): the longest run without clause
/// punctuation that ends on a document word.
fn title_after(sentence: &str, mut a: usize) -> Option<Found> {
    // 制定出台…, 落实好…: further issuing verbs and 好 belong to the verb, not the title.
    loop {
        let rest = &sentence[a..];
        if let Some(v) = ISSUING_VERBS.iter().find(|v| rest.starts_with(**v)) {
            a += v.len();
        } else if let Some(c) = rest.chars().next().filter(|c| matches!(c, '好' | '了')) {
            a += c.len_utf8();
        } else {
            break;
        }
    }
    let run_end = run_end(sentence, a);
    let mut best = None;
    for (i, _) in sentence[a..run_end].char_indices() {
        let end = a + i;
        if sentence[a..end].chars().count() > MAX_TITLE_CHARS {
            break;
        }
        if DOCUMENT_HEADS.iter().any(|h| sentence[a..end].ends_with(h)) {
            best = Some(end);
        }
    }
    if run_end > a
        && sentence[a..run_end].chars().count() <= MAX_TITLE_CHARS
        && DOCUMENT_HEADS
            .iter()
            .any(|h| sentence[a..run_end].ends_with(h))
    {
        best = Some(run_end);
    }
    let b = best?;
    plausible(&sentence[a..b]).then(|| found(sentence, a, b))
}

/// End of the run of title text from byte `a`: the first clause break, except that a short
/// parenthesised qualifier stays inside (…信托基金(REITs)集聚区的若干措施, …办法(试行)).
fn run_end(sentence: &str, a: usize) -> usize {
    let mut chars = sentence[a..].char_indices();
    while let Some((i, c)) = chars.next() {
        if !is_clause_break(c) {
            continue;
        }
        let close = match c {
            '(' => ')',
            '（' => '）',
            _ => return a + i,
        };
        let inner = sentence[a + i + c.len_utf8()..]
            .char_indices()
            .take(MAX_QUALIFIER_CHARS + 1)
            .find(|&(_, d)| is_clause_break(d));
        match inner {
            Some((k, d)) if d == close && k > 0 => {
                // Skip to the closing parenthesis.
                let stop = a + i + c.len_utf8() + k;
                while chars.next().is_some_and(|(j, _)| a + j < stop) {}
            }
            _ => return a + i,
        }
    }
    sentence.len()
}

/// Longest parenthesised qualifier kept inside a title, in characters.
const MAX_QUALIFIER_CHARS: usize = 12;

/// Whether a span ending on a document word is a title rather than a kind of document.
fn plausible(title: &str) -> bool {
    let subject_chars = DOCUMENT_HEADS
        .iter()
        .filter(|h| title.ends_with(**h))
        .map(|h| title.chars().count() - h.chars().count())
        .min()
        .unwrap_or(0);
    subject_chars >= MIN_SUBJECT_CHARS
        && !GENERIC_OPENINGS.iter().any(|g| title.starts_with(g))
        && !title.starts_with(|c: char| c.is_ascii_digit())
        && !title.contains('等')
        && !title.starts_with('的')
        // 代表、委员对政府工作的意见: remarks addressed to someone, not a document.
        && !title.contains('对')
}

fn found(sentence: &str, a: usize, b: usize) -> Found {
    Found::span(EntityType::Programme, sentence, a, b)
}

/// Punctuation that ends a title (the enumeration comma 、 does not: 碳达峰、碳中和行动方案).
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | ','
            | '。'
            | '；'
            | ';'
            | '：'
            | ':'
            | '！'
            | '？'
            | '“'
            | '”'
            | '《'
            | '》'
            | '（'
            | '）'
            | '('
            | ')'
            | '\n'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(s: &str) -> Vec<String> {
        titles(s).into_iter().map(|f| f.label).collect()
    }

    #[test]
    fn titles_run_from_the_verb_to_the_document_word() {
        assert_eq!(
            labels("印发支持青山科技园区产业升级和创新发展的若干措施，成效明显。"),
            ["支持青山科技园区产业升级和创新发展的若干措施"]
        );
        assert_eq!(
            labels("制定落实加快困难企业恢复发展的若干措施的实施细则。"),
            ["加快困难企业恢复发展的若干措施的实施细则"]
        );
        assert_eq!(
            labels("出台《青山区促进产业高质量发展若干措施》。"),
            ["青山区促进产业高质量发展若干措施"]
        );
        // A short parenthesised qualifier stays inside the title; a long aside ends it.
        assert_eq!(
            labels("印发支持建设青山数据(ABC)集聚区的若干措施。"),
            ["支持建设青山数据(ABC)集聚区的若干措施"]
        );
        assert!(labels("印发支持青山(此处是一段很长很长的说明文字)的若干措施。").is_empty());
        // Kinds of documents are not titles.
        assert!(labels("落实各项防控措施，出台20条专项措施。").is_empty());
    }
}
