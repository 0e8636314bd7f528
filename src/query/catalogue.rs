//! The stored queries: compiled-in `queries/*.rq` files, a folder that adds or overrides
//! them, and their typed parameters.
//!
//! A stored query is one `.rq` file whose header comments describe it:
//!
//! ```text
//! #+ summary: Entities of a type, most mentioned first
//! #+ param: type type default=Project -- entity type (Project, Place, Programme, Organisation)
//! #+ param: label name -- the entity's label or an alias
//! #+ needs: gfn:distance
//! ```
//!
//! Parameters are bound as RDF terms with `substitute_variable`, never pasted into the text,
//! so no value can change the query's structure. Oxigraph substitutes only variables of the
//! `SELECT` clause, so a query projects its parameters (and groups by them when it
//! aggregates); every parameter has a value, given or default, because the optimiser treats
//! a variable no pattern binds as unbound whatever is substituted later.

use super::QueryError;
use crate::model::{lookup_key, vocab, EntityType, Status};
use crate::rdf::vocab::ont;
use oxigraph::model::{Literal, NamedNode, Term, Variable};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/bundled_queries.rs"));

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
    /// A project status name, bound as the IRI of its govkg individual.
    Status,
    /// A name to look up, bound as its lookup key (the form of `govkg:lookupKey`); with
    /// `as=VAR`, also resolved to the entities it names (see [`Resolve`]).
    Name,
    /// A year, bound as an `xsd:gYear` (the form of `govkg:year`).
    Year,
}

impl ParamKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "string" => Self::String,
            "integer" => Self::Integer,
            "decimal" => Self::Decimal,
            "iri" => Self::Iri,
            "type" => Self::Type,
            "status" => Self::Status,
            "name" => Self::Name,
            "year" => Self::Year,
            _ => return None,
        })
    }

    /// JSON-schema type for API documents.
    pub fn json_type(self) -> &'static str {
        match self {
            Self::Integer | Self::Year => "integer",
            Self::Decimal => "number",
            _ => "string",
        }
    }
}

/// How a `name` parameter is resolved to entities before the query runs: its lookup key
/// is matched (whole, or as part of a key) against `govkg:lookupKey` of resources of the
/// given classes, and the IRIs found are bound to `var`. The query then starts from those
/// resources instead of scanning for them.
#[derive(Debug, Clone, Serialize)]
pub struct Resolve {
    pub var: String,
    /// Local names of govkg classes the resources must have (any class if empty).
    pub classes: Vec<String>,
    /// Whether the name may be part of a key (else the whole key).
    pub part: bool,
}

/// A parameter declared in a stored query's header.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub name: String,
    pub kind: ParamKind,
    pub default: Option<String>,
    /// Smallest and largest value accepted (numbers only).
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Without a value, the variable stays unbound (the query matches every value).
    pub optional: bool,
    pub resolve: Option<Resolve>,
    pub description: String,
}

/// A name to resolve to entities before a query runs (see [`Resolve`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lookup {
    pub var: Variable,
    pub key: String,
    pub classes: Vec<String>,
    pub part: bool,
}

/// The values of a query's parameters: terms to bind, and names to resolve first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Bindings {
    pub terms: Vec<(Variable, Term)>,
    pub lookups: Vec<Lookup>,
}

impl Param {
    /// Whether `n` lies within the declared range; says which bound it crosses.
    fn check_range(&self, n: f64) -> Result<(), String> {
        match (self.min, self.max) {
            (Some(min), _) if n < min => Err(format!("{n} is below the minimum {min}")),
            (_, Some(max)) if n > max => Err(format!("{n} is above the maximum {max}")),
            _ => Ok(()),
        }
    }

    /// Parses `value` as this parameter's RDF term; errors name the parameter.
    pub fn bind(&self, value: &str) -> Result<Term, QueryError> {
        let bad = |message: String| QueryError::Parameter {
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
                self.check_range(n as f64).map_err(bad)?;
                Literal::from(n).into()
            }
            ParamKind::Decimal => {
                let n: f64 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .ok_or_else(|| bad(format!("expected a number, got {value:?}")))?;
                self.check_range(n).map_err(bad)?;
                Literal::new_typed_literal(
                    format!("{n}"),
                    NamedNode::new_unchecked(format!("{}decimal", vocab::XSD)),
                )
                .into()
            }
            ParamKind::Year => {
                let y: i32 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|y| (1000..=9999).contains(y))
                    .ok_or_else(|| bad(format!("expected a four-digit year, got {value:?}")))?;
                self.check_range(f64::from(y)).map_err(bad)?;
                Literal::new_typed_literal(
                    y.to_string(),
                    NamedNode::new_unchecked(format!("{}gYear", vocab::XSD)),
                )
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
                ont(t.name()).into()
            }
            ParamKind::Status => {
                let s = Status::parse(value.trim()).ok_or_else(|| {
                    bad(format!(
                        "expected one of Planned, Started, UnderWay, Completed, got {value:?}"
                    ))
                })?;
                ont(s.name()).into()
            }
            // An empty name is a valid part of every name: "all" for part-of-name lookups.
            ParamKind::Name => Literal::new_simple_literal(lookup_key(value)).into(),
        })
    }
}

