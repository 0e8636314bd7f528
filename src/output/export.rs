//! Exports of the whole graph, streamed from the store by Oxigraph's serializers: N-Quads,
//! TriG and JSON-LD keep one named graph per report (and the entities, gazetteer and
//! ontology graphs); Turtle, N-Triples and RDF/XML merge them. Quads come in the store's
//! index order (graph, then subject), which depends only on the store's content: the same
//! reports give the same bytes, and memory does not grow with the store.

use super::OutputError;
use crate::model::vocab::PREFIXES;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::Triple;
use oxigraph::store::Store;
use std::io::Write;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ExportFormat {
    Turtle,
    Ntriples,
    Nquads,
    Trig,
    Jsonld,
    Rdfxml,
}

impl ExportFormat {
    /// All formats.
    pub const ALL: [ExportFormat; 6] = [
        Self::Turtle,
        Self::Ntriples,
        Self::Nquads,
        Self::Trig,
        Self::Jsonld,
        Self::Rdfxml,
    ];

    /// Oxigraph's format of this export.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::Ntriples => RdfFormat::NTriples,
            Self::Nquads => RdfFormat::NQuads,
            Self::Trig => RdfFormat::TriG,
            Self::Jsonld => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            Self::Rdfxml => RdfFormat::RdfXml,
        }
    }

    /// The media type of this format.
    pub fn media_type(self) -> &'static str {
        self.rdf_format().media_type()
    }

    /// The usual file extension of this format.
    pub fn extension(self) -> &'static str {
        self.rdf_format().file_extension()
    }

    /// Whether named graphs are kept (else the graphs are merged).
    pub fn keeps_graphs(self) -> bool {
        self.rdf_format().supports_datasets()
    }
}

/// Writes the whole graph in `format`.
pub fn export(store: &Store, format: ExportFormat, mut out: impl Write) -> Result<(), OutputError> {
    let mut ser = RdfSerializer::from_format(format.rdf_format());
    if !matches!(format, ExportFormat::Ntriples | ExportFormat::Nquads) {
        for (p, ns) in PREFIXES {
            ser = ser
                .with_prefix(p, ns)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
        }
    }
    let mut w = ser.for_writer(&mut out);
    for quad in store.iter() {
        let quad = quad?;
        if format.keeps_graphs() {
            w.serialize_quad(&quad)?;
        } else {
            w.serialize_triple(&Triple::from(quad))?;
        }
    }
    w.finish()?;
    out.flush()?;
    Ok(())
}
