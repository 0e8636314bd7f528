//! Stored queries as an API, and the OpenAPI 3 document generated from their headers.
//!
//! `GET /queries` lists them; `GET /queries/{name}?param=value` runs one. Values are typed by
//! the query's `#+ param:` header and bound as RDF terms ([`crate::query::catalogue`]), so
//! they cannot change the query. `format` is the output format unless the query declares a parameter of
//! that name.

use super::sparql::{serialize, Negotiation};
use super::{blocking, ApiError, Shared};
use crate::query::{self, StoredQuery};
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

fn describe(q: &StoredQuery) -> Value {
    json!({
        "name": q.name,
        "summary": q.summary,
        "path": format!("/queries/{}", q.name),
        "needs": q.needs,
        "parameters": q.params.iter().map(|p| json!({
            "name": p.name,
            "type": p.kind,
            "default": p.default,
            "required": p.default.is_none() && !p.optional,
            "min": p.min,
            "max": p.max,
            "description": p.description,
        })).collect::<Vec<_>>(),
    })
}

/// `GET /queries`
pub(crate) async fn list(State(state): State<Shared>) -> Json<Value> {
    Json(Value::Array(state.catalogue.iter().map(describe).collect()))
}

/// `GET /queries/{name}?…`
pub(crate) async fn run(
    State(state): State<Shared>,
    Path(name): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let Some(q) = state.stored(&name).cloned() else {
        return Err(query::QueryError::UnknownQuery(name).into());
    };
    let declares_format = q.params.iter().any(|p| p.name == "format");
    let mut values = BTreeMap::new();
    let mut format = None;
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        if k == "format" && !declares_format {
            format = Some(v.into_owned());
            continue;
        }
        if values.contains_key(k.as_ref()) {
            return Err(ApiError::bad_parameter(
                &k,
                format!("parameter `{k}` given twice"),
            ));
        }
        values.insert(k.into_owned(), v.into_owned());
    }
    let bindings = q.bindings(&values)?;
    let negotiation = Negotiation::new(&headers, format);
    // Refuse an unacceptable format before spending time on the query.
    let format = super::sparql::results_format(&negotiation)?;
    let key = format!("{}\u{0}{bindings:?}\u{0}{format:?}", q.name);
    let live = state.live();
    if let Some(hit) = live.cached(&key) {
        return Ok(hit.to_response());
    }
    let max_rows = state.opts.max_rows;
    let reading = live.clone();
    let out = blocking(&state, move |token| {
        let values = query::resolve(reading.store(), &bindings, Some(token.clone()))?;
        let prepared = query::prepare(&q.text, &q.origin, &values, Some(token))?;
        let results = query::execute(reading.store(), prepared)?;
        serialize(results, &negotiation, max_rows)
    })
    .await?;
    let out = Arc::new(out);
    live.cache(key, out.clone(), state.opts.cache_entries);
    Ok(out.to_response())
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

fn results_content() -> Value {
    json!({
        "application/sparql-results+json": {"schema": {"type": "object"}},
        "application/sparql-results+xml": {"schema": {"type": "string"}},
        "text/csv": {"schema": {"type": "string"}},
        "text/tab-separated-values": {"schema": {"type": "string"}}
    })
}

fn format_param(values: &[&str]) -> Value {
    json!({
        "name": "format", "in": "query", "required": false,
        "description": "Output format; overrides the Accept header.",
        "schema": {"type": "string", "enum": values}
    })
}

fn query_path(q: &StoredQuery) -> Value {
    let mut parameters: Vec<Value> = q
        .params
        .iter()
        .map(|p| {
            let mut schema = json!({"type": p.kind.json_type()});
            if let Some(min) = p.min {
                schema["minimum"] = json!(min);
            }
            if let Some(max) = p.max {
                schema["maximum"] = json!(max);
            }
            if let Some(d) = &p.default {
                schema["default"] = match p.kind.json_type() {
                    "integer" => d.parse::<i64>().map(Value::from).unwrap_or(json!(d)),
                    "number" => d.parse::<f64>().map(Value::from).unwrap_or(json!(d)),
                    _ => json!(d),
                };
            }
            match serde_json::to_value(p.kind)
                .ok()
                .as_ref()
                .and_then(Value::as_str)
            {
                Some("type") => {
                    schema["enum"] = json!(["Project", "Place", "Programme", "Organisation"])
                }
                Some("status") => {
                    schema["enum"] = json!(["Planned", "Started", "UnderWay", "Completed"])
                }
                Some("iri") => schema["format"] = json!("iri"),
                _ => {}
            }
            json!({
                "name": p.name,
                "in": "query",
                "required": p.default.is_none() && !p.optional,
                "description": p.description,
                "schema": schema,
            })
        })
        .collect();
    if !q.params.iter().any(|p| p.name == "format") {
        parameters.push(format_param(&["json", "xml", "csv", "tsv"]));
    }
    json!({
        "get": {
            "operationId": format!("query_{}", q.name.replace('-', "_")),
            "summary": q.summary,
            "tags": ["stored queries"],
            "parameters": parameters,
            "responses": {
                "200": {"description": "Query results", "content": results_content()},
                "400": error_response("A parameter value is invalid (the error names it)"),
                "406": error_response("No acceptable result format"),
                "503": error_response("The query ran out of time and was cancelled"),
            }
        }
    })
}

