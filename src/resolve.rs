//! Entity resolution across reports: names of the same entity become one resource.
//!
//! Merging is conservative: two names merge only when they have the same *core* after
//! removing generic, meaning-preserving parts (a leading city or district name of an
//! organisation, a trailing 项目/工程/棚改 of a project, a leading year or edition of a
//! programme), or when the gazetteer lists both as names of one place, or when one report
//! uses them as aliases of one entity. Qualifiers that tell entities apart (二期, E座, 地块,
//! (东城段), numbers) are never removed, so 金隅环贸中心 and 金隅环贸中心E座 stay apart.

use crate::geo::Gazetteer;
use crate::ingest::BEIJING_DISTRICTS;
use crate::model::EntityType;
use regex::Regex;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// Why two names were merged.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Merge {
    pub etype: EntityType,
    pub label: String,
    pub canonical: String,
    pub reason: String,
}

/// The outcome of resolution: each (type, name) → its canonical name.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    canonical: BTreeMap<(EntityType, String), String>,
    /// Every name of each canonical entity, sorted.
    pub names: BTreeMap<(EntityType, String), BTreeSet<String>>,
    /// Names that were merged into another, with the reason.
    pub merges: Vec<Merge>,
}

impl Resolution {
    /// The canonical name of `label` (itself when it was not merged).
    pub fn canonical<'a>(&'a self, etype: EntityType, label: &'a str) -> &'a str {
        self.canonical
            .get(&(etype, label.to_owned()))
            .map(String::as_str)
            .unwrap_or(label)
    }
}

/// Leading parts of organisation names that only say where they are.
const ORG_PREFIXES: &[&str] = &["北京市", "北京", "中国", "首都"];
/// Trailing parts of project names that do not change which project it is.
const PROJECT_HEADS: &[&str] = &["项目", "工程", "棚户区改造", "棚改", "危旧房改造", "危改"];
/// Names too generic to be a core on their own.
const GENERIC: &[&str] = &[
    "医院",
    "学校",
    "中学",
    "小学",
    "大学",
    "学院",
    "公司",
    "集团",
    "银行",
    "中心",
    "项目",
    "工程",
    "地区",
    "街道",
    "公园",
    "人民政府",
    "政府",
    "市政府",
    "市委",
    "人大",
    "政协",
    "委员会",
];

static LEADING_EDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:19|20)\d\d年?|第[一二三四五六七八九十百\d]+届)")
        .expect("valid edition regex")
});

fn strip_prefix_any<'a>(s: &'a str, prefixes: &[&str]) -> &'a str {
    prefixes
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .filter(|rest| rest.chars().count() >= 2)
        .unwrap_or(s)
}

