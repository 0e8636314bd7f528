//! Sentence splitting on Chinese and Western sentence ends and line breaks.

use crate::model::Sentence;

/// Splits `text` into sentences: at 。！？；!? and line breaks, keeping closing quotes with
/// their sentence. Whitespace around sentences is left out.
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut end = None;
        if matches!(c, '。' | '！' | '？' | '；' | '!' | '?') {
            let mut e = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if matches!(d, '”' | '’' | '」' | '）' | ')' | '。' | '！' | '？') {
                    e = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            end = Some(e);
        } else if c == '\n' {
            end = Some(i);
        }
        if let Some(e) = end {
            push_trimmed(text, start, e, &mut out);
            start = if c == '\n' { i + 1 } else { e };
        }
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, a: usize, b: usize, out: &mut Vec<Sentence>) {
    let s = &text[a..b];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    if !t.is_empty() {
        out.push(Sentence {
            start: a + lead,
            end: a + lead + t.len(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_ends_and_lines() {
        let t = "望坛项目完成。钟楼修缮“开工”！\n  前门东区";
        let s: Vec<&str> = split_sentences(t)
            .iter()
            .map(|s| &t[s.start..s.end])
            .collect();
        assert_eq!(s, ["望坛项目完成。", "钟楼修缮“开工”！", "前门东区"]);
    }
}
