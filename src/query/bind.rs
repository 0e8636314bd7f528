//! Telling the optimiser which variables a query's parameters bind.
//!
//! Oxigraph binds a parameter by substituting the variable's value when evaluation starts,
//! after the query was planned: the planner, unaware, may start from a scan. So the value is
//! also joined in as a one-row `VALUES` table at the top of every (sub)query whose pattern
//! mentions the variable (and at the top of an ASK, CONSTRUCT or DESCRIBE pattern); the
//! planner then starts from the patterns the value makes selective (an index lookup of a
//! lookup key, a status, a type). Values are RDF terms in the algebra, never query text, so
//! no value can change the query's structure.

use oxigraph::model::{Term, Variable};
use spargebra::algebra::GraphPattern;
use spargebra::term::GroundTerm;
use spargebra::Query;

/// `query` with each variable of `bindings` bound to its values (one row each).
pub fn bind(query: Query, bindings: &[(Variable, Vec<Term>)]) -> Result<Query, String> {
    if bindings.is_empty() {
        return Ok(query);
    }
    let values = bindings
        .iter()
        .map(|(v, ts)| Ok((v.clone(), ts.iter().map(ground).collect::<Result<_, _>>()?)))
        .collect::<Result<Vec<_>, String>>()?;
    Ok(match query {
        Query::Select {
            dataset,
            pattern,
            base_iri,
        } => Query::Select {
            dataset,
            pattern: inject(pattern, &values),
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
            pattern: wrap_where(inject(pattern, &values), &values),
            base_iri,
        },
        Query::Describe {
            dataset,
            pattern,
            base_iri,
        } => Query::Describe {
            dataset,
            pattern: wrap_where(inject(pattern, &values), &values),
            base_iri,
        },
        Query::Ask {
            dataset,
            pattern,
            base_iri,
        } => Query::Ask {
            dataset,
            pattern: wrap_where(inject(pattern, &values), &values),
            base_iri,
        },
    })
}

fn ground(term: &Term) -> Result<GroundTerm, String> {
    match term {
        Term::NamedNode(n) => Ok(GroundTerm::NamedNode(n.clone())),
        Term::Literal(l) => Ok(GroundTerm::Literal(l.clone())),
        other => Err(format!("{other} cannot be a parameter value")),
    }
}

/// Whether `pattern` mentions `variable` anywhere (patterns, expressions, subqueries).
fn mentions(pattern: &GraphPattern, variable: &Variable) -> bool {
    let text = pattern.to_string();
    let needle = format!("?{}", variable.as_str());
    text.match_indices(&needle).any(|(i, _)| {
        text[i + needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
    })
}

/// `pattern` with the values of the variables it mentions (in patterns, filters or
/// expressions) joined in right above its WHERE group: below the modifiers (ORDER BY,
/// GROUP BY, projected expressions) and through filters and the required side of
/// OPTIONAL, where the optimiser can take them into its join order and filters see them.
fn wrap_where(pattern: GraphPattern, values: &[(Variable, Vec<GroundTerm>)]) -> GraphPattern {
    let used: Vec<&(Variable, Vec<GroundTerm>)> = values
        .iter()
        .filter(|(v, _)| mentions(&pattern, v))
        .collect();
    if used.is_empty() {
        pattern
    } else {
        descend(pattern, &used)
    }
}

fn descend(pattern: GraphPattern, used: &[&(Variable, Vec<GroundTerm>)]) -> GraphPattern {
    let go = |p: Box<GraphPattern>| Box::new(descend(*p, used));
    match pattern {
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner: go(inner),
            expression,
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: go(inner),
            variable,
            expression,
        },
        GraphPattern::Group {
            inner,
            variables,
            aggregates,
        } => GraphPattern::Group {
            inner: go(inner),
            variables,
            aggregates,
        },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
            expr,
            inner: go(inner),
        },
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => GraphPattern::LeftJoin {
            left: go(left),
            right,
            expression,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: go(inner) },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: go(inner) },
        group => used
            .iter()
            .fold(group, |inner, (variable, terms)| GraphPattern::Join {
                left: Box::new(GraphPattern::Values {
                    variables: vec![variable.clone()],
                    bindings: terms.iter().map(|t| vec![Some(t.clone())]).collect(),
                }),
                right: Box::new(inner),
            }),
    }
}

/// Injects the values under every projection (the top of the query and of subqueries).
fn inject(pattern: GraphPattern, values: &[(Variable, Vec<GroundTerm>)]) -> GraphPattern {
    let go = |p: Box<GraphPattern>| Box::new(inject(*p, values));
    match pattern {
        GraphPattern::Project { inner, variables } => GraphPattern::Project {
            inner: Box::new(wrap_where(inject(*inner, values), values)),
            variables,
        },
        GraphPattern::Join { left, right } => GraphPattern::Join {
            left: go(left),
            right: go(right),
        },
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => GraphPattern::LeftJoin {
            left: go(left),
            right: go(right),
            expression,
        },
        GraphPattern::Lateral { left, right } => GraphPattern::Lateral {
            left: go(left),
            right: go(right),
        },
        GraphPattern::Union { left, right } => GraphPattern::Union {
            left: go(left),
            right: go(right),
        },
        GraphPattern::Minus { left, right } => GraphPattern::Minus {
            left: go(left),
            right: go(right),
        },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
            expr,
            inner: go(inner),
        },
        GraphPattern::Graph { name, inner } => GraphPattern::Graph {
            name,
            inner: go(inner),
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: go(inner),
            variable,
            expression,
        },
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner: go(inner),
            expression,
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: go(inner) },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: go(inner) },
        GraphPattern::Slice {
            inner,
            start,
            length,
        } => GraphPattern::Slice {
            inner: go(inner),
            start,
            length,
        },
        GraphPattern::Group {
            inner,
            variables,
            aggregates,
        } => GraphPattern::Group {
            inner: go(inner),
            variables,
            aggregates,
        },
        GraphPattern::Service {
            name,
            inner,
            silent,
        } => GraphPattern::Service {
            name,
            inner: go(inner),
            silent,
        },
        leaf @ (GraphPattern::Bgp { .. }
        | GraphPattern::Path { .. }
        | GraphPattern::Values { .. }) => leaf,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;
    use spargebra::SparqlParser;

    #[test]
    fn values_reach_every_subquery_that_uses_the_variable() {
        let q = SparqlParser::new()
            .parse_query(
                "SELECT ?x ?n WHERE { { SELECT ?y WHERE { ?y <p:k> ?k FILTER(CONTAINS(?k, ?x)) } } \
                 ?y <p:n> ?n FILTER(?n > ?limit) }",
            )
            .expect("valid query");
        let bound = bind(
            q,
            &[
                (
                    Variable::new_unchecked("x"),
                    vec![Literal::from("a\" } DROP ALL {").into()],
                ),
                (
                    Variable::new_unchecked("limit"),
                    vec![Literal::from(3).into()],
                ),
            ],
        )
        .expect("binds");
        let text = bound.to_string();
        // At the top (both variables) and in the subquery, whose filter uses ?x.
        assert_eq!(text.matches("VALUES").count(), 3, "{text}");
        assert_eq!(text.matches("VALUES ( ?x )").count(), 2, "{text}");
        assert!(text.contains(r#""a\" } DROP ALL {""#), "{text}");
        assert!(SparqlParser::new().parse_query(&text).is_ok(), "{text}");
    }
}
