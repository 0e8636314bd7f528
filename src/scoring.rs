//! Scoring extraction against gold entity sets, by the rules of the annotation guide
//! (the same figures as the reference `score.py`).

pub use crate::model::normalise;
use crate::model::EntityType;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Why a gold folder could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct GoldError {
    pub path: PathBuf,
    pub message: String,
}

/// One predicted or gold entity line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Labelled {
    pub doc: String,
    #[serde(rename = "type")]
    pub etype: String,
    pub label: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Equal, or one contains the other and the shorter has ≥ 2 characters and ≥ half the length.
pub fn loose_match(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    let (short, long, ls, ll) = if la <= lb {
        (a, b, la, lb)
    } else {
        (b, a, lb, la)
    };
    ls >= 2 && long.contains(short) && 2 * ls >= ll
}

/// Gold entities per document: (type, names) with duplicates sharing a name merged.
pub type Gold = BTreeMap<String, Vec<(String, Vec<String>)>>;

/// The records of every `*.jsonl` file of a gold folder, in file and line order; a line
/// that does not parse is an error naming its file and line.
pub fn gold_lines<T: serde::de::DeserializeOwned>(dir: &Path) -> Result<Vec<T>, GoldError> {
    let error = |path: &Path, message: String| GoldError {
        path: path.to_owned(),
        message,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| error(dir, e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| error(&f, e.to_string()))?;
        for (n, line) in text.lines().enumerate() {
            if !line.trim().is_empty() {
                let record = serde_json::from_str(line)
                    .map_err(|e| error(&f, format!("line {}: {e}", n + 1)))?;
                out.push(record);
            }
        }
    }
    Ok(out)
}

/// Reads every `*.jsonl` file of a gold folder.
pub fn load_gold(dir: &Path) -> Result<Gold, GoldError> {
    let mut gold: Gold = BTreeMap::new();
    for r in gold_lines::<Labelled>(dir)? {
        let names: Vec<String> = std::iter::once(&r.label)
            .chain(&r.aliases)
            .map(|s| normalise(s))
            .collect();
        let ents = gold.entry(r.doc).or_default();
        match ents
            .iter_mut()
            .find(|(t, ns)| *t == r.etype && ns.iter().any(|x| names.contains(x)))
        {
            Some((_, ns)) => {
                for x in names {
                    if !ns.contains(&x) {
                        ns.push(x);
                    }
                }
            }
            None => ents.push((r.etype, names)),
        }
    }
    Ok(gold)
}

/// Matched, predicted and gold counts.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub pred: usize,
    pub gold: usize,
}

impl Counts {
    /// Precision, recall and F1.
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = if self.pred > 0 {
            self.tp as f64 / self.pred as f64
        } else {
            0.0
        };
        let r = if self.gold > 0 {
            self.tp as f64 / self.gold as f64
        } else {
            0.0
        };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

/// Per-type and micro-averaged counts.
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub by_type: BTreeMap<String, Counts>,
    pub micro: Counts,
}

/// Scores predictions against gold; only documents in the gold set count.
pub fn score(gold: &Gold, predictions: &[Labelled]) -> Scores {
    let mut by_doc: BTreeMap<&str, BTreeMap<&str, BTreeSet<String>>> = BTreeMap::new();
    for p in predictions {
        by_doc
            .entry(p.doc.as_str())
            .or_default()
            .entry(p.etype.as_str())
            .or_default()
            .insert(normalise(&p.label));
    }
    let mut by_type: BTreeMap<String, Counts> = EntityType::ALL
        .iter()
        .map(|t| (t.name().to_owned(), Counts::default()))
        .collect();
    for (doc, ents) in gold {
        for t in EntityType::ALL {
            let g: Vec<&Vec<String>> = ents
                .iter()
                .filter(|(tt, _)| tt == t.name())
                .map(|(_, ns)| ns)
                .collect();
            let empty = BTreeSet::new();
            let preds = by_doc
                .get(doc.as_str())
                .and_then(|m| m.get(t.name()))
                .unwrap_or(&empty);
            // Longest first (ties by text, for determinism); exact/alias matches, then loose.
            let mut ps: Vec<&String> = preds.iter().collect();
            ps.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
            let mut used = vec![false; g.len()];
            let mut tp = 0;
            for phase in 0..2 {
                let mut rest = Vec::new();
                for p in ps {
                    let hit = (0..g.len()).find(|&i| {
                        !used[i]
                            && if phase == 0 {
                                g[i].contains(p)
                            } else {
                                g[i].iter().any(|n| loose_match(p, n))
                            }
                    });
                    match hit {
                        Some(i) => {
                            used[i] = true;
                            tp += 1;
                        }
                        None => rest.push(p),
                    }
                }
                ps = rest;
            }
            let c = by_type.get_mut(t.name()).expect("all types present");
            c.tp += tp;
            c.pred += preds.len();
            c.gold += g.len();
        }
    }
    let micro = by_type.values().fold(Counts::default(), |a, c| Counts {
        tp: a.tp + c.tp,
        pred: a.pred + c.pred,
        gold: a.gold + c.gold,
    });
    Scores { by_type, micro }
}

/// The score table in the reference scorer's layout.
pub fn format_scores(s: &Scores) -> String {
    let mut out = String::new();
    let rows = EntityType::ALL
        .iter()
        .map(|t| (t.name(), s.by_type[t.name()]))
        .chain(std::iter::once(("micro", s.micro)));
    for (name, c) in rows {
        let (p, r, f) = c.prf();
        out.push_str(&format!(
            "{name:13} P={p:.3} R={r:.3} F1={f:.3}  (tp={} pred={} gold={})\n",
            c.tp, c.pred, c.gold
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_and_loose_rule() {
        assert_eq!(normalise(" “硅巷” "), "硅巷");
        assert_eq!(normalise("（东城段）"), "(东城段)");
        assert!(loose_match("望坛棚改", "望坛棚改项目"));
        assert!(!loose_match("望坛", "望坛棚改项目"));
        assert!(loose_match("坛", "坛"));
        assert!(!loose_match("坛", "天坛"));
    }
}
