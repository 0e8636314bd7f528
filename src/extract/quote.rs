//! Quoted names: “X” (or "X") spans are the way these reports name initiatives, brands and
//! mechanisms. A quoted span is a Programme unless its own head types it; political slogans
//! and formulas are quoted too and are excluded by shape and by a list of generic formulas.

use super::lexicon::{
    FIGURE_AFTER_QUOTE, FIGURE_BEFORE_QUOTE, NAME_AFTER_QUOTE, NAME_BEFORE_QUOTE, SLOGANS,
};
use super::recognise::type_by_suffix;
use super::tokens::is_cjk;
use super::{EntityType, Found};

/// Longest quoted span taken as a name, in characters.
const MAX_QUOTED_CHARS: usize = 20;

/// Quoted spans of `sentence` as candidate mentions. `common_word` tells whether a string is
/// an ordinary dictionary word (a quoted ordinary word is a figure of speech: “绣花”).
///
/// Also returns the spans whose context overrides their head word (“甲医院”创建 names a
/// campaign, not a hospital): their quoted reading must win over the head word's.
pub fn quoted(
    sentence: &str,
    common_word: &dyn Fn(&str) -> bool,
) -> (Vec<Found>, Vec<(usize, usize)>) {
    let mut out = Vec::new();
    let mut retyped = Vec::new();
    for (open, close) in [('“', '”'), ('"', '"')] {
        let mut rest = 0;
        while let Some(o) = sentence[rest..].find(open).map(|i| rest + i) {
            let inner_start = o + open.len_utf8();
            let Some(c) = sentence[inner_start..].find(close).map(|i| inner_start + i) else {
                break;
            };
            rest = c + close.len_utf8();
            let inner = &sentence[inner_start..c];
            let context = (&sentence[..o], &sentence[rest..]);
            if let Some(etype) = classify(inner, context, common_word) {
                if kind_named(inner, context) {
                    retyped.push((inner_start, c));
                }
                out.push(Found {
                    etype,
                    label: inner.trim().to_owned(),
                    start: inner_start,
                    end: c,
                });
            }
        }
    }
    (out, retyped)
}

/// Whether a quoted body or place name stands for a kind, not for one body or place:
/// a title bodies compete for (“安康医院”“安康学校”创建活动) or the kind of the places
/// listed before it (甲街、乙寺等“宁静街区”建设).
fn kind_named(inner: &str, (before, mut after): (&str, &str)) -> bool {
    let Some(t) = type_by_suffix(inner.trim()) else {
        return false;
    };
    while let Some(rest) = after.strip_prefix('“') {
        after = rest.find('”').map_or("", |i| &rest[i + '”'.len_utf8()..]);
    }
    let title = ["创建", "评选", "争创"]
        .iter()
        .any(|w| after.starts_with(w));
    matches!(t, EntityType::Organisation | EntityType::Place) && title
        || t == EntityType::Place && before.ends_with('等')
}

/// The type of a quoted span, or `None` when it is not a name. `context` is the sentence text
/// before the opening quote and after the closing one.
pub fn classify(
    inner: &str,
    (before, after): (&str, &str),
    common_word: &dyn Fn(&str) -> bool,
) -> Option<EntityType> {
    let inner = inner.trim();
    let n = inner.chars().count();
    if !(2..=MAX_QUOTED_CHARS).contains(&n) || is_slogan(inner) {
        return None;
    }
    // A quote glued to a name on its left holding Latin letters is part of that name
    // (王府井“T”字区域).
    if before.chars().next_back().is_some_and(is_cjk)
        && inner.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    // “产业+园区”, “热线+网格”: ordinary words joined by + are a formula of how work is
    // combined (unlike “体育+”, “1+3+N” or “甲乙联办+丙丁多址”).
    let parts: Vec<&str> = inner.split('+').collect();
    let formula = parts.len() >= 2
        && parts
            .iter()
            .all(|p| p.chars().count() == 2 && common_word(p));
    if common_word(inner) || formula {
        return None;
    }
    if kind_named(inner, (before, after)) {
        return Some(EntityType::Programme);
    }
    // 私募基金“甲乙壹号”: a fund named after its kind is a body of its own.
    if before.ends_with("基金") {
        return Some(EntityType::Organisation);
    }
    match type_by_suffix(inner) {
        Some(EntityType::Place) | None if is_figure(before, after) => None,
        Some(EntityType::Place) | None => Some(EntityType::Programme),
        Some(t) => Some(t),
    }
}

