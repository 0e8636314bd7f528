//! The SPARQL 1.1 Protocol at `/sparql`, and the content negotiation shared by all routes.
//!
//! Queries: `GET ?query=`, `POST` form-encoded `query=`, `POST application/sparql-query`;
//! `default-graph-uri` and `named-graph-uri` set the dataset. Updates (`POST` form
//! `update=` or `application/sparql-update`) only with `--allow-update`. Results are
//! negotiated by `Accept` (or the non-standard `?format=`): JSON, XML, CSV, TSV for solutions
//! and booleans; Turtle, N-Triples, JSON-LD, RDF/XML for graphs.

use super::{blocking, bytes_response, ApiError, Shared};
use crate::model::vocab::PREFIXES;
use crate::query;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};

/// What a client asked for: its `Accept` header and `format` parameter.
#[derive(Debug, Clone, Default)]
pub(crate) struct Negotiation {
    pub accept: Option<String>,
    pub format: Option<String>,
}

impl Negotiation {
    pub fn new(headers: &HeaderMap, format: Option<String>) -> Self {
        Self {
            accept: headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            format,
        }
    }
}

const RESULT_TYPES: &[(&str, QueryResultsFormat)] = &[
    ("application/sparql-results+json", QueryResultsFormat::Json),
    ("application/json", QueryResultsFormat::Json),
    ("application/sparql-results+xml", QueryResultsFormat::Xml),
    ("application/xml", QueryResultsFormat::Xml),
    ("text/xml", QueryResultsFormat::Xml),
    ("text/csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", QueryResultsFormat::Tsv),
];
const RESULT_NAMES: &[(&str, QueryResultsFormat)] = &[
    ("json", QueryResultsFormat::Json),
    ("xml", QueryResultsFormat::Xml),
    ("csv", QueryResultsFormat::Csv),
    ("tsv", QueryResultsFormat::Tsv),
];

const JSON_LD: RdfFormat = RdfFormat::JsonLd {
    profile: JsonLdProfileSet::empty(),
};
const GRAPH_TYPES: &[(&str, RdfFormat)] = &[
    ("text/turtle", RdfFormat::Turtle),
    ("application/turtle", RdfFormat::Turtle),
    ("application/x-turtle", RdfFormat::Turtle),
    ("application/n-triples", RdfFormat::NTriples),
    ("text/plain", RdfFormat::NTriples),
    ("application/ld+json", JSON_LD),
    ("application/json", JSON_LD),
    ("application/rdf+xml", RdfFormat::RdfXml),
    ("application/xml", RdfFormat::RdfXml),
];
const GRAPH_NAMES: &[(&str, RdfFormat)] = &[
    ("turtle", RdfFormat::Turtle),
    ("ttl", RdfFormat::Turtle),
    ("ntriples", RdfFormat::NTriples),
    ("nt", RdfFormat::NTriples),
    ("jsonld", JSON_LD),
    ("json-ld", JSON_LD),
    ("json", JSON_LD),
    ("rdfxml", RdfFormat::RdfXml),
    ("rdf+xml", RdfFormat::RdfXml),
    ("xml", RdfFormat::RdfXml),
];

/// Media ranges of an `Accept` header, best first (q=0 dropped, ties in header order).
pub(crate) fn media_ranges(accept: &str) -> Vec<String> {
    let mut ranges: Vec<(String, f32)> = accept
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let mime = pieces.next()?.trim().to_ascii_lowercase();
            if mime.is_empty() {
                return None;
            }
            let mut q = 1.0;
            for p in pieces {
                if let Some(v) = p.trim().strip_prefix("q=") {
                    q = v.trim().parse().unwrap_or(0.0);
                }
            }
            Some((mime, q))
        })
        .filter(|(_, q)| *q > 0.0)
        .collect();
    ranges.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranges.into_iter().map(|(m, _)| m).collect()
}

