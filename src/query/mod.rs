//! Queries: the stored-query catalogue and its typed parameters ([`catalogue`]), and
//! evaluation with govkg's prefixes and functions ([`run`]).

pub mod bind;
pub mod catalogue;
pub mod guard;
pub mod run;

pub use catalogue::{catalogue, Bindings, Lookup, Param, ParamKind, StoredQuery};
pub use run::{collect, evaluator, execute, explain, matches, prepare, resolve, Bound, Table};

use std::path::PathBuf;

/// Why a query could not be found, bound, parsed or evaluated.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("SPARQL syntax error in {origin}: {message}")]
    Syntax { origin: String, message: String },
    #[error("{origin} is too complex: {message}")]
    TooComplex { origin: String, message: String },
    #[error("query evaluation failed: {0}")]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
    #[error("unknown stored query `{0}` (see `govkg queries`)")]
    UnknownQuery(String),
    #[error("parameter `{name}`: {message}")]
    Parameter { name: String, message: String },
    #[error("{path}: {message}")]
    QueryFile { path: PathBuf, message: String },
}
