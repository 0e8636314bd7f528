//! Grouping mentions of one report into distinct entities with aliases.
//!
//! Mentions group by type and label; then a shorter label joins a longer one of the same type
//! when it is a short form of it: the same head with words left out (望坛项目 → 望坛棚改项目,
//! 区政府 → 北京市东城区人民政府), or a place name without its generic area word
//! (王府井 → 王府井地区, 东城 → 东城区). Programmes, projects and places have further
//! equivalences (see `same_entity`).

use super::lexicon::{EVENT_ABBREVIATION_HEADS, WORK_ABBREVIATIONS};
use super::{Entity, EntityType, Mention};
use crate::geo::Gazetteer;
use std::collections::BTreeMap;

/// Generic area words a place name may carry or drop.
const AREA_WORDS: &[&str] = &["区", "市", "地区", "片区", "街区", "商圈", "区域", "园区"];

/// Groups mentions into entities; each entity's label is its longest name.
pub fn group_mentions(mentions: &[Mention], gazetteer: &Gazetteer) -> Vec<Entity> {
    let mut by_key: BTreeMap<(EntityType, &str), Vec<usize>> = BTreeMap::new();
    for (i, m) in mentions.iter().enumerate() {
        by_key
            .entry((m.etype, m.label.as_str()))
            .or_default()
            .push(i);
    }
    // Longest labels first, so that short forms find their full name.
    let mut keys: Vec<(EntityType, &str)> = by_key.keys().copied().collect();
    keys.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.chars().count().cmp(&a.1.chars().count()))
            .then(a.1.cmp(b.1))
    });
    let mut entities: Vec<Entity> = Vec::new();
    for (etype, label) in keys {
        let ms = by_key.remove(&(etype, label)).unwrap_or_default();
        match entities
            .iter_mut()
            .find(|e| e.etype == etype && same_entity(etype, label, &e.label, gazetteer))
        {
            Some(e) => {
                e.aliases.push(label.to_owned());
                e.mentions.extend(ms);
            }
            None => entities.push(Entity {
                etype,
                label: label.to_owned(),
                aliases: Vec::new(),
                mentions: ms,
            }),
        }
    }
    for e in &mut entities {
        // A campaign written bare and with its generic head (疏整促, 疏整促专项行动) goes by
        // its bare name.
        if e.etype == EntityType::Programme {
            let core = programme_core(&e.label).to_owned();
            if let Some(i) = e.aliases.iter().position(|a| *a == core) {
                let full = std::mem::replace(&mut e.label, e.aliases.remove(i));
                e.aliases.push(full);
            }
        }
        e.aliases.sort();
        e.mentions.sort_unstable();
    }
    entities.sort_by(|a, b| (a.etype, &a.label).cmp(&(b.etype, &b.label)));
    entities
}

/// Whether two names of one type in one report name the same entity: a short form; the same
/// programme with or without its edition and generic head; the same project with or without
/// its project noun or with its kind of work abbreviated; two names of one gazetteer place.
fn same_entity(etype: EntityType, short: &str, long: &str, gazetteer: &Gazetteer) -> bool {
    // An abbreviated event (冬奥会) is a whole name, not a short form of another event
    // (冬残奥会).
    let abbreviated = EVENT_ABBREVIATION_HEADS.iter().any(|h| short.ends_with(h));
    if etype == EntityType::Programme && abbreviated && !long.starts_with(short) {
        return false;
    }
    if is_short_form(etype, short, long) {
        return true;
    }
    match etype {
        EntityType::Programme => {
            let (a, b) = (programme_core(short), programme_core(long));
            a.chars().count() >= 2 && a == b
        }
        // 青桐棚改 is 青桐棚改项目 and 青桐棚户区改造: the project noun adds nothing, and a
        // kind of work may be abbreviated.
        EntityType::Project => {
            let bare = |n: &str| {
                let mut n = n.to_owned();
                for (full, abbr) in WORK_ABBREVIATIONS {
                    n = n.replace(full, abbr);
                }
                for w in ["项目", "工程"] {
                    if let Some(b) = n.strip_suffix(w) {
                        n = b.to_owned();
                    }
                }
                n
            };
            let (a, b) = (bare(short), bare(long));
            a.chars().count() >= 2 && a == b
        }
        // Two names of one gazetteer place (中轴 and 中轴线) are one place.
        EntityType::Place => {
            let a = gazetteer.lookup(short);
            let b = gazetteer.lookup(long);
            a.len() == 1 && b.len() == 1 && a[0].iri == b[0].iri
        }
        EntityType::Organisation => false,
    }
}

