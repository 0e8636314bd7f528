//! Organisations (and works) recognised by their role in a clause rather than by a head word.
//!
//! Company and brand names rarely end in a type word (a bank or a software firm is named by
//! its brand alone). Two sentence shapes still mark them:
//! - the subject opening a clause before a verb or noun only firms take: "X设立…", "X获批…",
//!   "X正式迁入…", "X旗下…", "X全资子公司…";
//! - a 、-list closed by a count of firms: "新增A、B2家跨国公司地区总部";
//! - the object of a founding verb: "成立X工作小组", "创建X研究院", "X集团组建".
//!
//! A work is marked the same way: "X成为全国首个…项目" makes its subject a project.

use super::boundary::{inner_word, name_word};
use super::lexicon::{FOUNDED_HEADS, FOUNDING_VERBS, ORG_SUBJECT_TRIGGERS, SUBJECT_ADVERBIALS};
use super::recognise::type_by_suffix;
use super::tokens::Token;
use super::{EntityType, Found};

/// Longest clause-opening subject taken as a name, in characters.
const MAX_SUBJECT_CHARS: usize = 10;

/// Clause-opening subjects of firm-only verbs (see the module doc). `is_place` tells
/// gazetteer places, which are never taken (a district may also 设立 something).
pub fn org_subjects(
    sentence: &str,
    tokens: &[Token],
    is_place: &dyn Fn(&str) -> bool,
) -> Vec<Found> {
    let mut out = Vec::new();
    for (i, tok) in tokens.iter().enumerate() {
        if !ORG_SUBJECT_TRIGGERS.contains(&tok.word) {
            continue;
        }
        let mut end = i;
        while end > 0 && SUBJECT_ADVERBIALS.contains(&tokens[end - 1].word) {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && name_word(&tokens[start - 1]) {
            start -= 1;
        }
        if start == end || !clause_opening(tokens, start) {
            continue;
        }
        let words = &tokens[start..end];
        let (a, b) = (words[0].start, words[words.len() - 1].end);
        let text = &sentence[a..b];
        if !plausible_firm(text, words, is_place) {
            continue;
        }
        out.push(Found {
            etype: EntityType::Organisation,
            label: text.to_owned(),
            start: a,
            end: b,
        });
        // 甲乙财务、丙丁财务成功接入…: the items listed before the subject share its verb.
        if start > 0 && tokens[start - 1].word == "、" {
            for f in super::enumerate::items_before(sentence, a, EntityType::Organisation) {
                let words: Vec<Token> = tokens
                    .iter()
                    .filter(|t| f.start <= t.start && t.end <= f.end)
                    .cloned()
                    .collect();
                let headed = type_by_suffix(&f.label) == Some(EntityType::Organisation);
                if f.end < a && (headed || plausible_firm(&f.label, &words, is_place)) {
                    out.push(f);
                }
            }
        }
    }
    out
}

/// Longest founded body taken as a name, in words.
const MAX_FOUNDED_WORDS: usize = 8;

/// Bodies founded in the text (成立区甲乙工作小组, 创建丙丁研究院, 戊己集团组建): a new
/// body is named with ordinary words, so no proper noun is needed. The name runs from the
/// verb (or after a count or ordinal: 建立全国第一个…工作站) to the first body head.
pub fn founded_bodies(sentence: &str, tokens: &[Token]) -> Vec<Found> {
    let founded_head =
        |w: &str| type_by_suffix(w) == Some(EntityType::Organisation) || FOUNDED_HEADS.contains(&w);
    let mut out = Vec::new();
    let mut push = |a: usize, b: usize| {
        if a < b {
            let (a, b) = (tokens[a].start, tokens[b - 1].end);
            if sentence[a..b].chars().count() >= 3 {
                out.push(Found::span(EntityType::Organisation, sentence, a, b));
            }
        }
    };
    for (i, tok) in tokens.iter().enumerate() {
        if !FOUNDING_VERBS.contains(&tok.word) {
            continue;
        }
        let mut start = i + 1;
        for (k, t) in tokens
            .iter()
            .enumerate()
            .skip(i + 1)
            .take(MAX_FOUNDED_WORDS)
        {
            if !inner_word(t) {
                break;
            }
            if matches!(t.tag, "m" | "q" | "mq") || t.word == "全国" {
                start = k + 1;
            } else if founded_head(t.word) {
                // A head alone (成立中小学…) is a category.
                if start < k {
                    push(start, k + 1);
                }
                break;
            }
        }
        // 戊己集团组建: the body before the verb. A nominal use of a verb (建设/vn) stays
        // inside its name; a verb (推动/v) opens it.
        if i > 0 && founded_head(tokens[i - 1].word) {
            let mut s = i - 1;
            while s > 0
                && i - s <= 4
                && (name_word(&tokens[s - 1])
                    || inner_word(&tokens[s - 1]) && tokens[s - 1].tag == "vn")
            {
                s -= 1;
            }
            push(s, i);
        }
    }
    out
}

/// Clause-opening subjects of "成为…项目/工程": the subject is the work the complement
/// names (甲里成为全国首个文物活化利用项目). `specific` tells whether a span has a
/// specific word.
pub fn works_becoming(
    sentence: &str,
    tokens: &[Token],
    specific: &dyn Fn(usize, usize) -> bool,
) -> Vec<Found> {
    let mut out = Vec::new();
    for (i, tok) in tokens.iter().enumerate().filter(|(_, t)| t.word == "成为") {
        let mut start = i;
        while start > 0 && name_word(&tokens[start - 1]) {
            start -= 1;
        }
        if start == i || !clause_opening(tokens, start) {
            continue;
        }
        let last = tokens[i + 1..]
            .iter()
            .take_while(|t| !is_clause_mark(t))
            .last();
        let work = last.is_some_and(|t| type_by_suffix(t.word) == Some(EntityType::Project));
        let (a, b) = (tokens[start].start, tok.start);
        if work && sentence[a..b].chars().count() <= MAX_SUBJECT_CHARS && specific(a, b) {
            out.push(Found::span(EntityType::Project, sentence, a, b));
        }
    }
    out
}

/// Whether the token at `k` opens a clause (sentence start or after punctuation).
fn clause_opening(tokens: &[Token], k: usize) -> bool {
    k == 0 || is_clause_mark(&tokens[k - 1])
}

/// Punctuation that opens or closes a clause (or a list item).
fn is_clause_mark(t: &Token) -> bool {
    t.word.chars().all(|c| {
        matches!(
            c,
            '，' | ',' | '：' | ':' | '。' | '；' | ';' | '、' | '”' | '“'
        )
    })
}

/// A subject that can be a firm name: short, with a specific word, not a place or a
/// district-level collective (全区, 我市, 东城区).
fn plausible_firm(text: &str, words: &[Token], is_place: &dyn Fn(&str) -> bool) -> bool {
    let n = text.chars().count();
    (2..=MAX_SUBJECT_CHARS).contains(&n)
        && words.iter().any(|t| t.anchor)
        && !is_place(text)
        && !text.starts_with(['我', '本', '全', '各', '该', '其'])
        && !text.ends_with(['区', '市', '省', '县', '镇', '乡'])
        && !text.ends_with("街道")
        && !text.chars().any(|c| c.is_ascii_digit())
}

/// Items of "A、B + count of firms" lists (新增A、B2家跨国公司): each item is an
/// organisation. `items_before` splits the list.
pub fn counted_firms(sentence: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for (at, _) in sentence.match_indices('家') {
        let before = &sentence[..at];
        let digits: usize = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || "一二两三四五六七八九十".contains(*c))
            .map(char::len_utf8)
            .sum();
        if digits == 0 {
            continue;
        }
        let list_end = at - digits;
        // Only lists: the count must close at least two 、-separated items.
        let clause = before[..list_end]
            .rsplit(['，', ',', '。', '；', ';', '：', ':'])
            .next()
            .unwrap_or("");
        if !clause.contains('、') {
            continue;
        }
        let after = &sentence[at + '家'.len_utf8()..];
        if FIRM_HEADS
            .iter()
            .any(|h| after.chars().take(10).collect::<String>().contains(h))
        {
            for mut f in
                super::enumerate::items_before(sentence, list_end, EntityType::Organisation)
            {
                // "新增A、B2家…": the verb opening the list is not part of the first name.
                if let Some(v) = LIST_OPENERS.iter().find(|v| f.label.starts_with(**v)) {
                    f.label = f.label[v.len()..].to_owned();
                    f.start += v.len();
                }
                if f.label.chars().count() >= 2 {
                    out.push(f);
                }
            }
        }
    }
    out
}

/// Verbs that open a counted list of firms.
const LIST_OPENERS: [&str; 5] = ["新增", "引进", "吸引", "新设", "包括"];

/// Nouns after "N家" that make the counted items firms.
const FIRM_HEADS: [&str; 6] = ["公司", "企业", "机构", "银行", "总部", "集团"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_list_items_are_firms() {
        let got: Vec<String> = counted_firms("新增青松科技、白鹭百货2家跨国公司地区总部。")
            .into_iter()
            .map(|f| f.label)
            .collect();
        assert_eq!(got, ["青松科技", "白鹭百货"]);
        assert!(counted_firms("新增3家银行网点。").is_empty());
    }
}
