//! Enumerations: "推进A、B等项目" names one project per item, "引进A、B等企业" one
//! organisation per item, and "A、B落户…" makes each subject an organisation.

use super::lexicon::{
    DESIGNATIONS, GENERIC_TERMS, LEFT_STOP, ORG_LIST_HEADS, PLACE_LIST_HEADS, PROJECT_LIST_HEADS,
    SETTLE_VERBS, SUBJECT_ADVERBIALS, SUFFIXES,
};
use super::recognise::type_by_suffix;
use super::{EntityType, Found};

/// Words that make a list item a category rather than a name.
const GENERIC_ITEM_WORDS: [&str; 8] = [
    "企业", "机构", "单位", "更多", "优秀", "知名", "一批", "各类",
];

/// Words of actions, channels and accounts that make a list item something other than a
/// site (…建设, …平台, 裸地管控, 视频号).
const NOT_SITE_WORDS: [&str; 5] = ["建设", "平台", "管控", "清扫", "号"];

/// Kinds of firm that end a description placed before a firm's name.
const FIRM_KINDS: [&str; 4] = ["公司", "集团", "机构", "企业"];

/// Longest list item taken as a name, in characters.
const MAX_ITEM_CHARS: usize = 24;
/// How far after 等 the list head may come (等7处文物修缮工程), in characters.
const MAX_GAP_CHARS: usize = 10;

/// Items of lists closed by 等 + a typed head, and subjects of settling verbs.
pub fn enumerations(sentence: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for (at, _) in sentence.match_indices('等') {
        let after = &sentence[at + '等'.len_utf8()..];
        for etype in list_types(after) {
            // A listed work names its site already (甲园等园区项目: the place 甲园).
            for f in items_before(sentence, at, etype) {
                if !out.contains(&f) {
                    out.push(f);
                }
            }
        }
    }
    for verb in SETTLE_VERBS.iter().filter(|v| **v != "落地") {
        for (at, _) in sentence.match_indices(verb) {
            let subject_end = trim_adverbials(sentence, at);
            out.extend(items_before(
                sentence,
                subject_end,
                EntityType::Organisation,
            ));
        }
    }
    out
}

/// The types of the items of a list, read from the words after 等: organisations when a
/// kind of body comes first; otherwise works, sites, or both (甲中心等主题楼宇改造 names a
/// building and the work on it).
fn list_types(after: &str) -> Vec<EntityType> {
    let window: String = after
        .chars()
        .take_while(|c| !matches!(c, '，' | '。' | '；' | '、' | ',' | '：'))
        .take(MAX_GAP_CHARS + 2)
        .collect();
    // Window offsets are bytes: 3 per character.
    let first = |heads: &[&str]| {
        heads
            .iter()
            .filter_map(|h| window.find(h))
            .min()
            .filter(|&at| at <= MAX_GAP_CHARS * 3)
    };
    let (project, org, place) = (
        first(PROJECT_LIST_HEADS),
        first(ORG_LIST_HEADS),
        first(PLACE_LIST_HEADS),
    );
    if let Some(o) = org {
        if project.is_none_or(|p| o < p) && place.is_none_or(|p| o < p) {
            return vec![EntityType::Organisation];
        }
    }
    [(project, EntityType::Project), (place, EntityType::Place)]
        .into_iter()
        .filter_map(|(at, t)| at.map(|_| t))
        .collect()
}

/// Drops adverbials between a subject and its verb (X按计划入驻, X正式迁入).
fn trim_adverbials(sentence: &str, mut end: usize) -> usize {
    while let Some(a) = SUBJECT_ADVERBIALS
        .iter()
        .find(|a| sentence[..end].ends_with(**a))
    {
        end -= a.len();
    }
    end
}

