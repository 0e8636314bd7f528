//! govkg: turn a folder of Chinese government reports into an RDF knowledge graph.
//!
//! Data flows one way: [`ingest`] (decode, clean) → [`extract`] (segment,
//! recognise, group) → [`relate`] (relations in a report) → [`resolve`] (one resource per
//! entity across reports, places linked to the [`gazetteer`]) → [`rdf`] (quads of the
//! [`vocab`] ontology) → [`store`] (Oxigraph) → [`queries`] / [`export`] / [`dot`].

pub mod dot;
pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod gazetteer;
pub mod geocheck;
pub mod geometry;
pub mod ingest;
pub mod pipeline;
pub mod queries;
pub mod rdf;
pub mod relate;
pub mod resolve;
pub mod serve;
pub mod store;
pub mod vocab;

pub use error::{Error, IngestError, Result};
