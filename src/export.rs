//! Exports of the whole graph. JSON-LD is written by sophia (expanded form, one `@graph`
//! per report graph); Turtle, N-Triples, N-Quads, TriG and RDF/XML by Oxigraph's streaming
//! serializers, fed sorted triples so that Turtle groups each subject's triples with `;` and
//! `,` under the govkg prefixes. (sophia's pretty Turtle writer was tried first: it scans the
//! whole graph once per subject, 12 s for 25 000 triples, so it does not scale to real
//! corpora.) Output is sorted, so the same store gives the same bytes.

use crate::error::{Error, Result};
use crate::vocab::PREFIXES;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, Quad, Term, Triple};
use oxigraph::store::Store;
use sophia::api::serializer::QuadSerializer;
use sophia::api::term::SimpleTerm;
use sophia::api::MownStr;
use sophia::iri::IriRef;
use sophia::jsonld::{JsonLdOptions, JsonLdSerializer};
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
        ExportFormat::Jsonld => write_jsonld(&sorted_quads(store)?, &mut out)?,
        ExportFormat::Turtle | ExportFormat::Ntriples | ExportFormat::Rdfxml => {
            let f = match format {
                ExportFormat::Turtle => RdfFormat::Turtle,
                ExportFormat::Ntriples => RdfFormat::NTriples,
                _ => RdfFormat::RdfXml,
            };
            let mut ser = with_prefixes(f).for_writer(&mut out);
            for t in sorted_triples(store)? {
                ser.serialize_triple(&t)?;
            }
            ser.finish()?;
        }
        ExportFormat::Nquads | ExportFormat::Trig => {
            let f = if format == ExportFormat::Nquads {
                RdfFormat::NQuads
            } else {
                RdfFormat::TriG
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
    if matches!(
        format,
        RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::RdfXml
    ) {
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

/// JSON-LD (expanded, named graphs kept), by sophia.
pub fn write_jsonld(quads: &[Quad], out: &mut impl Write) -> Result<()> {
    let dataset: Vec<([SimpleTerm<'static>; 3], Option<SimpleTerm<'static>>)> = quads
        .iter()
        .map(|q| {
            let graph = match &q.graph_name {
                GraphName::NamedNode(n) => Some(sophia_term(&Term::from(n.clone()))),
                GraphName::BlankNode(b) => Some(sophia_term(&Term::from(b.clone()))),
                GraphName::DefaultGraph => None,
            };
            (
                [
                    sophia_term(&Term::from(q.subject.clone())),
                    sophia_term(&Term::from(q.predicate.clone())),
                    sophia_term(&q.object),
                ],
                graph,
            )
        })
        .collect();
    let options = JsonLdOptions::new().with_spaces(1);
    let mut buf = Vec::new();
    JsonLdSerializer::new_with_options(&mut buf, options)
        .serialize_dataset(&dataset)
        .map_err(|e| Error::Serialize(format!("JSON-LD: {e}")))?;
    out.write_all(&buf)?;
    out.write_all(b"\n")?;
    Ok(())
}
