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
pub use segment::split_sentences;

use crate::geo::Gazetteer;
pub use crate::model::{Entity, EntityType, Extraction, Mention, Sentence};
use std::sync::Arc;

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

/// The extractor: segmenter, lexicons and gazetteer, built once and shared across reports.
pub struct Extractor {
    recogniser: recognise::Recogniser,
}

impl Extractor {
    /// Loads the segmenter dictionary and lexicons; gazetteer names join the dictionary.
    pub fn new(gazetteer: Arc<Gazetteer>) -> Self {
        Self {
            recogniser: recognise::Recogniser::new(gazetteer),
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
        let entities = group_mentions(&mentions, self.recogniser.gazetteer());
        Extraction {
            sentences,
            mentions,
            entities,
        }
    }
}