/// The 、-separated items ending at byte `end`: the clause from the last punctuation, with
/// everything up to the last introducing verb of the first item dropped.
pub fn items_before(sentence: &str, end: usize, etype: EntityType) -> Vec<Found> {
    let clause_start = sentence[..end]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_clause_end(c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let mut out = Vec::new();
    for (k, (mut a, b)) in list_items(sentence, clause_start, end)
        .into_iter()
        .enumerate()
    {
        if k == 0 {
            a = after_last_stop(sentence, a, b);
        }
        if etype == EntityType::Organisation {
            // 首家数字化咨询公司甲乙科技: a description in front of the name ends on a kind
            // of firm; the name follows it.
            if let Some((i, w)) = FIRM_KINDS
                .iter()
                .filter_map(|w| sentence[a..b].rfind(w).map(|i| (i, *w)))
                .max()
            {
                let tail = a + i + w.len();
                if sentence[tail..b].chars().count() >= 2 {
                    a = tail;
                }
            }
        }
        let item = sentence[a..b].trim();
        let n = item.chars().count();
        // A list item that is itself a category (更多优秀企业) is not a name.
        let generic = GENERIC_ITEM_WORDS.iter().any(|w| item.contains(w));
        if (2..=MAX_ITEM_CHARS).contains(&n) && !generic {
            out.push(Found {
                etype,
                label: item.to_owned(),
                start: a,
                end: b,
            });
            // A work named only by its site (青石会馆、白云寺等项目) names the place too,
            // and a work on an institution's building (甲医院、乙派出所等降层改造) the
            // institution.
            let site = match type_by_suffix(item) {
                Some(EntityType::Organisation) => Some(EntityType::Organisation),
                _ if names_site(item) => Some(EntityType::Place),
                _ => None,
            };
            if let Some(site) = site.filter(|_| etype == EntityType::Project) {
                out.push(Found {
                    etype: site,
                    label: item.to_owned(),
                    start: a,
                    end: b,
                });
            }
        }
    }
    out
}

/// Items of a 、-list take the type their neighbours share (东方广场、信达中心、航星园: 信达中心
/// is a place too): when two or more items of one list were found as places (or as
/// organisations), each remaining clean item with a specific word gets that type. Clean
/// items are the inner ones and a last one closed by 等; the first and last of an open list
/// run into the words around the list. `specific` tells whether an item has a specific word.
pub fn typed_by_list(
    sentence: &str,
    found: &[Found],
    specific: &dyn Fn(usize, usize) -> bool,
) -> Vec<Found> {
    let mut out = Vec::new();
    for (offset, i) in clauses(sentence) {
        let listed = list_items(sentence, offset, i);
        if listed.len() < 2 {
            continue;
        }
        let mut items: Vec<(usize, usize, bool)> = listed
            .iter()
            .enumerate()
            .map(|(k, &(a, b))| (a, b, k > 0))
            .collect();
        // The last item ends at 等 when the list is closed by it.
        if let Some(last) = items.last_mut() {
            let closed = sentence[last.0..i].find('等').map(|k| last.0 + k);
            *last = (last.0, closed.unwrap_or(i), closed.is_some());
        }
        for etype in [EntityType::Place, EntityType::Organisation] {
            let typed = |&(a, b, _): &(usize, usize, bool)| {
                found.iter().any(|f| {
                    f.etype == etype && (f.start == a && f.end <= b || f.end == b && f.start >= a)
                })
            };
            if items.iter().filter(|it| typed(it)).count() < 2 {
                continue;
            }
            for &(a, b, clean) in &items {
                let n = sentence[a..b].chars().count();
                // A name inside the item (甲寺 in 甲寺以东) does not type it; one covering or
                // crossing it does.
                let taken = found.iter().any(|f| {
                    f.start < b
                        && a < f.end
                        && (f.start < a || b < f.end || f.end - f.start == b - a)
                });
                // A name inside the item may gain a few characters of its own (甲门外, 甲门
                // 东西区), not a description (甲寺周边, 甲市先进集体).
                let inner = found
                    .iter()
                    .filter(|f| a <= f.start && f.end <= b)
                    .map(|f| f.label.chars().count())
                    .max();
                let described = inner.is_some_and(|m| {
                    n > m + 3 || AROUND_WORDS.iter().any(|w| sentence[a..b].ends_with(w))
                });
                if clean
                    && !taken
                    && !described
                    && (2..=MAX_ITEM_CHARS).contains(&n)
                    && specific(a, b)
                {
                    out.push(Found::span(etype, sentence, a, b));
                }
            }
        }
    }
    out
}

/// Items joined to a work by a conjunction share it (甲园和乙苑公园改造, 甲馆、乙医院局部和丙
/// 中心改造): each earlier item with a specific word is a work of its own, named by the item.
pub fn shared_works(
    sentence: &str,
    found: &[Found],
    specific: &dyn Fn(usize, usize) -> bool,
) -> Vec<Found> {
    let mut out = Vec::new();
    for f in found.iter().filter(|f| f.etype == EntityType::Project) {
        let Some(sep) = ['、', '和']
            .into_iter()
            .find(|c| sentence[..f.start].ends_with(*c))
        else {
            continue;
        };
        let works = SUFFIXES
            .iter()
            .any(|(s, t)| *t == EntityType::Project && f.label.ends_with(s));
        // 甲街、乙街周边绿化工程 is one work around both places.
        if !works || AROUND_WORDS.iter().any(|w| f.label.contains(w)) {
            continue;
        }
        let end = f.start - sep.len_utf8();
        for item in items_before(sentence, end, EntityType::Project) {
            let joined = ['和', '及'].iter().any(|c| item.label.starts_with(*c));
            if item.etype == EntityType::Project
                && !has_work_word(&item.label)
                && !joined
                && specific(item.start, item.end)
            {
                out.push(item);
            }
        }
    }
    out
}

/// Works on several listed places at once (甲街、乙街周边3条林荫道路建设, 甲胡同、乙胡同西口
/// 两处停车设施建设): a 、-list of places followed by a count of sites and a work is one
/// project, named from the first place to the work.
pub fn joint_works(sentence: &str, found: &[Found]) -> Vec<Found> {
    let place_at = |a: usize| {
        found
            .iter()
            .filter(|f| f.etype == EntityType::Place && f.start == a)
            .map(|f| f.end)
            .max()
    };
    let mut out = Vec::new();
    for (a, b) in clauses(sentence) {
        let items = list_items(sentence, a, b);
        if items.len() < 2 {
            continue;
        }
        let first = after_last_stop(sentence, items[0].0, items[0].1);
        let (last_start, last_end) = items[items.len() - 1];
        let listed = std::iter::once((first, items[0].1))
            .chain(items[1..items.len() - 1].iter().copied())
            .all(|(a, b)| place_at(a) == Some(b));
        let Some(place_end) = place_at(last_start).filter(|&e| listed && e <= last_end) else {
            continue;
        };
        let Some(work_end) = counted_work(&sentence[place_end..last_end]) else {
            continue;
        };
        let end = place_end + work_end;
        out.push(Found::span(EntityType::Project, sentence, first, end));
    }
    out
}

/// Byte length of "周边? 3条 … 建设" at the start of `rest`: a count of sites, then words up to
/// a work (建设, 改造, 工程, 整治, 提升) within a few characters.
fn counted_work(rest: &str) -> Option<usize> {
    let rest_start = AROUND_WORDS
        .iter()
        .find(|w| rest.starts_with(**w))
        .map_or(0, |w| w.len());
    let tail = &rest[rest_start..];
    let digits = tail
        .char_indices()
        .take_while(|&(_, c)| c.is_ascii_digit() || "一二两三四五六七八九十".contains(c))
        .last()
        .map(|(k, c)| k + c.len_utf8())?;
    if !tail[digits..].starts_with(['条', '处', '个', '座']) {
        return None;
    }
    let window: String = tail.chars().take(MAX_ITEM_CHARS / 2).collect();
    let end = WORK_ENDINGS
        .iter()
        .filter_map(|w| window.find(w).map(|k| k + w.len()))
        .min()?;
    // 甲、乙两个康养试点建设 builds a pilot (a programme), not sites.
    let designation = DESIGNATIONS.iter().any(|d| window[..end].contains(d));
    (!designation).then_some(rest_start + end)
}

/// Words that end a joint work's name.
const WORK_ENDINGS: [&str; 5] = ["建设", "改造", "工程", "整治", "提升"];

/// Words of the surroundings of a place (甲寺周边, 乙街沿线): the item is the place's area,
/// not a place of its own.
const AROUND_WORDS: [&str; 4] = ["周边", "沿线", "一带", "两侧"];

/// The clauses of `sentence`: byte ranges between clause punctuation.
fn clauses(sentence: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in sentence.char_indices().filter(|&(_, c)| is_clause_end(c)) {
        out.push((start, i));
        start = i + c.len_utf8();
    }
    out.push((start, sentence.len()));
    out
}

/// The 、-separated items of `sentence[a..b]`, as byte ranges.
fn list_items(sentence: &str, a: usize, b: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = a;
    for (k, c) in sentence[a..b].char_indices().filter(|&(_, c)| c == '、') {
        out.push((start, a + k));
        start = a + k + c.len_utf8();
    }
    out.push((start, b));
    out
}

/// Whether a label holds a word of works (修缮, 改造, 项目 …).
fn has_work_word(label: &str) -> bool {
    SUFFIXES
        .iter()
        .any(|(s, t)| *t == EntityType::Project && label.contains(s))
}

/// Punctuation that ends a clause (and so a list).
fn is_clause_end(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '；' | '：' | ',' | ';' | ':' | '（' | '）' | '(' | ')' | '“' | '”'
    )
}