/// Generic heads a programme name may carry or drop: "疏整促专项行动" is "疏整促",
/// "“百日安全”专项行动" is "百日安全", "金融街论坛年会" is "金融街论坛".
const PROGRAMME_TAILS: &[&str] = &[
    "专项行动",
    "行动",
    "计划",
    "机制",
    "建设",
    "改革",
    "工程",
    "品牌",
    "活动",
    "系列活动",
    "服务模式",
    "模式",
    "政策",
    "制度",
    "体系",
    "年会",
];

/// A programme name without its edition (2022…, 第十九届…, 首届…), quotes and generic head:
/// the editions of an event series and the short forms of a campaign share it.
pub fn programme_core(name: &str) -> &str {
    let mut s = name.trim_start_matches(|c: char| c.is_ascii_digit());
    s = s.strip_prefix('年').unwrap_or(s);
    if let Some(rest) = s.strip_prefix('第').and_then(|r| r.split_once('届')) {
        s = rest.1;
    }
    s = s.strip_prefix("首届").unwrap_or(s);
    s = s.trim_start_matches(['“', '"']);
    if let Some(t) = PROGRAMME_TAILS
        .iter()
        .find(|t| s.ends_with(**t) && s.len() > t.len())
    {
        s = &s[..s.len() - t.len()];
    }
    s.trim_end_matches(['”', '"'])
}

/// Whether `short` is a short form of `long` (same type).
pub fn is_short_form(etype: EntityType, short: &str, long: &str) -> bool {
    let (s, l): (Vec<char>, Vec<char>) = (short.chars().collect(), long.chars().collect());
    if s.len() < 2 || s.len() >= l.len() || is_enumeration(long) {
        return false;
    }
    if etype == EntityType::Place {
        return AREA_WORDS.iter().any(|w| {
            long.strip_suffix(w).is_some_and(|rest| {
                rest == short || rest.ends_with(short) && short.chars().count() >= 3
            })
        }) || long.ends_with(short) && s.len() >= 3;
    }
    // Same head (last character), same opening or a tail of the long name, and the short
    // name's characters in order inside the long one.
    let same_opening = s[0] == l[0] || long.ends_with(short) || (s[0] == '区' && l.contains(&'区'));
    s.last() == l.last() && same_opening && subsequence(&s, &l)
}

/// Whether a name lists several names ("A—B—C" corridors, "A、B"): a name inside it is
/// one of the items, not a short form of the whole.
fn is_enumeration(name: &str) -> bool {
    name.contains(['—', '－', '–', '-', '、'])
}

fn subsequence(s: &[char], l: &[char]) -> bool {
    let mut it = l.iter();
    s.iter().all(|c| it.any(|d| d == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms() {
        assert!(is_short_form(
            EntityType::Project,
            "青桐项目",
            "青桐棚改项目"
        ));
        assert!(is_short_form(
            EntityType::Organisation,
            "区政府",
            "北京市青山区人民政府"
        ));
        assert!(!is_short_form(
            EntityType::Organisation,
            "市政府",
            "北京市青山区人民政府"
        ));
        assert!(is_short_form(EntityType::Place, "青山", "青山区"));
        assert!(!is_short_form(EntityType::Place, "北京", "北京市青山区"));
        assert!(!is_short_form(EntityType::Place, "乙寺", "甲山—乙寺"));
        assert!(!is_short_form(EntityType::Place, "乙寺", "甲山、乙寺"));
    }

    fn same(etype: EntityType, short: &str, long: &str) -> bool {
        same_entity(etype, short, long, &Gazetteer::default())
    }

    #[test]
    fn editions_and_heads_of_one_programme() {
        let p = EntityType::Programme;
        assert!(same(p, "2022青山论坛年会", "2023青山论坛年会"));
        assert!(same(p, "青山论坛", "2023青山论坛年会"));
        assert!(same(p, "百日攻坚", "“百日攻坚”专项行动"));
        assert!(same(p, "白鹭奖", "第十届白鹭奖"));
        assert!(!same(p, "青山论坛", "白鹭论坛"));
        assert!(!same(p, "白鹭计划", "青禾计划"));
        assert!(same(EntityType::Project, "青桐棚改", "青桐棚改项目"));
        assert!(same(EntityType::Project, "青桐棚户区改造", "青桐棚改项目"));
        assert!(!same(EntityType::Project, "青桐二期", "青桐三期项目"));
    }
}
