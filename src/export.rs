//! Exports of the whole graph. Turtle is written by sophia's pretty serializer (prefixes,
//! subjects grouped with `;` and `,`); N-Triples, N-Quads, TriG, JSON-LD and RDF/XML by
//! Oxigraph's own serializers. Output is sorted, so the same store gives the same bytes.

use crate::error::{Error, Result};
use crate::vocab::PREFIXES;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{Quad, Term, Triple};
use oxigraph::store::Store;
use sophia::api::prefix::Prefix;
use sophia::api::serializer::TripleSerializer;
use sophia::api::term::SimpleTerm;
use sophia::api::MownStr;
use sophia::iri::{Iri, IriRef};
use sophia::turtle::serializer::turtle::{TurtleConfig, TurtleSerializer};
use std::io::Write;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Turtle,
    Ntriples,
    Nquads,
    Trig,
    Jsonld,
    Rdfxml,
}

impl ExportFormat {
    /// The media type of this format.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Turtle => "text/turtle",
            Self::Ntriples => "application/n-triples",
            Self::Nquads => "application/n-quads",
            Self::Trig => "application/trig",
            Self::Jsonld => "application/ld+json",
            Self::Rdfxml => "application/rdf+xml",
        }
    }

    /// Whether the format keeps named graphs (report provenance graphs).
    pub fn has_graphs(self) -> bool {
        matches!(self, Self::Nquads | Self::Trig | Self::Jsonld)
    }
}

/// All quads of the store, sorted by their N-Quads form.
pub fn sorted_quads(store: &Store) -> Result<Vec<Quad>> {
    let mut quads = store.iter().collect::<std::result::Result<Vec<_>, _>>()?;
    quads.sort_by_cached_key(|q| q.to_string());
    Ok(quads)
}

/// All distinct triples of the store (graphs merged), sorted.
pub fn sorted_triples(store: &Store) -> Result<Vec<Triple>> {
    let mut triples: Vec<Triple> = store
        .iter()
        .map(|q| q.map(Triple::from))
        .collect::<std::result::Result<_, _>>()?;
    triples.sort_by_cached_key(|t| t.to_string());
    triples.dedup();
    Ok(triples)
}

/// Writes the whole graph in `format`.
pub fn export(store: &Store, format: ExportFormat, mut out: impl Write) -> Result<()> {
    match format {
        ExportFormat::Turtle => write_turtle(&sorted_triples(store)?, &mut out)?,
        ExportFormat::Ntriples | ExportFormat::Rdfxml => {
            let f = if format == ExportFormat::Ntriples {
                RdfFormat::NTriples
            } else {
                RdfFormat::RdfXml
            };
            let mut ser = with_prefixes(f).for_writer(&mut out);
            for t in sorted_triples(store)? {
                ser.serialize_triple(&t)?;
            }
            ser.finish()?;
        }
        ExportFormat::Nquads | ExportFormat::Trig | ExportFormat::Jsonld => {
            let f = match format {
                ExportFormat::Nquads => RdfFormat::NQuads,
                ExportFormat::Trig => RdfFormat::TriG,
                _ => RdfFormat::JsonLd {
                    profile: JsonLdProfileSet::empty(),
                },
            };
            let mut ser = with_prefixes(f).for_writer(&mut out);
            for q in sorted_quads(store)? {
                ser.serialize_quad(&q)?;
            }
            ser.finish()?;
        }
    }
    out.flush()?;
    Ok(())
}

fn with_prefixes(format: RdfFormat) -> RdfSerializer {
    let mut ser = RdfSerializer::from_format(format);
    if matches!(format, RdfFormat::TriG | RdfFormat::RdfXml) {
        for (p, ns) in PREFIXES {
            ser = ser.with_prefix(p, ns).expect("static prefixes are valid");
        }
    }
    ser
}

fn sophia_term(term: &Term) -> SimpleTerm<'static> {
    match term {
        Term::NamedNode(n) => {
            SimpleTerm::Iri(IriRef::new_unchecked(MownStr::from(n.as_str().to_owned())))
        }
        Term::BlankNode(b) => SimpleTerm::BlankNode(sophia::api::term::BnodeId::new_unchecked(
            MownStr::from(b.as_str().to_owned()),
        )),
        Term::Literal(l) => match l.language() {
            Some(lang) => SimpleTerm::LiteralLanguage(
                MownStr::from(l.value().to_owned()),
                sophia::api::term::LanguageTag::new_unchecked(MownStr::from(lang.to_owned())),
                None,
            ),
            None => SimpleTerm::LiteralDatatype(
                MownStr::from(l.value().to_owned()),
                IriRef::new_unchecked(MownStr::from(l.datatype().as_str().to_owned())),
            ),
        },
        #[allow(unreachable_patterns)]
        other => SimpleTerm::LiteralDatatype(
            MownStr::from(other.to_string()),
            IriRef::new_unchecked(MownStr::from("http://www.w3.org/2001/XMLSchema#string")),
        ),
    }
}

/// Pretty Turtle with govkg's prefixes, by sophia.
pub fn write_turtle(triples: &[Triple], out: &mut impl Write) -> Result<()> {
    let graph: Vec<[SimpleTerm<'static>; 3]> = triples
        .iter()
        .map(|t| {
            [
                sophia_term(&Term::from(t.subject.clone())),
                sophia_term(&Term::from(t.predicate.clone())),
                sophia_term(&t.object),
            ]
        })
        .collect();
    let prefixes = PREFIXES
        .iter()
        .map(|(p, ns)| {
            (
                Prefix::new_unchecked(Box::<str>::from(*p)),
                Iri::new_unchecked(Box::<str>::from(*ns)),
            )
        })
        .collect();
    let config = TurtleConfig::new()
        .with_pretty(true)
        .with_own_prefix_map(prefixes);
    let mut buf = Vec::new();
    TurtleSerializer::new_with_config(&mut buf, config)
        .serialize_graph(&graph)
        .map_err(|e| Error::Serialize(format!("turtle: {e}")))?;
    out.write_all(&buf)?;
    Ok(())
}
