//! Stored SPARQL queries: the `queries/` catalogue, typed parameters, evaluation and output.
//!
//! A stored query is one `.rq` file whose header comments describe it:
//!
//! ```text
//! #+ summary: Entities of a type, most mentioned first
//! #+ param: type type default=Project -- entity type (Project, Place, Programme, Organisation)
//! #+ param: limit integer default=50 -- maximum rows
//! ```
//!
//! Parameters are bound as RDF terms with `substitute_variable`, never pasted into the text,
//! so no value can change the query's structure. Oxigraph substitutes only variables of the
//! `SELECT` clause, so a query projects its parameters (and groups by them when it
//! aggregates); every parameter has a value, given or default, because the optimiser treats
//! a variable no pattern binds as unbound whatever is substituted later.

use crate::error::{Error, Result};
use crate::extract::EntityType;
use crate::vocab::{self, PREFIXES};
use oxigraph::model::{Literal, NamedNode, Term, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, PreparedSparqlQuery, QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The kind of value a parameter takes, and so the RDF term it is bound as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamKind {
    /// A plain string literal (compare with `STR(?x)`).
    String,
    /// An `xsd:integer`.
    Integer,
    /// An `xsd:decimal` (also accepts integers).
    Decimal,
    /// An absolute IRI.
    Iri,
    /// An entity type name, bound as the IRI of its govkg class.
    Type,
}

impl ParamKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "string" => Self::String,
            "integer" => Self::Integer,
            "decimal" => Self::Decimal,
            "iri" => Self::Iri,
            "type" => Self::Type,
            _ => return None,
        })
    }

    /// JSON-schema type for API documents.
    pub fn json_type(self) -> &'static str {
        match self {
            Self::Integer => "integer",
            Self::Decimal => "number",
            _ => "string",
        }
    }
}

/// A parameter declared in a stored query's header.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub name: String,
    pub kind: ParamKind,
    pub default: Option<String>,
    pub description: String,
}

impl Param {
    /// Parses `value` as this parameter's RDF term; errors name the parameter.
    pub fn bind(&self, value: &str) -> Result<Term> {
        let bad = |message: String| Error::Parameter {
            name: self.name.clone(),
            message,
        };
        Ok(match self.kind {
            ParamKind::String => Literal::new_simple_literal(value).into(),
            ParamKind::Integer => {
                let n: i64 = value
                    .trim()
                    .parse()
                    .map_err(|_| bad(format!("expected an integer, got {value:?}")))?;
                Literal::from(n).into()
            }
            ParamKind::Decimal => {
                let n: f64 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .ok_or_else(|| bad(format!("expected a number, got {value:?}")))?;
                Literal::new_typed_literal(format!("{n}"), vocab::term(vocab::XSD, "decimal"))
                    .into()
            }
            ParamKind::Iri => NamedNode::new(value.trim())
                .map_err(|e| bad(format!("expected an absolute IRI: {e}")))?
                .into(),
            ParamKind::Type => {
                let t = EntityType::parse(value.trim()).ok_or_else(|| {
                    bad(format!(
                        "expected one of Project, Place, Programme, Organisation, got {value:?}"
                    ))
                })?;
                vocab::ont(t.name()).into()
            }
        })
    }
}

/// A query from the `queries/` folder.
#[derive(Debug, Clone, Serialize)]
pub struct StoredQuery {
    pub name: String,
    pub summary: String,
    pub params: Vec<Param>,
    #[serde(skip)]
    pub path: PathBuf,
    #[serde(skip)]
    pub text: String,
}

