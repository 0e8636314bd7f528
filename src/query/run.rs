//! Evaluation: the SPARQL evaluator with govkg's prefixes and functions, parsing with a
//! complexity guard, binding, and collecting results.

use super::catalogue::{Bindings, Lookup};
use super::{bind, guard, QueryError};
use crate::geo::geometry;
use crate::model::vocab::PREFIXES;
use oxigraph::model::{Literal, Term, Variable};
use oxigraph::sparql::{CancellationToken, PreparedSparqlQuery, QueryResults, SparqlEvaluator};
use oxigraph::store::Store;

/// The evaluator every govkg query runs with: govkg's prefixes, the GeoSPARQL functions of
/// spargeo and govkg's own (`gfn:distance`).
pub fn evaluator() -> SparqlEvaluator {
    let mut ev = SparqlEvaluator::new();
    for (prefix, iri) in PREFIXES {
        ev = ev
            .with_prefix(prefix, iri)
            .expect("static prefixes are valid IRIs");
    }
    for (name, function) in spargeo::GEOSPARQL_EXTENSION_FUNCTIONS {
        ev = ev.with_custom_function(name.into_owned(), function);
    }
    for (name, function) in geometry::functions() {
        ev = ev.with_custom_function(name, function);
    }
    ev
}

/// Parses a query and binds parameter values into it (see [`bind`]); `origin` names where
/// it came from in errors. The default graph is the union of all graphs unless the query
/// says otherwise with FROM. A query nested or chained beyond [`guard`]'s limits is refused
/// before the parser sees it.
pub fn prepare(
    text: &str,
    origin: &str,
    bindings: &[Bound],
    cancel: Option<CancellationToken>,
) -> Result<PreparedSparqlQuery, QueryError> {
    guard::check(text).map_err(|message| QueryError::TooComplex {
        origin: origin.to_owned(),
        message,
    })?;
    let syntax = |message: String| QueryError::Syntax {
        origin: origin.to_owned(),
        message,
    };
    let mut parser = spargebra::SparqlParser::new();
    for (prefix, iri) in PREFIXES {
        parser = parser
            .with_prefix(prefix, iri)
            .expect("static prefixes are valid IRIs");
    }
    let query = parser
        .parse_query(text)
        .map_err(|e| syntax(e.to_string()))?;
    let values: Vec<(Variable, Vec<Term>)> = bindings
        .iter()
        .map(|b| (b.variable.clone(), b.terms.clone()))
        .collect();
    let query = bind::bind(query, &values).map_err(syntax)?;
    let mut ev = evaluator();
    if let Some(token) = cancel {
        ev = ev.with_cancellation_token(token);
    }
    let mut prepared = ev.for_query(query);
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    // The VALUES tables tell the optimiser what is bound; the substitution binds a value in
    // every scope of the query, filters included.
    for b in bindings.iter().filter(|b| b.substitute) {
        if let [term] = b.terms.as_slice() {
            prepared = prepared.substitute_variable(b.variable.clone(), term.clone());
        }
    }
    Ok(prepared)
}

/// A variable's values for one evaluation.
#[derive(Debug, Clone)]
pub struct Bound {
    pub variable: Variable,
    pub terms: Vec<Term>,
    /// Also substituted into every scope (a parameter's own variable, which the query
    /// projects), not only joined in as a VALUES table (resolved entities).
    pub substitute: bool,
}

/// Most resources a name may resolve to; past it the name is too vague to be useful.
pub const MAX_MATCHES: usize = 10_000;

/// The values to bind: each parameter's term, and the resources each name resolves to. An
/// empty part of a name is part of every name: its variable stays unbound (all of them).
pub fn resolve(
    store: &Store,
    bindings: &Bindings,
    cancel: Option<CancellationToken>,
) -> Result<Vec<Bound>, QueryError> {
    let mut out: Vec<Bound> = bindings
        .terms
        .iter()
        .map(|(v, t)| Bound {
            variable: v.clone(),
            terms: vec![t.clone()],
            substitute: true,
        })
        .collect();
    for lookup in &bindings.lookups {
        if lookup.part && lookup.key.is_empty() {
            continue;
        }
        out.push(Bound {
            variable: lookup.var.clone(),
            terms: matches(store, lookup, cancel.clone())?,
            substitute: false,
        });
    }
    Ok(out)
}

