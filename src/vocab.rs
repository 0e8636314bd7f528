//! Vocabulary: the IRIs of govkg's ontology and of the standard vocabularies it reuses.

use oxigraph::model::NamedNode;

/// govkg's ontology namespace.
pub const ONT: &str = "https://w3id.org/govkg/ont#";
/// Namespace of resources minted from reports.
pub const ID: &str = "https://w3id.org/govkg/id/";
/// Namespace of gazetteer places.
pub const GAZ: &str = "https://w3id.org/govkg/gaz/";
/// Named graph holding the ontology.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/govkg/graph/ontology";
/// Named graph holding the gazetteer.
pub const GAZETTEER_GRAPH: &str = "https://w3id.org/govkg/graph/gazetteer";
/// Named graph holding cross-report facts (resolution, build metadata).
pub const DERIVED_GRAPH: &str = "https://w3id.org/govkg/graph/derived";

pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const GEO: &str = "http://www.opengis.net/ont/geosparql#";
pub const GEOF: &str = "http://www.opengis.net/def/function/geosparql/";
pub const ORG: &str = "http://www.w3.org/ns/org#";
pub const SCHEMA: &str = "https://schema.org/";
pub const SH: &str = "http://www.w3.org/ns/shacl#";

/// Prefixes used in exports and accepted in queries, in a fixed order.
pub const PREFIXES: [(&str, &str); 14] = [
    ("govkg", ONT),
    ("id", ID),
    ("gaz", GAZ),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("owl", OWL),
    ("xsd", XSD),
    ("skos", SKOS),
    ("dcterms", DCTERMS),
    ("prov", PROV),
    ("geo", GEO),
    ("org", ORG),
    ("schema", SCHEMA),
    ("sh", SH),
];

/// A term of govkg's ontology.
pub fn ont(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ONT}{local}"))
}

/// A term of a standard namespace.
pub fn term(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

/// Makes a label safe as an IRI path segment while keeping Chinese readable.
///
/// Letters and digits of any script stay as they are; everything else is percent-encoded,
/// so the mapping is injective and the same label always gives the same IRI.
pub fn iri_segment(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '~') {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// IRI of a resource minted from reports: `id:{kind}/{segment}`.
pub fn id(kind: &str, label: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ID}{kind}/{}", iri_segment(label)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_readable_and_safe() {
        assert_eq!(iri_segment("望坛棚改项目"), "望坛棚改项目");
        assert_eq!(iri_segment("A B/“x”"), "A%20B%2F%E2%80%9Cx%E2%80%9D");
        assert!(
            NamedNode::new(format!("{ID}place/{}", iri_segment("王府井“T”字区域 <x>"))).is_ok()
        );
    }
}
