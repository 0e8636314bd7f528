//! Extraction: sentences → mentions → entities, for the four entity types.

mod bodies;
mod boundary;
mod enumerate;
mod group;
mod lexicon;
mod quote;
mod recognise;
mod segment;
mod subject;
mod titles;
mod tokens;

pub use group::group_mentions;
pub use segment::{split_sentences, Sentence};

use serde::Serialize;

/// The four entity types of the annotation guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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

    /// Parses a type name (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s))
    }
}

/// One occurrence of an entity name in a report body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    pub etype: EntityType,
    /// The fullest name as written.
    pub label: String,
    /// Other names of the same entity in the report, sorted.
    pub aliases: Vec<String>,
    /// Indices into the report's mentions, in text order.
    pub mentions: Vec<usize>,
}

/// A candidate mention inside one sentence (byte offsets into the sentence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub etype: EntityType,
    pub label: String,
    pub start: usize,
    pub end: usize,
}

impl Found {
    /// The candidate of type `etype` named by `sentence[start..end]`.
    pub(crate) fn span(etype: EntityType, sentence: &str, start: usize, end: usize) -> Self {
        Self {
            etype,
            label: sentence[start..end].to_owned(),
            start,
            end,
        }
    }
}

/// Everything extracted from one report body.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<Mention>,
    pub entities: Vec<Entity>,
}

/// The extractor: segmenter, lexicons and gazetteer, built once and shared across reports.
pub struct Extractor {
    recogniser: recognise::Recogniser,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

impl Extractor {
    /// Loads the segmenter dictionary and lexicons.
    pub fn new() -> Self {
        Self {
            recogniser: recognise::Recogniser::new(),
        }
    }

    /// Extracts sentences, mentions and entities from a report body.
    pub fn extract(&self, body: &str) -> Extraction {
        let sentences = split_sentences(body);
        let mut mentions = Vec::new();
        for (i, s) in sentences.iter().enumerate() {
            for m in self.recogniser.recognise(&body[s.start..s.end]) {
                mentions.push(Mention {
                    etype: m.etype,
                    label: m.label,
                    start: s.start + m.start,
                    end: s.start + m.end,
                    sentence: i,
                });
            }
        }
        let entities = group_mentions(&mentions);
        Extraction {
            sentences,
            mentions,
            entities,
        }
    }
}
