//! Namespaces, graph names and the prefix table: the one place they are written.

/// govkg's ontology namespace.
pub const ONT: &str = "https://w3id.org/govkg/ont#";
/// Namespace of resources minted from reports.
pub const ID: &str = "https://w3id.org/govkg/id/";
/// Namespace of gazetteer places.
pub const GAZ: &str = "https://w3id.org/govkg/gaz/";
/// Namespace of govkg's SPARQL extension functions.
pub const FN: &str = "https://w3id.org/govkg/fn#";
/// Named graph holding the ontology.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/govkg/graph/ontology";
/// Named graph holding the gazetteer.
pub const GAZETTEER_GRAPH: &str = "https://w3id.org/govkg/graph/gazetteer";
/// Named graph holding every entity-level fact, each written once.
pub const ENTITIES_GRAPH: &str = "https://w3id.org/govkg/graph/entities";

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
pub const PREFIXES: [(&str, &str); 16] = [
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
    ("geof", GEOF),
    ("gfn", FN),
    ("org", ORG),
    ("schema", SCHEMA),
    ("sh", SH),
];

/// `prefix:local` for IRIs in a known namespace, `<iri>` otherwise.
pub fn compact_iri(iri: &str) -> String {
    PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len())
        .map(|(p, ns)| format!("{p}:{}", &iri[ns.len()..]))
        .unwrap_or_else(|| format!("<{iri}>"))
}
