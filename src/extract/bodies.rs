//! Bodies named by regular patterns: the standard names of party and state organs, local
//! departments (区发改委, 市金融局, 西城区民政局, 东城区人民政府), numbered schools
//! (青山四中) and exchanges (上交所).

use super::lexicon::GOVERNMENT_BODIES;
use super::{EntityType, Found};
use regex::Regex;
use std::sync::LazyLock;

/// 区|市 + a short department name + 委/局/管委会 (or an office: 1–2 characters + 办; a
/// longer 市…办 is a programme's name), or 区人民政府 / 区政府; the district name on the left is added
/// when it is a known place (西城区民政局).
static DEPARTMENT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let short = r"[^\P{Han}级各和及等的与全人党市区委局办大新布展设路业]";
    Regex::new(&format!(
        r"(?:区人民政府|区政府|[区市](?:{short}{{1,3}}?(?:委|局|管委会)|{short}{{1,2}}?办))"
    ))
    .ok()
});

/// Government bodies named in `sentence`; `is_place` tells known place names.
pub fn government_bodies(sentence: &str, is_place: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let mut out = Vec::new();
    for body in GOVERNMENT_BODIES {
        for (at, _) in sentence.match_indices(body) {
            out.push(found(sentence, at, at + body.len()));
        }
    }
    if let Some(re) = DEPARTMENT.as_ref() {
        for m in re.find_iter(sentence) {
            // 会议 and 委员 are not bodies (区政协委员 names a person's role).
            let next = &sentence[m.end()..];
            if next.starts_with('员') || next.starts_with("主任") {
                continue;
            }
            let mut start = m.start();
            // 西城区民政局: 区 is the end of a district name when 西城区 is a place.
            let left: Vec<(usize, char)> =
                sentence[..m.start()].char_indices().rev().take(2).collect();
            if let Some(&(i, _)) = left.get(1) {
                let district = &sentence[i..m.start() + '区'.len_utf8()];
                if m.as_str().starts_with('区') && is_place(district) {
                    start = i;
                    if sentence[..i].ends_with("北京市") {
                        start = i - "北京市".len();
                    }
                }
            }
            if m.as_str().len() <= '区'.len_utf8() * 2
                && start == m.start()
                && m.as_str().ends_with("政府")
            {
                continue;
            }
            out.push(found(sentence, start, m.end()));
        }
    }
    let listed = listed_bodies(sentence, &out);
    out.extend(listed);
    out
}

/// Endings of abbreviated bodies (住建委, 金服局, 名城委, 区管委会).
const BODY_ENDINGS: &[&str] = &["管委会", "委", "局", "办"];

/// Items listed with a known body (区发改委、住建委、青山园管委会): short names with a
/// body ending in the same 、-list are bodies too.
fn listed_bodies(sentence: &str, known: &[Found]) -> Vec<Found> {
    let mut out = Vec::new();
    for k in known {
        let before = sentence[..k.start].rfind(['，', ',', '。', '；', ';', '：', ':']);
        let clause_start = before.map_or(0, |i| {
            i + sentence[i..].chars().next().map_or(1, char::len_utf8)
        });
        let clause_end = sentence[k.end..]
            .find(['，', ',', '。', '；', ';', '：', ':'])
            .map_or(sentence.len(), |i| k.end + i);
        let clause = &sentence[clause_start..clause_end];
        if !clause.contains('、') {
            continue;
        }
        let mut at = clause_start;
        for item in clause.split('、') {
            let (a, b) = (at, at + item.len());
            at = b + '、'.len_utf8();
            let n = item.chars().count();
            let body = (2..=6).contains(&n)
                && item.chars().all(|c| c.is_alphanumeric())
                && BODY_ENDINGS.iter().any(|e| item.ends_with(e))
                && !item.ends_with("常委");
            // An item holding a known body (认真落实市委) is prose around it.
            let seen = known.iter().chain(&out).any(|f| f.start < b && a < f.end);
            if body && !seen {
                out.push(found(sentence, a, b));
            }
        }
    }
    out
}

/// A numbered school's short name: a place or 实验 (an experimental school), a numeral, and
/// 中 or 小 (青山四中 for 青山第四中学, 实验三小), not 中学/小学 (named in full elsewhere) nor a
/// plenary session (三中全会).
static NUMBERED_SCHOOL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[一二三四五六七八九十]{1,3}[中小]").ok());

/// Numbered schools named by their short form in `sentence`.
pub fn numbered_schools(sentence: &str, is_place: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let Some(re) = NUMBERED_SCHOOL.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in re.find_iter(sentence) {
        let next = sentence[m.end()..].chars().next();
        if next.is_some_and(|n| matches!(n, '学' | '全' | '型' | '心' | '期')) {
            continue;
        }
        // The opener is the two or three characters before the numeral.
        let before: Vec<usize> = sentence[..m.start()]
            .char_indices()
            .rev()
            .take(3)
            .map(|(i, _)| i)
            .collect();
        let opener = before.iter().skip(1).find(|&&i| {
            let o = &sentence[i..m.start()];
            o == "实验" || is_place(o)
        });
        if let Some(&i) = opener {
            out.push(found(sentence, i, m.end()));
        }
    }
    out
}

/// An exchange's short name: one character and 交所 (上交所, 深交所).
static EXCHANGE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\p{Han}交所").ok());

/// Exchanges named by their short form in `sentence`.
pub fn exchanges(sentence: &str) -> Vec<Found> {
    EXCHANGE.as_ref().map_or_else(Vec::new, |re| {
        re.find_iter(sentence)
            .map(|m| found(sentence, m.start(), m.end()))
            .collect()
    })
}

fn found(sentence: &str, start: usize, end: usize) -> Found {
    Found::span(EntityType::Organisation, sentence, start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_pattern() {
        let labels: Vec<String> = government_bodies(
            "联合区发改委和青山区民政局，向区委报告。",
            &|p| p == "青山区",
        )
        .into_iter()
        .map(|f| f.label)
        .collect();
        assert!(labels.contains(&"区发改委".to_owned()), "{labels:?}");
        assert!(labels.contains(&"青山区民政局".to_owned()), "{labels:?}");
        assert!(labels.contains(&"区委".to_owned()), "{labels:?}");
        // An office has a short name (区侨办); 市诉求速办 is not one.
        let offices: Vec<String> = government_bodies("区侨办落实市诉求速办工作条例。", &|_| false)
            .into_iter()
            .map(|f| f.label)
            .collect();
        assert_eq!(offices, ["区侨办"]);
        let listed: Vec<String> =
            government_bodies("区发改委、城管委、青山园管委会等领取。", &|_| false)
                .into_iter()
                .map(|f| f.label)
                .collect();
        assert!(listed.contains(&"城管委".to_owned()), "{listed:?}");
    }

    #[test]
    fn numbered_schools_by_short_name() {
        let labels = |s: &str| -> Vec<String> {
            numbered_schools(s, &|p| p == "青山")
                .into_iter()
                .map(|f| f.label)
                .collect()
        };
        assert_eq!(
            labels("青山四中合唱团获奖，实验三小周边治理。"),
            ["青山四中", "实验三小"]
        );
        // Full names, plenary sessions and unknown openers are not short school names.
        assert!(labels("青山四中学生、二十届三中全会、白云二中。").is_empty());
    }

    #[test]
    fn exchanges_by_short_name() {
        let labels: Vec<String> = exchanges("企业在甲交所挂牌，接入乙交所平台。")
            .into_iter()
            .map(|f| f.label)
            .collect();
        assert_eq!(labels, ["甲交所", "乙交所"]);
    }
}
