//! Telling the optimiser which variables a query's parameters bind.
//!
//! Oxigraph binds a parameter by substituting the variable's value when evaluation starts,
//! after the query was planned: the planner, unaware, may start from a scan, and filters on
//! the parameter wait until every join is done. So before planning:
//! - in expressions (FILTER, BIND, OPTIONAL conditions, EXISTS), a parameter with one value
//!   becomes that constant: a filter such as `?d <= ?max_distance` then runs as soon as `?d`
//!   is bound;
//! - where a triple pattern uses the variable, its values are joined in as a `VALUES` table
//!   right above the WHERE group of that (sub)query: the planner then starts from the
//!   patterns the values make selective (an index lookup of a lookup key, a status, an
//!   entity).
//!
//! Values are RDF terms in the algebra, never query text, so no value can change the
//! query's structure.

use oxigraph::model::{Term, Variable};
use spargebra::algebra::{Expression, GraphPattern, OrderExpression};
use spargebra::term::{GroundTerm, NamedNodePattern, TermPattern};
use spargebra::Query;

/// A variable and its values (one row each).
type Values = (Variable, Vec<GroundTerm>);

/// `query` with each variable of `bindings` bound to its values.
pub fn bind(query: Query, bindings: &[(Variable, Vec<Term>)]) -> Result<Query, String> {
    if bindings.is_empty() {
        return Ok(query);
    }
    let values = bindings
        .iter()
        .map(|(v, ts)| Ok((v.clone(), ts.iter().map(ground).collect::<Result<_, _>>()?)))
        .collect::<Result<Vec<Values>, String>>()?;
    let constants: Vec<(Variable, GroundTerm)> = values
        .iter()
        .filter_map(|(v, ts)| match ts.as_slice() {
            [t] => Some((v.clone(), t.clone())),
            _ => None,
        })
        .collect();
    let prepare = |pattern: GraphPattern| inject(inline(pattern, &constants), &values);
    let top = |pattern: GraphPattern| wrap_where(prepare(pattern), &values);
    Ok(match query {
        Query::Select {
            dataset,
            pattern,
            base_iri,
        } => Query::Select {
            dataset,
            pattern: prepare(pattern),
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
            pattern: top(pattern),
            base_iri,
        },
        Query::Describe {
            dataset,
            pattern,
            base_iri,
        } => Query::Describe {
            dataset,
            pattern: top(pattern),
            base_iri,
        },
        Query::Ask {
            dataset,
            pattern,
            base_iri,
        } => Query::Ask {
            dataset,
            pattern: top(pattern),
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

/// Whether `variable` is a subject, predicate, object or graph of a pattern in `pattern`
/// (subqueries included, expressions not).
fn in_patterns(pattern: &GraphPattern, variable: &Variable) -> bool {
    let term = |t: &TermPattern| matches!(t, TermPattern::Variable(v) if v == variable);
    let named = |n: &NamedNodePattern| matches!(n, NamedNodePattern::Variable(v) if v == variable);
    match pattern {
        GraphPattern::Bgp { patterns } => patterns
            .iter()
            .any(|p| term(&p.subject) || named(&p.predicate) || term(&p.object)),
        GraphPattern::Path {
            subject, object, ..
        } => term(subject) || term(object),
        GraphPattern::Graph { name, inner } => named(name) || in_patterns(inner, variable),
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            in_patterns(left, variable) || in_patterns(right, variable)
        }
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. }
        | GraphPattern::Service { inner, .. } => in_patterns(inner, variable),
        GraphPattern::Values { .. } => false,
    }
}

/// `pattern` with the values of the variables its triple patterns use joined in right
/// above its WHERE group: below the modifiers (ORDER BY, GROUP BY, projected expressions)
/// and through filters, GRAPH and the required side of OPTIONAL, where the optimiser takes
/// them into its join order.
fn wrap_where(pattern: GraphPattern, values: &[Values]) -> GraphPattern {
    let used: Vec<&Values> = values
        .iter()
        .filter(|(v, _)| in_patterns(&pattern, v))
        .collect();
    if used.is_empty() {
        pattern
    } else {
        descend(pattern, &used)
    }
}

/// Joins the values in as deep as they can go: down through modifiers, filters and GRAPH,
/// into the one side of a join (or the required side of OPTIONAL) whose patterns use them,
/// so that they meet those patterns in one group of the planner.
fn descend(pattern: GraphPattern, used: &[&Values]) -> GraphPattern {
    if used.is_empty() {
        return pattern;
    }
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
        GraphPattern::Graph { name, inner } => GraphPattern::Graph {
            name,
            inner: go(inner),
        },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: go(inner) },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: go(inner) },
        GraphPattern::Join { left, right } => {
            let (l, r, here) = split(used, &left, Some(&right));
            join_values(
                GraphPattern::Join {
                    left: Box::new(descend(*left, &l)),
                    right: Box::new(descend(*right, &r)),
                },
                &here,
            )
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            let (l, _, here) = split(used, &left, None);
            join_values(
                GraphPattern::LeftJoin {
                    left: Box::new(descend(*left, &l)),
                    right,
                    expression,
                },
                &here,
            )
        }
        group => join_values(group, used),
    }
}

/// Which values go into the left side, which into the right (none when `right` is None:
/// the optional side of OPTIONAL takes none), and which stay at the join.
fn split<'a>(
    used: &[&'a Values],
    left: &GraphPattern,
    right: Option<&GraphPattern>,
) -> (Vec<&'a Values>, Vec<&'a Values>, Vec<&'a Values>) {
    let (mut l, mut r, mut here) = (Vec::new(), Vec::new(), Vec::new());
    for v in used {
        let in_left = in_patterns(left, &v.0);
        let in_right = right.is_some_and(|p| in_patterns(p, &v.0));
        match (in_left, in_right) {
            (true, false) => l.push(*v),
            (false, true) => r.push(*v),
            _ => here.push(*v),
        }
    }
    (l, r, here)
}

