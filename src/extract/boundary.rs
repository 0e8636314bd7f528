//! Name boundaries: where a name that ends on a head word starts.
//!
//! A name extends left from its head over name-like words and stops at punctuation, at a
//! function word or at a verb that introduces it (实施, 完成, 推进 …). The result is then
//! trimmed to its first specific word, so that "完成全区重点片区的望坛棚改" gives 望坛棚改:
//! a name starts where its proper part starts, not at the verb or quantifier before it.

use super::lexicon::{LEFT_STOP, SETTLE_VERBS};
use super::recognise::type_by_suffix;
use super::tokens::{is_name_char, Token};

/// Tags of words that never belong inside a name: prepositions, conjunctions, particles,
/// pronouns, adverbial adjectives and punctuation. Plain adverbs (d) are not here: the tagger
/// gives d to rare nouns too (立面), and the common adverbs are in `LEFT_STOP`.
const STOP_TAGS: &[&str] = &[
    "p", "c", "u", "uj", "ul", "uz", "ug", "uv", "r", "ad", "w", "y", "e", "zg",
];

/// Whether the word at `t` may be part of a name left of its head.
pub fn name_word(t: &Token) -> bool {
    !LEFT_STOP.contains(&t.word) && !SETTLE_VERBS.contains(&t.word) && inner_word(t)
}

/// Whether the word at `t` may be inside a name whose start is already known (after a
/// founding or work verb): verbs that would introduce a name elsewhere (建设, 保障) are
/// allowed.
pub fn inner_word(t: &Token) -> bool {
    t.word.chars().all(is_name_char)
        && !is_dash_word(t.word)
        && (t.anchor || !STOP_TAGS.contains(&t.tag))
}

/// Whether a word that would open a name (服务, 建设 as introducing verbs) is used as a noun
/// inside a programme name (公共文化服务示范区, 城市建设试点): tagged nominal, with a
/// name word before it that does not open a name itself.
fn nominal_inside(t: &Token, before: &Token) -> bool {
    matches!(t.tag, "vn" | "j")
        && inner_word(t)
        && !SETTLE_VERBS.contains(&t.word)
        && name_word(before)
        && !matches!(before.tag, "v" | "vd" | "a" | "ad" | "d" | "m" | "q" | "t")
}

/// Whether 和 joins two nouns inside a programme name (医疗保险和救助制度, 文化和旅游消费
/// 集聚区).
fn joined(before: &Token, t: &Token, after: &Token) -> bool {
    // A name's head before 和 ends that name (甲示范区和乙试验区 are two).
    t.word == "和"
        && type_by_suffix(before.word).is_none()
        && matches!(before.tag, "n" | "vn" | "nz" | "ns" | "j")
        && matches!(after.tag, "n" | "vn" | "nz" | "ns" | "j")
        && name_word(before)
}

/// Locatives that continue a name after a place (甲桥下空间, 乙门外大街) although they end
/// an ordinary phrase (在…下).
const LOCATIVES: &[&str] = &["下", "上", "内", "外", "前", "后", "东", "西", "南", "北"];

/// A curly quote: allowed inside a name when the quote is glued to the words around it.
fn is_quote(t: &Token) -> bool {
    matches!(t.word, "“" | "”")
}

/// A word made only of dashes: "A—B—C" lists places along a route (故宫—王府井), so a
/// dash separates names and never joins them.
fn is_dash_word(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| matches!(c, '—' | '-' | '－' | '–'))
}

/// Start of the verbs of aim right before a campaign's head (…行动, …计划, …改革) when a
/// noun names what they act on (甲乙改革 | 深化 | 提升 | 行动, 健康 | 促进 | 行动): such verbs
/// are the programme's aim, not the verb introducing it. The object may be an adjective used
/// as a noun (健康).
fn aim_before_head(tokens: &[Token], j: usize, head: usize) -> Option<usize> {
    let campaign = ["行动", "计划", "改革"]
        .iter()
        .any(|h| tokens[head].word.ends_with(h));
    if j != head || !campaign {
        return None;
    }
    // The tagger reads some of these verbs as abbreviations (深化/j).
    let aim = |t: &Token| LEFT_STOP.contains(&t.word) && matches!(t.tag, "v" | "vn" | "j");
    let run = (0..j).rev().take_while(|&k| aim(&tokens[k])).last()?;
    let object = tokens.get(run.checked_sub(1)?)?;
    let noun = matches!(object.tag, "n" | "nz" | "j" | "vn" | "ns" | "a");
    (j - run <= 2 && noun && name_word(object) && object.word.chars().count() >= 2).then_some(run)
}

