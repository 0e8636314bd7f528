//! RDF: the vocabulary, the IRIs minted from reports, and the graph layout (which named
//! graph holds which quads; see [`layout`]).

pub mod layout;
pub mod vocab;

use crate::model::EntityType;
use oxigraph::model::{GraphName, NamedNode, Quad};
use vocab::{id, path_segments, ID};

/// Why static RDF (ontology, gazetteer) could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct RdfError {
    pub origin: String,
    pub message: String,
}

/// The ontology, compiled in so that a binary is self-contained.
pub const ONTOLOGY_TTL: &str = include_str!("../../ontology/govkg.ttl");

/// IRI of a report, from its identifier (a relative path: folders stay folders).
pub fn report_iri(report_id: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ID}report/{}", path_segments(report_id)))
}

/// IRI of a resource that belongs to one report (`kind` sentence, mention, status …):
/// `id:{kind}/{report path}/{local}`. `local` never holds a `/`, so the split is unique.
pub fn report_part_iri(kind: &str, report_id: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ID}{kind}/{}/{local}", path_segments(report_id)))
}

/// IRI of an entity: same type and label give the same IRI in every build.
pub fn entity_iri(etype: EntityType, label: &str) -> NamedNode {
    id(etype.path(), label)
}

/// The quads of a Turtle document, placed in `graph`.
pub fn turtle_quads(turtle: &str, graph: &str, origin: &str) -> Result<Vec<Quad>, RdfError> {
    let graph = GraphName::NamedNode(NamedNode::new_unchecked(graph));
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .map(|q| {
            q.map(|q| Quad::new(q.subject, q.predicate, q.object, graph.clone()))
                .map_err(|e| RdfError {
                    origin: origin.to_owned(),
                    message: e.to_string(),
                })
        })
        .collect()
}

/// Quads every store holds besides the reports: the ontology, and the gazetteer documents
/// given as (origin, Turtle).
pub fn static_quads<'a>(
    gazetteer: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<Quad>, RdfError> {
    let mut q = turtle_quads(ONTOLOGY_TTL, vocab::ONTOLOGY_GRAPH, "ontology/govkg.ttl")?;
    for (origin, ttl) in gazetteer {
        q.extend(turtle_quads(ttl, vocab::GAZETTEER_GRAPH, origin)?);
    }
    Ok(q)
}