/// `pattern` joined with one VALUES table per variable.
fn join_values(pattern: GraphPattern, used: &[&Values]) -> GraphPattern {
    used.iter()
        .fold(pattern, |inner, (variable, terms)| GraphPattern::Join {
            left: Box::new(GraphPattern::Values {
                variables: vec![variable.clone()],
                bindings: terms.iter().map(|t| vec![Some(t.clone())]).collect(),
            }),
            right: Box::new(inner),
        })
}

/// Injects the values under every projection (the top of the query and of subqueries).
fn inject(pattern: GraphPattern, values: &[Values]) -> GraphPattern {
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

/// `pattern` with the constants in place of their variables in every expression.
fn inline(pattern: GraphPattern, constants: &[(Variable, GroundTerm)]) -> GraphPattern {
    if constants.is_empty() {
        return pattern;
    }
    let go = |p: Box<GraphPattern>| Box::new(inline(*p, constants));
    let ex = |e: Expression| inline_expression(e, constants);
    match pattern {
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter {
            expr: ex(expr),
            inner: go(inner),
        },
        GraphPattern::Extend {
            inner,
            variable,
            expression,
        } => GraphPattern::Extend {
            inner: go(inner),
            variable,
            expression: ex(expression),
        },
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => GraphPattern::LeftJoin {
            left: go(left),
            right: go(right),
            expression: expression.map(ex),
        },
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner: go(inner),
            expression: expression
                .into_iter()
                .map(|o| match o {
                    OrderExpression::Asc(e) => OrderExpression::Asc(ex(e)),
                    OrderExpression::Desc(e) => OrderExpression::Desc(ex(e)),
                })
                .collect(),
        },
        GraphPattern::Join { left, right } => GraphPattern::Join {
            left: go(left),
            right: go(right),
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
        GraphPattern::Graph { name, inner } => GraphPattern::Graph {
            name,
            inner: go(inner),
        },
        GraphPattern::Project { inner, variables } => GraphPattern::Project {
            inner: go(inner),
            variables,
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

/// `expression` with the constants in place of their variables; `BOUND` of one is true.
fn inline_expression(expression: Expression, constants: &[(Variable, GroundTerm)]) -> Expression {
    let go = |e: Box<Expression>| Box::new(inline_expression(*e, constants));
    let all = |es: Vec<Expression>| -> Vec<Expression> {
        es.into_iter()
            .map(|e| inline_expression(e, constants))
            .collect()
    };
    let constant = |v: &Variable| {
        constants
            .iter()
            .find(|(c, _)| c == v)
            .map(|(_, t)| t.clone())
    };
    use Expression as E;
    match expression {
        E::Variable(v) => match constant(&v) {
            Some(GroundTerm::NamedNode(n)) => E::NamedNode(n),
            Some(GroundTerm::Literal(l)) => E::Literal(l),
            _ => E::Variable(v),
        },
        E::Bound(v) if constant(&v).is_some() => E::Literal(true.into()),
        E::Or(a, b) => E::Or(go(a), go(b)),
        E::And(a, b) => E::And(go(a), go(b)),
        E::Equal(a, b) => E::Equal(go(a), go(b)),
        E::SameTerm(a, b) => E::SameTerm(go(a), go(b)),
        E::Greater(a, b) => E::Greater(go(a), go(b)),
        E::GreaterOrEqual(a, b) => E::GreaterOrEqual(go(a), go(b)),
        E::Less(a, b) => E::Less(go(a), go(b)),
        E::LessOrEqual(a, b) => E::LessOrEqual(go(a), go(b)),
        E::In(a, list) => E::In(go(a), all(list)),
        E::Add(a, b) => E::Add(go(a), go(b)),
        E::Subtract(a, b) => E::Subtract(go(a), go(b)),
        E::Multiply(a, b) => E::Multiply(go(a), go(b)),
        E::Divide(a, b) => E::Divide(go(a), go(b)),
        E::UnaryPlus(a) => E::UnaryPlus(go(a)),
        E::UnaryMinus(a) => E::UnaryMinus(go(a)),
        E::Not(a) => E::Not(go(a)),
        E::Exists(p) => E::Exists(Box::new(inline(*p, constants))),
        E::If(a, b, c) => E::If(go(a), go(b), go(c)),
        E::Coalesce(list) => E::Coalesce(all(list)),
        E::FunctionCall(f, args) => E::FunctionCall(f, all(args)),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;
    use spargebra::SparqlParser;

    #[test]
    fn values_are_tables_for_patterns_and_constants_in_expressions() {
        let q = SparqlParser::new()
            .parse_query(
                "SELECT ?x ?limit ?n WHERE { { SELECT ?y WHERE { ?y <p:k> ?k FILTER(CONTAINS(?k, ?x)) } } \
                 ?y <p:n> ?n ; <p:m> ?x FILTER(?n > ?limit) }",
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
        // ?x: a table where a pattern uses it, a constant in the subquery's filter; ?limit
        // a constant in the filter, with no table.
        assert_eq!(text.matches("VALUES ( ?x )").count(), 1, "{text}");
        assert!(!text.contains("VALUES ( ?limit )"), "{text}");
        assert!(
            text.contains(r#"CONTAINS(?k, "a\" } DROP ALL {")"#),
            "{text}"
        );
        assert!(text.contains(r#"?n > "3"^^"#), "{text}");
        assert!(SparqlParser::new().parse_query(&text).is_ok(), "{text}");
    }
}