/// The OpenAPI 3 document of this server.
pub(crate) fn document(catalogue: &[StoredQuery]) -> Value {
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/queries".to_owned(),
        json!({"get": {
            "operationId": "list_queries",
            "summary": "The stored queries with their parameters",
            "tags": ["stored queries"],
            "responses": {"200": {"description": "Stored queries", "content": {"application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/StoredQuery"}}}}}}
        }}),
    );
    for q in catalogue {
        paths.insert(format!("/queries/{}", q.name), query_path(q));
    }
    let sparql_params = json!([
        {"name": "query", "in": "query", "required": true, "schema": {"type": "string"},
         "description": "A SPARQL 1.1 query (govkg prefixes, GeoSPARQL and gfn: functions available)"},
        {"name": "default-graph-uri", "in": "query", "required": false,
         "schema": {"type": "array", "items": {"type": "string"}}, "explode": true},
        {"name": "named-graph-uri", "in": "query", "required": false,
         "schema": {"type": "array", "items": {"type": "string"}}, "explode": true},
        format_param(&["json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"])
    ]);
    let mut sparql_content = results_content();
    for t in [
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
    ] {
        sparql_content[t] = json!({"schema": {"type": "string"}});
    }
    paths.insert(
        "/sparql".to_owned(),
        json!({
            "get": {
                "operationId": "sparql_get", "summary": "SPARQL 1.1 Protocol query",
                "tags": ["SPARQL"], "parameters": sparql_params,
                "responses": {
                    "200": {"description": "Results or graph, as negotiated", "content": sparql_content},
                    "400": error_response("Syntax error or bad parameter"),
                    "406": error_response("No acceptable format"),
                    "503": error_response("Timed out")
                }
            },
            "post": {
                "operationId": "sparql_post",
                "summary": "SPARQL 1.1 Protocol query (or update, with --allow-update)",
                "tags": ["SPARQL"],
                "requestBody": {"required": true, "content": {
                    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                        "query": {"type": "string"}, "update": {"type": "string"}}}},
                    "application/sparql-query": {"schema": {"type": "string"}},
                    "application/sparql-update": {"schema": {"type": "string"}}
                }},
                "responses": {
                    "200": {"description": "Results or graph, as negotiated", "content": sparql_content},
                    "204": {"description": "Update done"},
                    "400": error_response("Syntax error or bad parameter"),
                    "403": error_response("Updates are disabled"),
                    "413": error_response("Body too large"),
                    "503": error_response("Timed out")
                }
            }
        }),
    );
    paths.insert(
        "/export".to_owned(),
        json!({"get": {
            "operationId": "export", "summary": "The whole graph", "tags": ["graph"],
            "parameters": [format_param(&["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"])],
            "responses": {"200": {"description": "RDF", "content": {
                "text/turtle": {}, "application/n-triples": {}, "application/n-quads": {},
                "application/trig": {}, "application/ld+json": {}, "application/rdf+xml": {}}},
                "406": error_response("No acceptable format")}
        }}),
    );
    let around = json!([
        {"name": "around", "in": "query", "required": false, "schema": {"type": "string"},
         "description": "Label of the entity to centre on (exact, else the labels containing it)"},
        {"name": "depth", "in": "query", "required": false,
         "schema": {"type": "integer", "default": 1, "minimum": 0, "maximum": super::graph::MAX_DEPTH},
         "description": "Steps from the centre entity"}
    ]);
    for (path, media, what) in [
        ("/graph.dot", "text/vnd.graphviz", "Graphviz DOT"),
        ("/graph.svg", "image/svg+xml", "SVG drawing"),
    ] {
        paths.insert(
            path.to_owned(),
            json!({"get": {
                "operationId": path.trim_start_matches('/').replace('.', "_"),
                "summary": format!("{what} of the entity graph or of one entity's neighbourhood"),
                "tags": ["graph"], "parameters": around,
                "responses": {"200": {"description": what, "content": {media: {}}},
                    "400": error_response("Bad parameter"),
                    "404": error_response("No entity has that label")}
            }}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "govkg",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Knowledge graph of Chinese government reports: SPARQL endpoint and stored queries."
        },
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {
                "error": {"type": "string"},
                "parameter": {"type": "string", "description": "The parameter at fault, if any"}}},
            "StoredQuery": {"type": "object", "properties": {
                "name": {"type": "string"}, "summary": {"type": "string"}, "path": {"type": "string"},
                "parameters": {"type": "array", "items": {"type": "object", "properties": {
                    "name": {"type": "string"},
                    "type": {"type": "string", "enum": ["string", "integer", "decimal", "iri", "type", "status", "name", "year"]},
                    "default": {"type": "string", "nullable": true},
                    "required": {"type": "boolean"},
                    "description": {"type": "string"}}}}}}
        }}
    })
}

/// `GET /openapi.json`
pub(crate) async fn openapi(State(state): State<Shared>) -> Json<Value> {
    Json(document(&state.catalogue))
}