/// Index of the opening bracket of a short qualifier that ends right before `tokens[j]` and
/// follows a specific word (甲路 | ( | 东城 | 段 | )).
fn qualifier_before(tokens: &[Token], j: usize) -> Option<usize> {
    if !matches!(tokens.get(j.checked_sub(1)?)?.word, ")" | "）") {
        return None;
    }
    let open = (j.saturating_sub(5)..j - 1)
        .rev()
        .find(|&k| matches!(tokens[k].word, "(" | "（"))?;
    let words_inside = tokens[open + 1..j - 1]
        .iter()
        .all(|t| t.word.chars().all(is_name_char));
    (open >= 1 && open + 1 < j - 1 && words_inside && tokens[open - 1].anchor).then_some(open)
}

/// Index of the first token of the name whose head is `tokens[head]`, or `None` when the
/// name would have no specific word (then it is a category, not a name).
///
/// `max_words` bounds the left extension; when `need_anchor` is false the name keeps its
/// full extension (programme names are often made of common words); `quotes` lets the name
/// hold a quoted word or a bracketed qualifier (works and programmes: 青山公园“零碳”改造,
/// 甲路(东城段)整治工程).
pub fn left_start(
    tokens: &[Token],
    head: usize,
    max_words: usize,
    need_anchor: bool,
    quotes: bool,
) -> Option<usize> {
    let mut j = head;
    while j > 0 && head - j < max_words {
        // 甲路(东城段)整治工程: a short qualifier after a place stays inside the name.
        if let Some(open) = qualifier_before(tokens, j).filter(|_| quotes) {
            j = open;
            continue;
        }
        if let Some(run) = aim_before_head(tokens, j, head).filter(|_| !need_anchor) {
            j = run;
            continue;
        }
        let inside = name_word(&tokens[j - 1])
            || quotes && is_quote(&tokens[j - 1])
            || j >= 2 && LOCATIVES.contains(&tokens[j - 1].word) && tokens[j - 2].anchor
            // A rare character the tagger cannot place (石埭/zg 会馆, 车厂/zg 项目) belongs
            // to the name when it stands right before the head.
            || j == head && tokens[j - 1].tag == "zg"
            || !need_anchor && j >= 2 && nominal_inside(&tokens[j - 1], &tokens[j - 2])
            || !need_anchor
                && j >= 2
                && j < head
                && joined(&tokens[j - 2], &tokens[j - 1], &tokens[j]);
        if !inside {
            break;
        }
        j -= 1;
    }
    // A quote inside a name (青山公园“零碳”改造) must open and close inside it; otherwise
    // the name starts after the stray quote.
    let (mut open, mut first) = (None, j);
    for (k, t) in tokens.iter().enumerate().take(head).skip(j) {
        match t.word {
            "“" => open = Some(k),
            "”" if open.is_none() => first = k + 1,
            "”" => open = None,
            _ => {}
        }
    }
    let j = open.map_or(first, |o| o + 1);
    if !need_anchor {
        return Some(j);
    }
    // Trim to the first anchor, but never past the head word itself; a quote the anchor
    // stands in stays whole (“零碳”改造, “甲乙中轴”数字项目).
    let k = (j..=head).find(|&k| tokens[k].anchor)?;
    let closes_first = tokens[k..head]
        .iter()
        .map(|t| t.word)
        .find(|w| matches!(*w, "“" | "”"))
        == Some("”");
    Some(if closes_first {
        (j..k).rev().find(|&o| tokens[o].word == "“").unwrap_or(k)
    } else {
        k
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok<'a>(word: &'a str, tag: &'a str, anchor: bool) -> Token<'a> {
        Token {
            word,
            tag,
            start: 0,
            end: 0,
            anchor,
        }
    }

    #[test]
    fn name_starts_after_the_verb_and_at_the_first_anchor() {
        // 完成 | 全区 | 青桐 | 街区 | 修缮 → the name starts at 青桐.
        let t = [
            tok("完成", "v", false),
            tok("全区", "n", false),
            tok("青桐", "nz", true),
            tok("街区", "n", false),
            tok("修缮", "v", false),
        ];
        assert_eq!(left_start(&t, 4, 6, true, false), Some(2));
        // Without a specific word there is no name.
        let g = [
            tok("推进", "v", false),
            tok("产业", "n", false),
            tok("项目", "n", false),
        ];
        assert_eq!(left_start(&g, 2, 6, true, false), None);
        // Programmes keep common words but still stop at the verb.
        assert_eq!(left_start(&g, 2, 6, false, false), Some(1));
        // A dash ends a name: 甲山—乙寺 names two places.
        let d = [
            tok("甲山", "ns", true),
            tok("—", "x", false),
            tok("乙寺", "ns", true),
        ];
        assert_eq!(left_start(&d, 2, 6, true, false), Some(2));
        // A settling verb ends a name: 星河保险落户乙街 → 乙街.
        let v = [
            tok("星河保险", "nz", true),
            tok("落户", "v", false),
            tok("乙街", "ns", true),
        ];
        assert_eq!(left_start(&v, 2, 6, true, false), Some(2));
        // A nominal use of an introducing verb stays inside a programme name: 推进 | 公共 |
        // 文化 | 服务/vn | 示范区 starts at 公共, but a verb use (推进 | 服务/v | …) does not.
        let p = [
            tok("推进", "v", false),
            tok("公共", "b", false),
            tok("文化", "n", false),
            tok("服务", "vn", false),
            tok("示范区", "n", false),
        ];
        assert_eq!(left_start(&p, 4, 6, false, false), Some(1));
        // 和 between two nouns joins them inside a programme name, not inside a place name.
        let h = [
            tok("落实", "v", false),
            tok("医疗保险", "n", false),
            tok("和", "c", false),
            tok("救助", "vn", false),
            tok("制度", "n", false),
        ];
        assert_eq!(left_start(&h, 4, 6, false, false), Some(1));
        assert_eq!(left_start(&h, 4, 6, true, false), None);
        // A rare character (zg) joins the name only right before the head.
        let z = [
            tok("推进", "v", false),
            tok("石", "n", false),
            tok("埭", "zg", false),
            tok("会馆", "n", false),
        ];
        assert_eq!(left_start(&z, 3, 6, false, false), Some(1));
        // Verbs of aim right before a campaign's head belong to it when a noun precedes
        // them: 实施 | 甲乙改革 | 深化/j | 提升 | 行动 starts at 甲乙改革; 推进 | 提升 | 行动
        // has no name.
        let a = [
            tok("实施", "v", false),
            tok("甲乙改革", "j", true),
            tok("深化", "j", true),
            tok("提升", "v", false),
            tok("行动", "vn", false),
        ];
        assert_eq!(left_start(&a, 4, 6, false, false), Some(1));
        let g = [
            tok("推进", "v", false),
            tok("提升", "v", false),
            tok("行动", "vn", false),
        ];
        assert_eq!(left_start(&g, 2, 6, false, false), Some(2));
        // A bracketed qualifier after a place stays inside a work's name.
        let b = [
            tok("完成", "v", false),
            tok("青桐路", "ns", true),
            tok("(", "x", false),
            tok("东城", "ns", true),
            tok("段", "n", false),
            tok(")", "x", false),
            tok("整治", "vn", false),
            tok("工程", "n", false),
        ];
        assert_eq!(left_start(&b, 7, 10, true, true), Some(1));
        // Without it the bracket ends the name, which then has no specific word.
        assert_eq!(left_start(&b, 7, 10, true, false), None);
        let q = [tok("服务", "v", false), tok("示范区", "n", false)];
        assert_eq!(left_start(&q, 1, 6, false, false), Some(1));
    }
}