/// The part of a name that identifies the entity.
pub fn core(etype: EntityType, label: &str) -> String {
    let mut s = label.trim_matches(['“', '”', '"']);
    match etype {
        // Only the city: a district prefix tells bodies apart (东城区民政局, 西城区民政局).
        EntityType::Organisation => s = strip_prefix_any(s, ORG_PREFIXES),
        EntityType::Project => loop {
            let before = s;
            for h in PROJECT_HEADS {
                if let Some(rest) = s.strip_suffix(h) {
                    if rest.chars().count() >= 2 {
                        s = rest;
                    }
                }
            }
            if s == before {
                break;
            }
        },
        EntityType::Place => {
            s = strip_prefix_any(s, &["北京市", "北京"]);
            if let Some(rest) = s.strip_suffix("地区").filter(|r| r.chars().count() >= 2) {
                s = rest;
            }
            if BEIJING_DISTRICTS.contains(&s) {
                s = &s[..s.len() - "区".len()];
            }
        }
        EntityType::Programme => {
            if let Some(m) = LEADING_EDITION.find(s) {
                if s[m.end()..].chars().count() >= 2 {
                    s = &s[m.end()..];
                }
            }
        }
    }
    // A two-character organisation core (四中) is too ambiguous to merge on.
    let too_short = etype == EntityType::Organisation && s.chars().count() < 3 && s != label;
    if GENERIC.contains(&s) || too_short {
        label.to_owned()
    } else {
        s.to_owned()
    }
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, i: usize) -> usize {
        let p = self.0[i];
        if p == i {
            return i;
        }
        let r = self.find(p);
        self.0[i] = r;
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// Resolves entities given as (type, names of one entity in one report) groups.
pub fn resolve(
    groups: impl IntoIterator<Item = (EntityType, Vec<String>)>,
    gaz: &Gazetteer,
) -> Resolution {
    // Every distinct (type, name), with in-report alias links.
    let mut ids: BTreeMap<(EntityType, String), usize> = BTreeMap::new();
    let mut alias_links = Vec::new();
    for (etype, names) in groups {
        let mut first = None;
        for n in names {
            let next = ids.len();
            let id = *ids.entry((etype, n)).or_insert(next);
            match first {
                None => first = Some(id),
                Some(f) => alias_links.push((f, id)),
            }
        }
    }
    let keys: Vec<(EntityType, String)> = {
        let mut v = vec![None; ids.len()];
        for (k, &i) in &ids {
            v[i] = Some(k.clone());
        }
        v.into_iter().flatten().collect()
    };
    let mut uf = UnionFind((0..keys.len()).collect());
    let mut reason: BTreeMap<usize, String> = BTreeMap::new();
    // Same entity in one report.
    for (a, b) in alias_links {
        if uf.find(a) != uf.find(b) {
            uf.union(a, b);
            reason.insert(b, "alias in a report".to_owned());
        }
    }
    // Same core.
    let mut by_core: BTreeMap<(EntityType, String), usize> = BTreeMap::new();
    for (i, (t, label)) in keys.iter().enumerate() {
        let c = core(*t, label);
        match by_core.get(&(*t, c.clone())) {
            Some(&j) => {
                if uf.find(i) != uf.find(j) {
                    uf.union(i, j);
                    reason.entry(i).or_insert(format!("same core `{c}`"));
                }
            }
            None => {
                by_core.insert((*t, c), i);
            }
        }
    }
    // Names of one gazetteer place.
    for (i, (t, label)) in keys.iter().enumerate() {
        if *t != EntityType::Place {
            continue;
        }
        for place in gaz.lookup(label) {
            for other in &place.names {
                if let Some(&j) = ids.get(&(EntityType::Place, other.clone())) {
                    if j != i && uf.find(i) != uf.find(j) {
                        uf.union(i, j);
                        reason.insert(i.max(j), format!("gazetteer names of {}", place.label()));
                    }
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..keys.len() {
        let root = uf.find(i);
        groups.entry(root).or_default().push(i);
    }
    let mut res = Resolution::default();
    for members in groups.values() {
        let etype = keys[members[0]].0;
        let canonical = members
            .iter()
            .map(|&i| keys[i].1.as_str())
            .max_by(|a, b| a.chars().count().cmp(&b.chars().count()).then(b.cmp(a)))
            .unwrap_or_default()
            .to_owned();
        let names: BTreeSet<String> = members.iter().map(|&i| keys[i].1.clone()).collect();
        for &i in members {
            let label = &keys[i].1;
            res.canonical
                .insert((etype, label.clone()), canonical.clone());
            if *label != canonical {
                res.merges.push(Merge {
                    etype,
                    label: label.clone(),
                    canonical: canonical.clone(),
                    reason: reason
                        .get(&i)
                        .cloned()
                        .unwrap_or_else(|| "alias in a report".to_owned()),
                });
            }
        }
        res.names.insert((etype, canonical), names);
    }
    res.merges.sort();
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(etype: EntityType, a: &str, b: &str) -> bool {
        let res = resolve(
            [(etype, vec![a.to_owned()]), (etype, vec![b.to_owned()])],
            &Gazetteer::default(),
        );
        res.canonical(etype, a) == res.canonical(etype, b)
    }

    #[test]
    fn merges_what_is_one_entity() {
        assert!(merged(EntityType::Project, "望坛项目", "望坛棚改项目"));
        assert!(merged(
            EntityType::Project,
            "望坛棚户区改造",
            "望坛棚改项目"
        ));
        assert!(merged(EntityType::Organisation, "协和医院", "北京协和医院"));
        assert!(merged(
            EntityType::Programme,
            "2022东城消费季",
            "东城消费季"
        ));
        assert!(merged(EntityType::Place, "王府井地区", "王府井"));
        let res = resolve(
            [(
                EntityType::Project,
                vec!["望坛项目".to_owned(), "望坛棚改项目".to_owned()],
            )],
            &Gazetteer::default(),
        );
        assert_eq!(
            res.canonical(EntityType::Project, "望坛项目"),
            "望坛棚改项目"
        );
    }

    #[test]
    fn keeps_apart_what_differs() {
        assert!(!merged(
            EntityType::Place,
            "金隅环贸中心",
            "金隅环贸中心E座"
        ));
        assert!(!merged(
            EntityType::Project,
            "隆福寺项目二期",
            "隆福寺项目三期"
        ));
        assert!(!merged(
            EntityType::Project,
            "金鱼池二期西项目",
            "金鱼池二期东项目"
        ));
        assert!(!merged(
            EntityType::Organisation,
            "东城区人民政府",
            "西城区人民政府"
        ));
        assert!(!merged(
            EntityType::Organisation,
            "东城区民政局",
            "西城区民政局"
        ));
        assert!(!merged(EntityType::Organisation, "北京医院", "医院"));
        assert!(!merged(EntityType::Project, "钟楼修缮", "钟楼腾退"));
    }
}
