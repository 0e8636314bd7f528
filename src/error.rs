//! The library's error: one variant per stage, each a typed error of its own module.

use thiserror::Error;

/// Any error of the govkg library, by the stage it comes from.
#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Ingest(#[from] crate::ingest::IngestError),
    #[error(transparent)]
    Geo(#[from] crate::geo::GeoError),
    #[error(transparent)]
    Rdf(#[from] crate::rdf::RdfError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Query(#[from] crate::query::QueryError),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    #[error(transparent)]
    Gold(#[from] crate::scoring::GoldError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Library result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