/// The resources whose lookup keys equal (or contain) the lookup's key. A part of a name
/// is found through the grams it shares with the names (its first and last pair), then
/// checked whole; a single character is checked against every name of the classes.
pub fn matches(
    store: &Store,
    lookup: &Lookup,
    cancel: Option<CancellationToken>,
) -> Result<Vec<Term>, QueryError> {
    let classes: Vec<String> = lookup
        .classes
        .iter()
        .map(|c| format!("govkg:{c}"))
        .collect();
    let typed = if classes.is_empty() {
        String::new()
    } else {
        format!("VALUES ?class {{ {} }} ?e a ?class .", classes.join(" "))
    };
    let chars: Vec<char> = lookup.key.chars().collect();
    let text = if !lookup.part {
        format!("SELECT DISTINCT ?key ?e WHERE {{ ?e govkg:lookupKey ?key . {typed} }}")
    } else if chars.len() >= 2 {
        format!(
            "SELECT DISTINCT ?key ?e WHERE {{ ?e govkg:nameGram ?first . ?e govkg:nameGram ?last . \
             ?e govkg:lookupKey ?k . FILTER(CONTAINS(?k, ?key)) {typed} }} LIMIT {}",
            MAX_MATCHES + 1
        )
    } else {
        format!(
            "SELECT DISTINCT ?key ?e WHERE {{ {typed} ?e govkg:lookupKey ?k . \
             FILTER(CONTAINS(?k, ?key)) }} LIMIT {}",
            MAX_MATCHES + 1
        )
    };
    let literal = |s: String| -> Vec<Term> { vec![Literal::new_simple_literal(s).into()] };
    let mut bound = vec![Bound {
        variable: Variable::new_unchecked("key"),
        terms: literal(lookup.key.clone()),
        substitute: true,
    }];
    if lookup.part && chars.len() >= 2 {
        for (name, pair) in [("first", &chars[..2]), ("last", &chars[chars.len() - 2..])] {
            bound.push(Bound {
                variable: Variable::new_unchecked(name),
                terms: literal(pair.iter().collect()),
                substitute: false,
            });
        }
    }
    let prepared = prepare(&text, "a name lookup", &bound, cancel)?;
    let table = collect(execute(store, prepared)?)?;
    if table.rows.len() > MAX_MATCHES {
        return Err(QueryError::Parameter {
            name: lookup.var.as_str().to_owned(),
            message: format!(
                "{:?} is part of more than {MAX_MATCHES} names: give more of the name",
                lookup.key
            ),
        });
    }
    Ok(table
        .rows
        .into_iter()
        .filter_map(|row| row.into_iter().nth(1).flatten())
        .collect())
}

/// Runs a prepared query on a store.
pub fn execute<'a>(
    store: &Store,
    prepared: PreparedSparqlQuery,
) -> Result<QueryResults<'a>, QueryError> {
    Ok(prepared.on_store(store).execute()?)
}

/// Runs a prepared query to the end and returns its plan with the time and rows of each
/// step (Oxigraph's explanation, as JSON): what `govkg query --explain` prints.
pub fn explain(store: &Store, prepared: PreparedSparqlQuery) -> Result<String, QueryError> {
    let (results, explanation) = prepared.on_store(store).compute_statistics().explain();
    collect(results?)?;
    let mut out = Vec::new();
    explanation
        .write_in_json(&mut out)
        .map_err(|e| QueryError::Syntax {
            origin: "the explanation".into(),
            message: e.to_string(),
        })?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A result table held in memory.
pub struct Table {
    pub variables: Vec<Variable>,
    pub rows: Vec<Vec<Option<Term>>>,
}

/// Collects results into a table (errors during evaluation surface here).
pub fn collect(results: QueryResults) -> Result<Table, QueryError> {
    match results {
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let mut rows = Vec::new();
            for s in solutions {
                let s = s?;
                rows.push(variables.iter().map(|v| s.get(v).cloned()).collect());
            }
            Ok(Table { variables, rows })
        }
        QueryResults::Boolean(b) => Ok(Table {
            variables: vec![Variable::new_unchecked("result")],
            rows: vec![vec![Some(Literal::from(b).into())]],
        }),
        QueryResults::Graph(triples) => {
            let variables = ["subject", "predicate", "object"].map(Variable::new_unchecked);
            let mut rows = Vec::new();
            for t in triples {
                let t = t?;
                rows.push(vec![
                    Some(Term::from(t.subject)),
                    Some(t.predicate.into()),
                    Some(t.object),
                ]);
            }
            Ok(Table {
                variables: variables.to_vec(),
                rows,
            })
        }
    }
}