/// Picks a format: `format` by name first, else the best `Accept` range, else `default`.
pub(crate) fn negotiate<T: Copy>(
    n: &Negotiation,
    types: &[(&str, T)],
    names: &[(&str, T)],
    default: T,
    what: &str,
) -> Result<T, ApiError> {
    if let Some(name) = n.format.as_deref().filter(|f| !f.is_empty()) {
        // Names (`csv`) or media types, comma-separated, first known wins: some clients send
        // several (SPARQLWrapper sends `format=json-ld&format=application/ld+json,…`).
        let lower = name.to_ascii_lowercase();
        return lower
            .split(',')
            .map(str::trim)
            .find_map(|wanted| {
                names
                    .iter()
                    .chain(types.iter())
                    .find(|(k, _)| *k == wanted)
                    .map(|(_, f)| *f)
            })
            .ok_or_else(|| {
                let known: Vec<&str> = names.iter().map(|(k, _)| *k).collect();
                ApiError {
                    status: StatusCode::NOT_ACCEPTABLE,
                    message: format!(
                        "format {name:?} is not available for {what} (use one of: {})",
                        known.join(", ")
                    ),
                    parameter: Some("format".to_owned()),
                }
            });
    }
    let Some(accept) = n.accept.as_deref().filter(|a| !a.trim().is_empty()) else {
        return Ok(default);
    };
    for range in media_ranges(accept) {
        if range == "*/*" {
            return Ok(default);
        }
        if let Some(kind) = range.strip_suffix("/*") {
            if let Some((_, f)) = types
                .iter()
                .find(|(t, _)| t.starts_with(&format!("{kind}/")))
            {
                return Ok(*f);
            }
            continue;
        }
        if let Some((_, f)) = types.iter().find(|(t, _)| *t == range) {
            return Ok(*f);
        }
    }
    let known: Vec<&str> = types.iter().map(|(t, _)| *t).collect();
    Err(ApiError::new(
        StatusCode::NOT_ACCEPTABLE,
        format!(
            "cannot give {what} as {accept:?}; available: {}",
            known.join(", ")
        ),
    ))
}

pub(crate) fn results_format(n: &Negotiation) -> Result<QueryResultsFormat, ApiError> {
    negotiate(
        n,
        RESULT_TYPES,
        RESULT_NAMES,
        QueryResultsFormat::Json,
        "query results",
    )
}

pub(crate) fn graph_format(n: &Negotiation) -> Result<RdfFormat, ApiError> {
    negotiate(n, GRAPH_TYPES, GRAPH_NAMES, RdfFormat::Turtle, "a graph")
}

/// A serialised result.
pub(crate) struct Serialized {
    pub media_type: &'static str,
    pub body: Bytes,
    pub truncated: bool,
}

impl Serialized {
    pub fn to_response(&self) -> Response {
        let mut r = bytes_response(self.media_type, self.body.clone());
        if self.truncated {
            r.headers_mut()
                .insert("govkg-truncated", HeaderValue::from_static("true"));
        }
        r
    }
}

/// Serialises query results as negotiated; at most `max_rows` solutions.
pub(crate) fn serialize(
    results: QueryResults,
    n: &Negotiation,
    max_rows: usize,
) -> Result<Serialized, ApiError> {
    match results {
        QueryResults::Solutions(solutions) => {
            let format = results_format(n)?;
            let variables = solutions.variables().to_vec();
            let mut ser = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(Vec::new(), variables)?;
            let mut truncated = false;
            for (row, s) in solutions.enumerate() {
                let s = s?;
                if row == max_rows {
                    truncated = true;
                    break;
                }
                ser.serialize(&s)?;
            }
            Ok(Serialized {
                media_type: format.media_type(),
                body: ser.finish()?.into(),
                truncated,
            })
        }
        QueryResults::Boolean(b) => {
            let format = results_format(n)?;
            let body = QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(Vec::new(), b)?;
            Ok(Serialized {
                media_type: format.media_type(),
                body: body.into(),
                truncated: false,
            })
        }
        QueryResults::Graph(triples) => {
            let format = graph_format(n)?;
            let mut ser = RdfSerializer::from_format(format);
            if matches!(format, RdfFormat::Turtle | RdfFormat::RdfXml) {
                for (p, ns) in PREFIXES {
                    ser = ser
                        .with_prefix(p, ns)
                        .map_err(|e| ApiError::internal(e.to_string()))?;
                }
            }
            let mut w = ser.for_writer(Vec::new());
            for t in triples {
                w.serialize_triple(&t?)?;
            }
            Ok(Serialized {
                media_type: format.media_type(),
                body: w.finish()?.into(),
                truncated: false,
            })
        }
    }
}

/// One protocol request, from the URL or a form body.
#[derive(Debug, Default)]
struct Request {
    query: Option<String>,
    update: Option<String>,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    format: Option<String>,
}

impl Request {
    fn add_pairs(&mut self, input: &[u8]) {
        for (k, v) in form_urlencoded::parse(input) {
            let v = v.into_owned();
            match k.as_ref() {
                "query" => self.query = Some(v),
                "update" => self.update = Some(v),
                "default-graph-uri" | "using-graph-uri" => self.default_graphs.push(v),
                "named-graph-uri" | "using-named-graph-uri" => self.named_graphs.push(v),
                "format" => {
                    self.format = Some(match self.format.take() {
                        Some(before) => format!("{before},{v}"),
                        None => v,
                    })
                }
                _ => {}
            }
        }
    }
}

fn iri(parameter: &str, value: &str) -> Result<NamedNode, ApiError> {
    NamedNode::new(value)
        .map_err(|e| ApiError::bad_parameter(parameter, format!("not an absolute IRI: {e}")))
}

/// `GET /sparql?query=…`
pub(crate) async fn get(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut request = Request::default();
    request.add_pairs(raw.unwrap_or_default().as_bytes());
    if request.update.is_some() {
        return Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "SPARQL Update must be sent with POST",
        ));
    }
    run(state, headers, request).await
}

