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
            pattern: inject(pattern, values, Level::Modifiers),
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
            pattern: inject(pattern, values, Level::Modifiers),
            base_iri,
        },
        Query::Describe {
            dataset,
            pattern,
            base_iri,
        } => Query::Describe {
            dataset,
            pattern: inject(pattern, values, Level::Modifiers),
            base_iri,
        },
        Query::Ask {
            dataset,
            pattern,
            base_iri,
        } => Query::Ask {
            dataset,
            pattern: inject(pattern, values, Level::Modifiers),
            base_iri,
        },
    })
}

/// Where [`inject`] is: in the query's solution modifiers (spargebra gives every query form
/// one top-level projection), or below them, where a projection or a slice starts a
/// sub-query, which must not receive the values.
#[derive(Clone, Copy, PartialEq)]
enum Level {
    Modifiers,
    Group,
}

/// Descends through solution modifiers and group-level operators, then joins `values`.
fn inject(pattern: GraphPattern, values: GraphPattern, level: Level) -> GraphPattern {
    let down =
        |inner: Box<GraphPattern>, next: Level| Box::new(inject(*inner, values.clone(), next));
    let modifiers = level == Level::Modifiers;
    match pattern {
        GraphPattern::Slice {
            inner,
            start,
            length,
        } if modifiers => GraphPattern::Slice {
            inner: down(inner, level),
            start,
            length,
        },
        GraphPattern::Distinct { inner } if modifiers => GraphPattern::Distinct {
            inner: down(inner, level),
        },
        GraphPattern::Reduced { inner } if modifiers => GraphPattern::Reduced {
            inner: down(inner, level),
        },
        GraphPattern::Project { inner, variables } if level == Level::Modifiers => {
            GraphPattern::Project {
                inner: down(inner, Level::Group),
                variables,
            }
        }
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner: down(inner, level),
            expression,
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: down(inner, Level::Group),
            variable,
            expression,
        },
        GraphPattern::Group {
            inner,
            variables,
            aggregates,
        } => GraphPattern::Group {
            inner: down(inner, Level::Group),
            variables,
            aggregates,
        },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
            expr,
            inner: down(inner, Level::Group),
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
                    ex("graph"), // queries see the union of the named graphs
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
    fn the_test_store_answers() {
        assert_eq!(count("SELECT ?s WHERE { ?s ?p ?o }", Vec::new()), 3);
        assert_eq!(
            count("SELECT ?s WHERE { ?s ?p ?o FILTER(?o <= 5) }", Vec::new()),
            2
        );
        assert_eq!(
            count(
                "SELECT ?s WHERE { VALUES ?max { 5 } ?s ?p ?o FILTER(?o <= ?max) }",
                Vec::new()
            ),
            2
        );
        assert_eq!(
            count(
                "SELECT ?s WHERE { ?s <http://example.com/n> ?o }",
                Vec::new()
            ),
            3
        );
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
        let sliced = "SELECT ?s WHERE { { SELECT ?s ?n WHERE { ?s <http://example.com/n> ?n } ORDER BY ?n LIMIT 2 } FILTER(?n <= ?max) }";
        assert_eq!(count(sliced, max()), 2);
        let ask = "ASK { { SELECT ?s (MIN(?n) AS ?m) WHERE { ?s <http://example.com/n> ?n } GROUP BY ?s } FILTER(?m > ?max) }";
        let prepared = prepare_bound(ask, "test", None, max()).expect("prepares");
        let result = queries::execute(&store(), prepared, Vec::new()).expect("runs");
        assert!(matches!(
            result,
            oxigraph::sparql::QueryResults::Boolean(true)
        ));
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