/// Whether the words around a quote make it a figure, a formula or a demand ("X”要求",
/// "坚持“X”", "X”问题") rather than the name of an initiative ("深化“X”", "X”建设"): the
/// noun or verb governing a quoted name tells what it stands for.
fn is_figure(before: &str, after: &str) -> bool {
    let named = NAME_BEFORE_QUOTE.iter().any(|w| before.ends_with(w))
        || NAME_AFTER_QUOTE.iter().any(|w| after.starts_with(w));
    let figure = FIGURE_BEFORE_QUOTE.iter().any(|w| before.ends_with(w))
        || FIGURE_AFTER_QUOTE.iter().any(|w| after.starts_with(w));
    figure && !named
}

/// Political slogans and formulas: listed generic formulas, lists of three or more short
/// clauses (想干事、能干事、干成事), "N个X" formulas (四个意识), and sentences.
pub fn is_slogan(s: &str) -> bool {
    if SLOGANS.contains(&s) || s.contains(['。', '；', '！', '？', '：']) {
        return true;
    }
    let parts = s
        .split(['、', '，', ',', ' '])
        .filter(|p| !p.is_empty())
        .count();
    if parts >= 3 {
        return true;
    }
    let chars: Vec<char> = s.chars().collect();
    let numeral = |c: char| "一二两三四五六七八九十".contains(c);
    if chars.len() >= 4 && numeral(chars[0]) && chars[1] == '个' {
        return true;
    }
    // Long phrases with a clause comma are sentences, not names.
    chars.len() > 10 && s.contains(['，', ','])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never(_: &str) -> bool {
        false
    }

    #[test]
    fn quoted_initiative_is_a_programme_and_slogans_are_not() {
        let s = "打响“青禾计划”品牌，做到“想干事、能干事、干成事”，坚持“三个必须”。";
        let (found, _) = quoted(s, &never);
        let labels: Vec<&str> = found.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["青禾计划"]);
        assert_eq!(found[0].etype, EntityType::Programme);
        assert_eq!(&s[found[0].start..found[0].end], "青禾计划");
    }

    #[test]
    fn quoted_titles_and_kinds_of_place_are_programmes() {
        let s = "开展“安康医院”“安康学校”创建，推动甲街、乙寺等“宁静街区”建设，打造“青禾医院”。";
        let (found, retyped) = quoted(s, &never);
        let typed: Vec<(&str, EntityType)> =
            found.iter().map(|f| (f.label.as_str(), f.etype)).collect();
        assert_eq!(
            typed,
            [
                ("安康医院", EntityType::Programme),
                ("安康学校", EntityType::Programme),
                ("宁静街区", EntityType::Programme),
                ("青禾医院", EntityType::Organisation),
            ]
        );
        // The first three override their head word; the hospital keeps it.
        assert_eq!(retyped.len(), 3);
        // A fund named after its kind is a body.
        assert_eq!(
            classify("青禾壹号", ("旗下私募基金", "在我区设立"), &never),
            Some(EntityType::Organisation)
        );
    }

    #[test]
    fn formulas_of_ordinary_words_are_not_programmes() {
        let common = |w: &str| matches!(w, "产业" | "园区");
        assert_eq!(classify("产业+园区", ("推进", "开放"), &common), None);
        assert_eq!(
            classify("1+3+N", ("构建", "产业政策体系"), &common),
            Some(EntityType::Programme)
        );
        assert_eq!(
            classify("体育+", ("深化", "融合发展"), &common),
            Some(EntityType::Programme)
        );
    }

    #[test]
    fn ordinary_words_in_quotes_are_figures_of_speech() {
        let common = |w: &str| w == "绣花";
        assert_eq!(classify("绣花", ("拿出", "功夫"), &common), None);
        assert_eq!(
            classify("双联", ("推进", "工作"), &common),
            Some(EntityType::Programme)
        );
    }

    #[test]
    fn governing_words_tell_figures_from_names() {
        // A demand or a formula: "坚持“X”", "“X”要求".
        assert_eq!(classify("三定", ("坚持", "，"), &never), None);
        assert_eq!(classify("三定", ("落实", "要求"), &never), None);
        // A name: "深化“X”改革" even after a figure-making verb.
        assert_eq!(
            classify("三定", ("坚持深化", "改革"), &never),
            Some(EntityType::Programme)
        );
        assert_eq!(
            classify("三定", ("围绕", "建设"), &never),
            Some(EntityType::Programme)
        );
    }
}
