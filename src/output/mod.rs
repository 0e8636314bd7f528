//! Output: exports of the whole graph ([`export`]), Graphviz DOT of the entity graph
//! ([`dot`]), and query results as tables and SPARQL result formats ([`table`]).

pub mod dot;
pub mod export;
pub mod table;

use crate::query::QueryError;

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("reading the store: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("writing: {0}")]
    Io(#[from] std::io::Error),
    #[error("entity `{0}` not found in the graph")]
    UnknownEntity(String),
}

impl From<oxigraph::sparql::QueryEvaluationError> for OutputError {
    fn from(e: oxigraph::sparql::QueryEvaluationError) -> Self {
        Self::Query(QueryError::Evaluation(e))
    }
}