/// Whether a list item of works names only their site: a place word (青石会馆, 乙门), or a
/// short proper name without any word of works, categories or media (谦祥益).
pub fn names_site(item: &str) -> bool {
    if has_work_word(item) || item.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    match type_by_suffix(item) {
        Some(EntityType::Place) => true,
        None => {
            item.chars().count() <= 6
                && !GENERIC_TERMS.iter().any(|t| item.contains(t))
                && !NOT_SITE_WORDS.iter().any(|w| item.contains(w))
        }
        _ => false,
    }
}

/// Byte position after the last introducing verb (LEFT_STOP word of two or more characters)
/// inside `sentence[a..b]`, or `a`.
fn after_last_stop(sentence: &str, a: usize, b: usize) -> usize {
    let text = &sentence[a..b];
    LEFT_STOP
        .iter()
        .filter(|w| w.chars().count() >= 2)
        .filter_map(|w| text.rfind(w).map(|i| a + i + w.len()))
        .max()
        .unwrap_or(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(s: &str) -> Vec<(EntityType, String)> {
        enumerations(s)
            .into_iter()
            .map(|f| (f.etype, f.label))
            .collect()
    }

    #[test]
    fn each_item_of_a_project_list_is_a_project() {
        let got = labels("加快推进青桐里改造、白鹭湾二期等重点项目，确保按期完工。");
        assert_eq!(
            got,
            [
                (EntityType::Project, "青桐里改造".to_owned()),
                (EntityType::Project, "白鹭湾二期".to_owned())
            ]
        );
    }

    /// The first occurrence of `label` in `s` as a candidate of type `etype`.
    fn found_at(s: &str, label: &str, etype: EntityType) -> Found {
        let start = s.find(label).unwrap_or(0);
        Found {
            etype,
            label: label.to_owned(),
            start,
            end: start + label.len(),
        }
    }

    #[test]
    fn kinds_of_site_make_listed_items_places() {
        let got = labels("聚焦青桐大厦、白鹭中心等优质楼宇，加快推进金石园等文化产业园区项目。");
        assert_eq!(
            got,
            [
                (EntityType::Place, "青桐大厦".to_owned()),
                (EntityType::Place, "白鹭中心".to_owned()),
                (EntityType::Project, "金石园".to_owned()),
                (EntityType::Place, "金石园".to_owned()),
            ]
        );
    }

    #[test]
    fn items_joined_to_a_work_share_it() {
        let s = "开展青桐园和白鹭苑全龄友好型公园改造，完成甲街、乙街周边绿化提升工程。";
        let work = |label: &str| found_at(s, label, EntityType::Project);
        let found = [
            work("白鹭苑全龄友好型公园改造"),
            work("乙街周边绿化提升工程"),
        ];
        let got: Vec<String> = shared_works(s, &found, &|_, _| true)
            .into_iter()
            .map(|f| f.label)
            .collect();
        // A work around both places (甲街、乙街周边…) is one work.
        assert_eq!(got, ["青桐园"]);
    }

    #[test]
    fn a_list_of_places_with_a_count_of_sites_is_one_work() {
        let s = "完成青桐街、白鹭路周边2条林荫道路建设，推进甲园、乙园两个康养试点建设。";
        let place = |label: &str| found_at(s, label, EntityType::Place);
        let found = ["青桐街", "白鹭路", "甲园", "乙园"].map(place);
        let got: Vec<String> = joint_works(s, &found)
            .into_iter()
            .map(|f| f.label)
            .collect();
        // A pilot built at two places is a programme, not a joint work.
        assert_eq!(got, ["青桐街、白鹭路周边2条林荫道路建设"]);
    }

    #[test]
    fn settling_subjects_are_organisations() {
        let got = labels("星河保险、远山证券正式入驻青桐园。");
        assert_eq!(
            got,
            [
                (EntityType::Organisation, "星河保险".to_owned()),
                (EntityType::Organisation, "远山证券".to_owned())
            ]
        );
    }
}
