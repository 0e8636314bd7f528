//! Types shared by every stage: entity types, mentions and entities, relations, and the
//! compact record of a report that the build keeps after extraction. Nothing here depends
//! on another govkg module.

pub mod vocab;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The four entity types of the annotation guide: the one list of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityType {
    Project,
    Place,
    Programme,
    Organisation,
}

impl EntityType {
    /// All types, in a fixed order.
    pub const ALL: [EntityType; 4] = [
        EntityType::Project,
        EntityType::Place,
        EntityType::Programme,
        EntityType::Organisation,
    ];

    /// The name used in JSON output, gold files and ontology class names.
    pub fn name(self) -> &'static str {
        match self {
            Self::Project => "Project",
            Self::Place => "Place",
            Self::Programme => "Programme",
            Self::Organisation => "Organisation",
        }
    }

    /// Path segment of this type in entity IRIs (`id:project/…`).
    pub fn path(self) -> &'static str {
        match self {
            Self::Project => "project",
            Self::Place => "place",
            Self::Programme => "programme",
            Self::Organisation => "organisation",
        }
    }

    /// Parses a type name (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s))
    }
}

/// A sentence as a byte range of a report body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

/// One occurrence of an entity name in a report body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub etype: EntityType,
    /// The entity name this occurrence stands for (quotes and qualifiers dropped).
    pub label: String,
    /// Byte range in the report body.
    pub start: usize,
    pub end: usize,
    /// Index into the report's sentences.
    pub sentence: usize,
}

/// A distinct entity of one report, with all the names it goes by there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub etype: EntityType,
    /// The fullest name as written.
    pub label: String,
    /// Other names of the same entity in the report, sorted.
    pub aliases: Vec<String>,
    /// Indices into the report's mentions, in text order.
    pub mentions: Vec<usize>,
}

/// Everything extracted from one report body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Extraction {
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<Mention>,
    pub entities: Vec<Entity>,
}

/// Where a project stands, as one report tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    Planned,
    Started,
    UnderWay,
    Completed,
}

impl Status {
    /// All statuses, from plan to completion.
    pub const ALL: [Status; 4] = [
        Status::Planned,
        Status::Started,
        Status::UnderWay,
        Status::Completed,
    ];

    /// Local name of the status individual in the ontology.
    pub fn name(self) -> &'static str {
        match self {
            Self::Planned => "Planned",
            Self::Started => "Started",
            Self::UnderWay => "UnderWay",
            Self::Completed => "Completed",
        }
    }

    /// Parses a status name (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s))
    }
}

/// Kinds of relations between two entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RelationKind {
    /// Organisation → Place (落户, 入驻 …).
    SettledIn,
    /// Project → Place, from the project's name or its sentence.
    LocatedAt,
    /// Project or Programme → Organisation.
    RunBy,
}

impl RelationKind {
    /// Local name of the ontology property.
    pub fn property(self) -> &'static str {
        match self {
            Self::SettledIn => "settledIn",
            Self::LocatedAt => "locatedAt",
            Self::RunBy => "runBy",
        }
    }
}

/// An endpoint: an entity of the report, or a name that the report only implies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Target {
    pub etype: EntityType,
    pub label: String,
}

/// A relation with the sentence that supports it (`None`: implied by the report itself).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Relation {
    pub kind: RelationKind,
    pub subject: Target,
    pub object: Target,
    pub sentence: Option<usize>,
    /// The trigger word or reason, for explanations.
    pub via: String,
}

/// A status statement about a project.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StatusStatement {
    pub project: String,
    pub status: Status,
    /// The year the status holds in (the report's year, or the year before for a review).
    pub year: Option<i32>,
    pub sentence: usize,
    pub trigger: String,
}

/// A quantity attached to a project or programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub subject: Target,
    /// Value in `unit`, multipliers (万, 亿) applied.
    pub value: f64,
    pub unit: String,
    /// 余, 多, 约: the figure is approximate.
    pub approximate: bool,
    pub text: String,
    pub sentence: usize,
}

/// Everything related in one report.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Relations {
    pub relations: Vec<Relation>,
    pub statuses: Vec<StatusStatement>,
    pub quantities: Vec<Quantity>,
}

/// A mention as the graph keeps it: character offsets into the decoded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionRecord {
    pub etype: EntityType,
    pub label: String,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
}

/// What the build keeps of a report once its own quads are written: the names and
/// relations that need resolution across reports before they can become quads.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReportRecord {
    /// The report's identifier (its path under the input root, without extension).
    pub id: String,
    /// The government that presents the report (东城区人民政府), if known.
    pub creator: Option<String>,
    /// The report's year, if known.
    pub year: Option<i32>,
    /// Sentences found in the report.
    pub sentences: usize,
    pub mentions: Vec<MentionRecord>,
    /// Entities of the report as (type, label, aliases).
    pub entities: Vec<(EntityType, String, Vec<String>)>,
    pub relations: Relations,
}

impl ReportRecord {
    /// The names of one entity in this report, as resolution takes them: each entity with
    /// its aliases, the creator, and every relation endpoint.
    pub fn name_groups(&self) -> Vec<(EntityType, Vec<String>)> {
        let mut groups: Vec<(EntityType, Vec<String>)> = self
            .entities
            .iter()
            .map(|(t, label, aliases)| {
                let mut names = vec![label.clone()];
                names.extend(aliases.iter().cloned());
                (*t, names)
            })
            .collect();
        if let Some(c) = &self.creator {
            groups.push((EntityType::Organisation, vec![c.clone()]));
        }
        for r in &self.relations.relations {
            for t in [&r.subject, &r.object] {
                groups.push((t.etype, vec![t.label.clone()]));
            }
        }
        groups
    }
}

/// Characters stripped from both ends of a name before comparison.
const QUOTES: &[char] = &[
    '「', '」', '“', '”', '‘', '’', '《', '》', '"', '\'', ' ', '\u{3000}',
];

/// A name as compared by the annotation guide: NFKC, no white space, surrounding quotes
/// removed.
pub fn normalise(s: &str) -> String {
    let s: String = s.nfkc().filter(|c| !c.is_whitespace()).collect();
    s.trim_matches(QUOTES).to_owned()
}

/// The key a name is looked up by: normalised and lower-cased, so that a user's spelling
/// (full-width letters, spaces, quotes, case) finds the name as stored.
pub fn lookup_key(s: &str) -> String {
    normalise(s).to_lowercase()
}

/// The character pairs of a lookup key (`govkg:nameGram`): the index of part-of-name
/// lookups. A one-character key is its own gram.
pub fn grams(key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 2 {
        return chars.iter().map(char::to_string).collect();
    }
    let mut out: Vec<String> = chars.windows(2).map(|w| w.iter().collect()).collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_width_case_spaces_and_quotes() {
        assert_eq!(lookup_key(" “ＡＢＣ计划” "), "abc计划");
        assert_eq!(lookup_key("朝阳门SOHO"), lookup_key("朝阳门ｓｏｈｏ"));
        assert_eq!(EntityType::parse("place"), Some(EntityType::Place));
        assert_eq!(Status::parse("underway"), Some(Status::UnderWay));
        assert_eq!(grams("金宝街"), ["宝街", "金宝"]);
        assert_eq!(grams("街"), ["街"]);
    }
}