impl StoredQuery {
    /// Reads a query file and its header.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::QueryFile {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (summary, params) = parse_header(&text).map_err(|message| Error::QueryFile {
            path: path.to_owned(),
            message,
        })?;
        Ok(Self {
            name,
            summary,
            params,
            path: path.to_owned(),
            text,
        })
    }

    /// Binds `values` (name → text) to the declared parameters, applying defaults.
    pub fn bindings(&self, values: &BTreeMap<String, String>) -> Result<Vec<(Variable, Term)>> {
        if let Some(unknown) = values
            .keys()
            .find(|k| !self.params.iter().any(|p| &p.name == *k))
        {
            let known: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
            return Err(Error::Parameter {
                name: unknown.clone(),
                message: format!(
                    "query `{}` has no such parameter (it takes: {})",
                    self.name,
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
            });
        }
        let mut out = Vec::new();
        for p in &self.params {
            let value = values.get(&p.name).or(p.default.as_ref());
            match value {
                Some(v) => out.push((Variable::new_unchecked(&p.name), p.bind(v)?)),
                None => {
                    return Err(Error::Parameter {
                        name: p.name.clone(),
                        message: format!("required by query `{}`", self.name),
                    })
                }
            }
        }
        Ok(out)
    }
}

/// Parses `#+ summary:` and `#+ param:` header lines.
fn parse_header(text: &str) -> std::result::Result<(String, Vec<Param>), String> {
    let mut summary = String::new();
    let mut params = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("#+") else {
            continue;
        };
        let rest = rest.trim();
        if let Some(s) = rest.strip_prefix("summary:") {
            summary = s.trim().to_owned();
        } else if let Some(p) = rest.strip_prefix("param:") {
            let (spec, description) = match p.split_once("--") {
                Some((a, b)) => (a, b.trim().to_owned()),
                None => (p, String::new()),
            };
            let mut words = spec.split_whitespace();
            let name = words.next().ok_or("param line without a name")?;
            if Variable::new(name).is_err() {
                return Err(format!(
                    "param `{name}` is not a valid SPARQL variable name"
                ));
            }
            let kind_word = words.next().ok_or(format!("param `{name}` has no type"))?;
            let kind = ParamKind::parse(kind_word)
                .ok_or(format!("param `{name}`: unknown type `{kind_word}`"))?;
            let mut default = None;
            for w in words {
                if let Some(d) = w.strip_prefix("default=") {
                    default = Some(d.to_owned());
                } else {
                    return Err(format!("param `{name}`: unexpected `{w}`"));
                }
            }
            params.push(Param {
                name: name.to_owned(),
                kind,
                default,
                description,
            });
        }
    }
    if summary.is_empty() {
        return Err("missing `#+ summary:` header line".to_owned());
    }
    Ok((summary, params))
}

/// The stored queries of a folder, sorted by name.
pub fn catalogue(dir: &Path) -> Result<Vec<StoredQuery>> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::QueryFile {
        path: dir.to_owned(),
        message: e.to_string(),
    })?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rq") {
            out.push(StoredQuery::load(&path)?);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The evaluator every govkg query runs with: standard prefixes and GeoSPARQL functions.
pub fn evaluator() -> SparqlEvaluator {
    let mut ev = SparqlEvaluator::new();
    for (prefix, iri) in PREFIXES {
        ev = ev
            .with_prefix(prefix, iri)
            .expect("static prefixes are valid IRIs");
    }
    ev = ev
        .with_prefix("geof", vocab::GEOF)
        .expect("static prefix is a valid IRI");
    ev = ev
        .with_prefix("gfn", crate::geometry::FN)
        .expect("static prefix is a valid IRI");
    for (name, function) in spargeo::GEOSPARQL_EXTENSION_FUNCTIONS {
        ev = ev.with_custom_function(name.into_owned(), function);
    }
    for (name, function) in crate::geometry::functions() {
        ev = ev.with_custom_function(name, function);
    }
    ev
}

/// Parses a query; `origin` names where it came from in errors. The default graph is the
/// union of all report graphs unless the query says otherwise with FROM.
pub fn prepare(
    text: &str,
    origin: &str,
    cancel: Option<CancellationToken>,
) -> Result<PreparedSparqlQuery> {
    let mut ev = evaluator();
    if let Some(token) = cancel {
        ev = ev.with_cancellation_token(token);
    }
    let mut prepared = ev.parse_query(text).map_err(|e| Error::QuerySyntax {
        origin: origin.to_owned(),
        message: e.to_string(),
    })?;
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    Ok(prepared)
}

