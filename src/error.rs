//! Typed errors of the govkg library.

use std::path::PathBuf;
use thiserror::Error;

/// Why one input file could not be read as a report.
#[derive(Debug, Error)]
pub enum IngestError {
    #[error("{path}: cannot read file: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: file is empty")]
    Empty { path: PathBuf },
    #[error("{path}: looks like a binary file, not text")]
    Binary { path: PathBuf },
    #[error("{path}: cannot decode as UTF-8, UTF-16 (with BOM) or GB18030")]
    Undecodable { path: PathBuf },
    #[error("{path}: no report text left after removing web boilerplate")]
    NoBody { path: PathBuf },
}

impl IngestError {
    /// The file this error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            Self::Io { path, .. }
            | Self::Empty { path }
            | Self::Binary { path }
            | Self::Undecodable { path }
            | Self::NoBody { path } => path,
        }
    }
}

/// Errors of the store, queries and exports.
#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("store at {path}: {message}")]
    Store { path: PathBuf, message: String },
    #[error("store: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    #[error("loading triples: {0}")]
    Loader(#[from] oxigraph::store::LoaderError),
    #[error("no store at {0}: run `govkg build` first")]
    NoStore(PathBuf),
    #[error("SPARQL syntax error in {origin}: {message}")]
    QuerySyntax { origin: String, message: String },
    #[error("query evaluation failed: {0}")]
    QueryEvaluation(#[from] oxigraph::sparql::QueryEvaluationError),
    #[error("unknown stored query `{0}` (see `govkg queries`)")]
    UnknownQuery(String),
    #[error("parameter `{name}`: {message}")]
    Parameter { name: String, message: String },
    #[error("{path}: {message}")]
    QueryFile { path: PathBuf, message: String },
    #[error("serialisation failed: {0}")]
    Serialize(String),
    #[error("{path}: {message}")]
    Gold { path: PathBuf, message: String },
    #[error("check file {path}: {message}")]
    CheckFile { path: PathBuf, message: String },
    #[error("entity `{0}` not found in the graph")]
    UnknownEntity(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Library result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
