//! govkg: turn a folder of Chinese government reports into an RDF knowledge graph.
//!
//! Data flows one way, and each stage imports only those before it:
//! [`model`] (shared types) → [`ingest`] (decode, clean) → [`extract`] (segment,
//! recognise, group) → [`relate`] (relations in a report) and [`resolve`] (one entity
//! across reports) → [`aggregate`] (entity facts across reports) → [`rdf`] (vocabulary,
//! IRIs, graph layout) → [`store`] (Oxigraph) → [`query`] (catalogue, parameters,
//! evaluation) → [`output`] (export, DOT, tables) and [`serve`]. [`geo`] (gazetteer,
//! geometry, checks) is passed to the stages that need it. Only [`pipeline`] knows every
//! stage; [`scoring`] compares extraction with gold sets.

pub mod aggregate;
pub mod error;
pub mod extract;
pub mod geo;
pub mod ingest;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod query;
pub mod rdf;
pub mod relate;
pub mod resolve;
pub mod scoring;
pub mod serve;
pub mod store;

pub use error::{Error, Result};
