//! Binding stored-query parameters into a parsed query.
//!
//! Oxigraph 0.5.13's `substitute_variable` only accepts variables of the `SELECT` projection,
//! while stored queries use their parameters inside the pattern (`FILTER(?d <= ?max_distance)`,
//! `?e a ?type`). So parameters are bound here on the parsed algebra instead: a one-row
//! `VALUES` block joined at the start of the outermost `WHERE` group (below the solution
//! modifiers, group-level `FILTER`s, `BIND`s, `GROUP BY` and select expressions), as if the
//! query had been written with `VALUES (?p …) { (term …) }` in its `WHERE`. Values are RDF
//! terms in the algebra, never text, so no value can change the query's structure.

use crate::error::{Error, Result};
use crate::queries::evaluator;
use crate::vocab::{self, PREFIXES};
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::{CancellationToken, PreparedSparqlQuery};
use spargebra::algebra::GraphPattern;
use spargebra::term::GroundTerm;
use spargebra::{Query, SparqlParser};

/// Parses `text` (govkg prefixes) and binds `bindings`; otherwise as [`crate::queries::prepare`]
/// (GeoSPARQL and govkg functions, union default graph unless the query has `FROM`).
pub fn prepare_bound(
    text: &str,
    origin: &str,
    cancel: Option<CancellationToken>,
    bindings: Vec<(Variable, Term)>,
) -> Result<PreparedSparqlQuery> {
    let syntax = |message: String| Error::QuerySyntax {
        origin: origin.to_owned(),
        message,
    };
    let mut parser = SparqlParser::new();
    let extra = [("geof", vocab::GEOF), ("gfn", crate::geometry::FN)];
    for (prefix, iri) in PREFIXES.iter().chain(extra.iter()) {
        parser = parser
            .with_prefix(*prefix, *iri)
            .map_err(|e| syntax(e.to_string()))?;
    }
    let query = parser
        .parse_query(text)
        .map_err(|e| syntax(e.to_string()))?;
    let query = bind(query, bindings)?;
    let mut ev = evaluator();
    if let Some(token) = cancel {
        ev = ev.with_cancellation_token(token);
    }
    let mut prepared = ev.for_query(query);
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    Ok(prepared)
}

/// Joins a one-row `VALUES` of `bindings` into the outermost group of `query`.
pub fn bind(query: Query, bindings: Vec<(Variable, Term)>) -> Result<Query> {
    if bindings.is_empty() {
        return Ok(query);
    }
    let mut variables = Vec::with_capacity(bindings.len());
    let mut row = Vec::with_capacity(bindings.len());
    for (variable, term) in bindings {
        let ground = match term {
            Term::NamedNode(n) => GroundTerm::NamedNode(n),
            Term::Literal(l) => GroundTerm::Literal(l),
            other => {
                return Err(Error::Parameter {
                    name: variable.as_str().to_owned(),
                    message: format!("cannot bind {other} (only IRIs and literals)"),
                })
            }
        };
        variables.push(variable);
        row.push(Some(ground));
    }
    let values = GraphPattern::Values {
        variables,
        bindings: vec![row],
    };
    Ok(match query {
        Query::Select {
            dataset,
            pattern,
            base_iri,
        } => Query::Select {
            dataset,
            pattern: inject(pattern, values),
            base_iri,
        },
        Query::Construct {
            template,
            dataset,
            pattern,
            base_iri,
        } => Query::Construct {
            template,
            dataset,
            pattern: inject(pattern, values),
            base_iri,
        },
        Query::Describe {
            dataset,
            pattern,
            base_iri,
        } => Query::Describe {
            dataset,
            pattern: inject(pattern, values),
            base_iri,
        },
        Query::Ask {
            dataset,
            pattern,
            base_iri,
        } => Query::Ask {
            dataset,
            pattern: inject(pattern, values),
            base_iri,
        },
    })
}

/// Descends through solution modifiers and group-level operators, then joins `values`.
fn inject(pattern: GraphPattern, values: GraphPattern) -> GraphPattern {
    let down = |inner: Box<GraphPattern>| Box::new(inject(*inner, values.clone()));
    match pattern {
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => GraphPattern::Slice {
            inner: down(inner),
            start,
            length,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: down(inner) },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: down(inner) },
        GraphPattern::Project { inner, variables } => GraphPattern::Project {
            inner: down(inner),
            variables,
        },
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner: down(inner),
            expression,
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: down(inner),
            variable,
            expression,
        },
        GraphPattern::Group {
            inner,
            variables,
            aggregates,
        } => GraphPattern::Group {
            inner: down(inner),
            variables,
            aggregates,
        },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
            expr,
            inner: down(inner),
        },
        other => GraphPattern::Join {
            left: Box::new(values),
            right: Box::new(other),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queries;
    use oxigraph::model::{Literal, NamedNode, Quad};
    use oxigraph::store::Store;

    fn store() -> Store {
        let store = Store::new().expect("memory store");
        let ex = |s: &str| NamedNode::new_unchecked(format!("http://example.com/{s}"));
        for (s, n) in [("a", 1), ("b", 5), ("c", 9)] {
            store
                .insert(&Quad::new(
                    ex(s),
                    ex("n"),
                    Literal::from(n),
                    oxigraph::model::GraphName::DefaultGraph,
                ))
                .expect("insert");
        }
        store
    }

    fn count(text: &str, bindings: Vec<(Variable, Term)>) -> usize {
        let prepared = prepare_bound(text, "test", None, bindings).expect("prepares");
        queries::collect(queries::execute(&store(), prepared, Vec::new()).expect("runs"))
            .expect("collects")
            .rows
            .len()
    }

    #[test]
    fn parameters_outside_the_projection_are_bound() {
        let max = || vec![(Variable::new_unchecked("max"), Literal::from(5).into())];
        let q = "SELECT ?s WHERE { ?s <http://example.com/n> ?n FILTER(?n <= ?max) } ORDER BY ?s";
        assert_eq!(count(q, max()), 2);
        let grouped = "SELECT (COUNT(*) AS ?c) WHERE { ?s <http://example.com/n> ?n FILTER(?n <= ?max) } GROUP BY ?max";
        assert_eq!(count(grouped, max()), 1);
        let sub = "SELECT ?s WHERE { { SELECT ?s (MIN(?n) AS ?m) WHERE { ?s <http://example.com/n> ?n } GROUP BY ?s } FILTER(?m <= ?max) } LIMIT 10";
        assert_eq!(count(sub, max()), 2);
    }

    #[test]
    fn values_with_sparql_text_stay_literals() {
        let evil = "\" } } ; DROP ALL ; SELECT * { ?s ?p ?o } #";
        let q = "SELECT ?s WHERE { ?s <http://example.com/n> ?n FILTER(STR(?n) = ?label) }";
        let b = vec![(
            Variable::new_unchecked("label"),
            Literal::new_simple_literal(evil).into(),
        )];
        assert_eq!(count(q, b), 0);
    }
}