/// Runs a prepared query with bindings on a store.
pub fn execute<'a>(
    store: &Store,
    mut prepared: PreparedSparqlQuery,
    bindings: Vec<(Variable, Term)>,
) -> Result<QueryResults<'a>> {
    for (var, term) in bindings {
        prepared = prepared.substitute_variable(var, term);
    }
    Ok(prepared.on_store(store).execute()?)
}

/// Output formats of query results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Tsv,
    Json,
}

/// A result table held in memory.
pub struct Table {
    pub variables: Vec<Variable>,
    pub rows: Vec<Vec<Option<Term>>>,
}

/// Collects solutions into a table (errors during evaluation surface here).
pub fn collect(results: QueryResults) -> Result<Table> {
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

/// Writes a table in the given format.
pub fn write_table(table: &Table, format: OutputFormat, mut out: impl Write) -> Result<()> {
    let sparql_format = match format {
        OutputFormat::Table => return write_text_table(table, out),
        OutputFormat::Csv => QueryResultsFormat::Csv,
        OutputFormat::Tsv => QueryResultsFormat::Tsv,
        OutputFormat::Json => QueryResultsFormat::Json,
    };
    let mut ser = QueryResultsSerializer::from_format(sparql_format)
        .serialize_solutions_to_writer(&mut out, table.variables.clone())?;
    for row in &table.rows {
        ser.serialize(
            table
                .variables
                .iter()
                .zip(row)
                .filter_map(|(v, t)| t.as_ref().map(|t| (v.as_ref(), t.as_ref()))),
        )?;
    }
    ser.finish()?;
    if format == OutputFormat::Json {
        writeln!(out)?;
    }
    Ok(())
}

/// A short human form of a term: prefixed IRIs, bare literal values.
pub fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => compact_iri(n.as_str()),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_owned(),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// `prefix:local` for IRIs in a known namespace, `<iri>` otherwise.
pub fn compact_iri(iri: &str) -> String {
    PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len())
        .map(|(p, ns)| format!("{p}:{}", &iri[ns.len()..]))
        .unwrap_or_else(|| format!("<{iri}>"))
}

/// Widest cell of a text table, in terminal columns; csv, tsv and json give full values.
const MAX_CELL_WIDTH: usize = 64;

/// `s` cut to `MAX_CELL_WIDTH` columns, with an ellipsis when cut.
fn fit(s: String) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if s.width() <= MAX_CELL_WIDTH {
        return s;
    }
    let mut out = String::new();
    let mut width = 0;
    for c in s.chars() {
        width += c.width().unwrap_or(0);
        if width > MAX_CELL_WIDTH - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn write_text_table(table: &Table, mut out: impl Write) -> Result<()> {
    use unicode_width::UnicodeWidthStr;
    let header: Vec<String> = table
        .variables
        .iter()
        .map(|v| v.as_str().to_owned())
        .collect();
    let cells: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|t| {
                    fit(t
                        .as_ref()
                        .map(display_term)
                        .unwrap_or_default()
                        .replace('\n', " "))
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.width());
        }
    }
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.width()))))
            .collect();
        padded.join(" | ").trim_end().to_owned()
    };
    writeln!(out, "{}", line(&header))?;
    writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-")
    )?;
    for row in &cells {
        writeln!(out, "{}", line(row))?;
    }
    writeln!(
        out,
        "({} row{})",
        cells.len(),
        if cells.len() == 1 { "" } else { "s" }
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_injection_safe_binding() {
        let (summary, params) = parse_header(
            "#+ summary: test\n#+ param: label string -- a label\n#+ param: n integer default=5\nSELECT * {}",
        )
        .expect("header");
        assert_eq!(summary, "test");
        assert_eq!(params.len(), 2);
        let term = params[0].bind("\"} DROP ALL {").expect("any string binds");
        assert_eq!(term, Literal::new_simple_literal("\"} DROP ALL {").into());
        assert!(params[1].bind("five").is_err());
    }
}