/// A stored query.
#[derive(Debug, Clone, Serialize)]
pub struct StoredQuery {
    pub name: String,
    pub summary: String,
    pub params: Vec<Param>,
    /// Functions only govkg's evaluator has (`gfn:distance`): a remote store lacks them.
    pub needs: Vec<String>,
    /// Where the query came from: a compiled-in file, a file, or the command line.
    #[serde(skip)]
    pub origin: String,
    #[serde(skip)]
    pub text: String,
}

impl StoredQuery {
    /// Reads a query file and its header.
    pub fn load(path: &Path) -> Result<Self, QueryError> {
        let text = std::fs::read_to_string(path).map_err(|e| QueryError::QueryFile {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Self::parse(&name, &path.display().to_string(), text).map_err(|message| {
            QueryError::QueryFile {
                path: path.to_owned(),
                message,
            }
        })
    }

    /// A query from its text; `origin` names it in errors.
    pub fn parse(name: &str, origin: &str, text: String) -> Result<Self, String> {
        let header = parse_header(&text)?;
        Ok(Self {
            name: name.to_owned(),
            summary: header.summary,
            params: header.params,
            needs: header.needs,
            origin: origin.to_owned(),
            text,
        })
    }

    /// An inline query given on the command line: no header, no parameters.
    pub fn inline(text: &str) -> Self {
        Self {
            name: "inline query".to_owned(),
            summary: String::new(),
            params: Vec::new(),
            needs: Vec::new(),
            origin: "the inline query".to_owned(),
            text: text.to_owned(),
        }
    }

    /// Binds `values` (name → text) to the declared parameters, applying defaults; an
    /// optional parameter without a value is left unbound.
    pub fn bindings(&self, values: &BTreeMap<String, String>) -> Result<Bindings, QueryError> {
        if let Some(unknown) = values
            .keys()
            .find(|k| !self.params.iter().any(|p| &p.name == *k))
        {
            let known: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
            return Err(QueryError::Parameter {
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
        let mut out = Bindings::default();
        for p in &self.params {
            let value = values
                .get(&p.name)
                .filter(|v| !(p.optional && v.trim().is_empty()))
                .or(p.default.as_ref());
            let Some(v) = value else {
                if p.optional {
                    continue;
                }
                return Err(QueryError::Parameter {
                    name: p.name.clone(),
                    message: format!("required by query `{}`", self.name),
                });
            };
            let term = p.bind(v)?;
            if let (Some(r), Term::Literal(key)) = (&p.resolve, &term) {
                out.lookups.push(Lookup {
                    var: Variable::new_unchecked(&r.var),
                    key: key.value().to_owned(),
                    classes: r.classes.clone(),
                    part: r.part,
                });
            }
            out.terms.push((Variable::new_unchecked(&p.name), term));
        }
        Ok(out)
    }
}

/// What a query's `#+` header lines say.
struct Header {
    summary: String,
    params: Vec<Param>,
    needs: Vec<String>,
}

/// Parses `#+ summary:`, `#+ param:` and `#+ needs:` header lines.
fn parse_header(text: &str) -> Result<Header, String> {
    let mut header = Header {
        summary: String::new(),
        params: Vec::new(),
        needs: Vec::new(),
    };
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("#+") else {
            continue;
        };
        let rest = rest.trim();
        if let Some(s) = rest.strip_prefix("summary:") {
            header.summary = s.trim().to_owned();
        } else if let Some(n) = rest.strip_prefix("needs:") {
            header.needs.extend(n.split_whitespace().map(str::to_owned));
        } else if let Some(p) = rest.strip_prefix("param:") {
            header.params.push(parse_param(p)?);
        }
    }
    if header.summary.is_empty() {
        return Err("missing `#+ summary:` header line".to_owned());
    }
    Ok(header)
}

/// Parses `NAME TYPE [default=VALUE] -- description`.
fn parse_param(line: &str) -> Result<Param, String> {
    let (spec, description) = match line.split_once("--") {
        Some((a, b)) => (a, b.trim().to_owned()),
        None => (line, String::new()),
    };
    let mut words = spec.split_whitespace();
    let name = words.next().ok_or("param line without a name")?;
    if Variable::new(name).is_err() {
        return Err(format!(
            "param `{name}` is not a valid SPARQL variable name"
        ));
    }
    let kind_word = words.next().ok_or(format!("param `{name}` has no type"))?;
    let kind =
        ParamKind::parse(kind_word).ok_or(format!("param `{name}`: unknown type `{kind_word}`"))?;
    let mut param = Param {
        name: name.to_owned(),
        kind,
        default: None,
        min: None,
        max: None,
        optional: false,
        resolve: None,
        description,
    };
    let (mut var, mut classes, mut part) = (None, Vec::new(), false);
    for w in words {
        let number = |v: &str| {
            v.parse::<f64>()
                .map_err(|_| format!("param `{name}`: `{w}` is not a number"))
        };
        match w.split_once('=') {
            Some(("default", d)) => param.default = Some(d.to_owned()),
            Some(("min", v)) => param.min = Some(number(v)?),
            Some(("max", v)) => param.max = Some(number(v)?),
            Some(("as", v)) if Variable::new(v).is_ok() => var = Some(v.to_owned()),
            Some(("type", v)) => classes = v.split(',').map(str::to_owned).collect(),
            None if w == "optional" => param.optional = true,
            None if w == "part" => part = true,
            _ => return Err(format!("param `{name}`: unexpected `{w}`")),
        }
    }
    match (var, kind) {
        (Some(var), ParamKind::Name) => {
            param.resolve = Some(Resolve { var, classes, part });
        }
        (Some(_), _) => return Err(format!("param `{name}`: only names take `as=`")),
        (None, _) if part || !classes.is_empty() => {
            return Err(format!("param `{name}`: `part` and `type=` need `as=VAR`"))
        }
        (None, _) => {}
    }
    Ok(param)
}

/// The stored queries: the compiled-in ones, then those of `dir` (if given), which add to
/// them or replace those of the same name. Sorted by name.
pub fn catalogue(dir: Option<&Path>) -> Result<Vec<StoredQuery>, QueryError> {
    let mut by_name: BTreeMap<String, StoredQuery> = BTreeMap::new();
    for (file, text) in BUNDLED {
        let name = file.trim_end_matches(".rq");
        let origin = format!("queries/{file} (compiled in)");
        let q = StoredQuery::parse(name, &origin, (*text).to_owned()).map_err(|message| {
            QueryError::QueryFile {
                path: PathBuf::from("queries").join(file),
                message,
            }
        })?;
        by_name.insert(name.to_owned(), q);
    }
    if let Some(dir) = dir {
        let entries = std::fs::read_dir(dir).map_err(|e| QueryError::QueryFile {
            path: dir.to_owned(),
            message: e.to_string(),
        })?;
        for entry in entries {
            let path = entry
                .map_err(|e| QueryError::QueryFile {
                    path: dir.to_owned(),
                    message: e.to_string(),
                })?
                .path();
            if path.extension().is_some_and(|e| e == "rq") {
                let q = StoredQuery::load(&path)?;
                by_name.insert(q.name.clone(), q);
            }
        }
    }
    Ok(by_name.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_injection_safe_binding() {
        let h = parse_header(
            "#+ summary: test\n#+ param: label string -- a label\n#+ param: n integer default=5\n#+ param: who name part as=e type=Place\n#+ needs: gfn:distance\nSELECT * {}",
        )
        .expect("header");
        assert_eq!(h.summary, "test");
        assert_eq!(h.params.len(), 3);
        let r = h.params[2].resolve.as_ref().expect("a resolved name");
        assert_eq!((r.var.as_str(), r.part), ("e", true));
        assert_eq!(r.classes, ["Place"]);
        assert!(parse_param("y year optional -- a year").is_ok_and(|p| p.optional));
        assert!(parse_param("x integer part").is_err());
        assert_eq!(h.needs, ["gfn:distance"]);
        let term = h.params[0]
            .bind("\"} DROP ALL {")
            .expect("any string binds");
        assert_eq!(term, Literal::new_simple_literal("\"} DROP ALL {").into());
        assert!(h.params[1].bind("five").is_err());
        let key = h.params[2].bind(" “Ｘ计划” ").expect("a name binds");
        assert_eq!(key, Literal::new_simple_literal("x计划").into());
    }

    #[test]
    fn bundled_queries_parse() {
        let all = catalogue(None).expect("compiled-in queries parse");
        assert!(all.iter().any(|q| q.name == "near-central-axis"));
    }
}