/// `POST /sparql` (form-encoded, `application/sparql-query` or `application/sparql-update`).
pub(crate) async fn post(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let mut request = Request::default();
    request.add_pairs(raw.unwrap_or_default().as_bytes());
    let text = || {
        String::from_utf8(body.to_vec())
            .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "the request body is not UTF-8"))
    };
    match media.as_str() {
        "application/x-www-form-urlencoded" => request.add_pairs(&body),
        "application/sparql-query" => request.query = Some(text()?),
        "application/sparql-update" => request.update = Some(text()?),
        other => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "unsupported content type {other:?}: use application/x-www-form-urlencoded, \
                     application/sparql-query or application/sparql-update"
                ),
            ))
        }
    }
    run(state, headers, request).await
}

async fn run(state: Shared, headers: HeaderMap, request: Request) -> Result<Response, ApiError> {
    if let Some(update) = request.update {
        if request.query.is_some() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "give either `query` or `update`, not both",
            ));
        }
        return run_update(state, update, request.default_graphs, request.named_graphs).await;
    }
    let Some(text) = request.query else {
        return Err(ApiError::bad_parameter(
            "query",
            "missing the SPARQL `query` (or `update`) parameter",
        ));
    };
    let default_graphs = request
        .default_graphs
        .iter()
        .map(|g| iri("default-graph-uri", g).map(GraphName::from))
        .collect::<Result<Vec<_>, _>>()?;
    let named_graphs = request
        .named_graphs
        .iter()
        .map(|g| iri("named-graph-uri", g).map(NamedOrBlankNode::from))
        .collect::<Result<Vec<_>, _>>()?;
    let negotiation = Negotiation::new(&headers, request.format);
    let max_rows = state.opts.max_rows;
    let live = state.live();
    let out = blocking(&state, move |token| {
        let mut prepared = query::prepare(&text, "the request", &[], Some(token))?;
        if !default_graphs.is_empty() {
            prepared.dataset_mut().set_default_graph(default_graphs);
        }
        if !named_graphs.is_empty() {
            prepared
                .dataset_mut()
                .set_available_named_graphs(named_graphs);
        }
        let results = prepared.on_store(live.store()).execute()?;
        serialize(results, &negotiation, max_rows)
    })
    .await?;
    Ok(out.to_response())
}

async fn run_update(
    state: Shared,
    text: String,
    using: Vec<String>,
    using_named: Vec<String>,
) -> Result<Response, ApiError> {
    if !state.opts.allow_update {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "SPARQL Update is disabled: this server is read-only (start it with --allow-update)",
        ));
    }
    if !using.is_empty() || !using_named.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "using-graph-uri and using-named-graph-uri are not supported; use USING in the update",
        ));
    }
    let live = state.live();
    blocking(&state, move |_token| {
        let mut ev = SparqlEvaluator::new();
        for (prefix, iri) in PREFIXES {
            ev = ev
                .with_prefix(prefix, iri)
                .map_err(|e| ApiError::internal(e.to_string()))?;
        }
        let update = ev.parse_update(&text).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("SPARQL syntax error in the update: {e}"),
            )
        })?;
        update
            .on_store(live.store())
            .execute()
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("update failed: {e}")))?;
        live.forget_derived();
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(accept: &str, format: Option<&str>) -> Negotiation {
        Negotiation {
            accept: Some(accept.to_owned()),
            format: format.map(str::to_owned),
        }
    }

    #[test]
    fn accept_headers() {
        let r = |a: &str| results_format(&n(a, None)).ok();
        assert_eq!(r(""), Some(QueryResultsFormat::Json));
        assert_eq!(r("*/*"), Some(QueryResultsFormat::Json));
        assert_eq!(r("text/csv"), Some(QueryResultsFormat::Csv));
        assert_eq!(
            r("application/sparql-results+xml;q=0.5, text/tab-separated-values"),
            Some(QueryResultsFormat::Tsv)
        );
        assert_eq!(r("text/html, */*;q=0.8"), Some(QueryResultsFormat::Json));
        assert_eq!(r("text/*"), Some(QueryResultsFormat::Xml));
        assert_eq!(r("image/png"), None);
        assert_eq!(r("text/csv;q=0, image/png"), None);
        let g = |a: &str| graph_format(&n(a, None)).ok();
        assert_eq!(g("application/n-triples"), Some(RdfFormat::NTriples));
        assert_eq!(g("application/ld+json"), Some(JSON_LD));
        assert_eq!(g("*/*"), Some(RdfFormat::Turtle));
        assert_eq!(
            results_format(&n("text/csv", Some("tsv"))).ok(),
            Some(QueryResultsFormat::Tsv)
        );
        assert!(results_format(&n("", Some("turtle"))).is_err());
    }
}
