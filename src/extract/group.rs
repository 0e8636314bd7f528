//! Grouping mentions of one report into distinct entities with aliases.
//!
//! Mentions group by type and label; then a shorter label joins a longer one of the same type
//! when it is a short form of it: the same head with words left out (望坛项目 → 望坛棚改项目,
//! 区政府 → 北京市东城区人民政府), or a place name without its generic area word
//! (王府井 → 王府井地区, 东城 → 东城区).

use super::{Entity, EntityType, Mention};
use std::collections::BTreeMap;

/// Generic area words a place name may carry or drop.
const AREA_WORDS: &[&str] = &["区", "市", "地区", "片区", "街区", "商圈", "区域", "园区"];

/// Groups mentions into entities; each entity's label is its longest name.
pub fn group_mentions(mentions: &[Mention]) -> Vec<Entity> {
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
            .find(|e| e.etype == etype && is_short_form(etype, label, &e.label))
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
        e.aliases.sort();
        e.mentions.sort_unstable();
    }
    entities.sort_by(|a, b| (a.etype, &a.label).cmp(&(b.etype, &b.label)));
    entities
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
}
