//! `/export` (the whole graph, as `govkg export`), `/graph.dot` and `/graph.svg` (as
//! `govkg dot`). SVG is drawn in-process by `layout-rs` from the same DOT text, so the
//! server needs no Graphviz.

use super::sparql::{negotiate, Negotiation};
use super::{blocking, blocking_within, bytes_response, ApiError, Shared};
use crate::output::dot;
use crate::output::export::{self, ExportFormat};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::time::Duration;

/// Deepest `depth` accepted for neighbourhoods.
pub(crate) const MAX_DEPTH: usize = 5;
/// Time allowed for an export, which Oxigraph cannot cancel half-way (a large store takes
/// seconds to sort and write); each format is made once and then served from memory.
const EXPORT_TIME: Duration = Duration::from_secs(120);
/// Most nodes drawn as SVG (layout time grows fast with size); DOT has no limit.
pub(crate) const MAX_SVG_NODES: usize = 400;

const EXPORT_TYPES: &[(&str, ExportFormat)] = &[
    ("text/turtle", ExportFormat::Turtle),
    ("application/n-triples", ExportFormat::Ntriples),
    ("application/n-quads", ExportFormat::Nquads),
    ("application/trig", ExportFormat::Trig),
    ("application/ld+json", ExportFormat::Jsonld),
    ("application/rdf+xml", ExportFormat::Rdfxml),
];
const EXPORT_NAMES: &[(&str, ExportFormat)] = &[
    ("turtle", ExportFormat::Turtle),
    ("ttl", ExportFormat::Turtle),
    ("ntriples", ExportFormat::Ntriples),
    ("nt", ExportFormat::Ntriples),
    ("nquads", ExportFormat::Nquads),
    ("nq", ExportFormat::Nquads),
    ("trig", ExportFormat::Trig),
    ("jsonld", ExportFormat::Jsonld),
    ("rdfxml", ExportFormat::Rdfxml),
];

fn pairs(raw: Option<String>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// `GET /export?format=…`
pub(crate) async fn export(
    State(state): State<Shared>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let format = pairs(raw)
        .into_iter()
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v);
    let negotiation = Negotiation::new(&headers, format);
    let format = negotiate(
        &negotiation,
        EXPORT_TYPES,
        EXPORT_NAMES,
        ExportFormat::Turtle,
        "the export",
    )?;
    let live = state.live();
    let cached = live.exports.read().ok().and_then(|done| {
        done.iter()
            .find(|(f, _)| *f == format)
            .map(|(_, body)| body.clone())
    });
    let body = match cached {
        Some(body) => body,
        None => {
            let reading = live.clone();
            let body = blocking_within(&state, EXPORT_TIME.max(state.opts.timeout), move |_| {
                let mut out = Vec::new();
                export::export(reading.store(), format, &mut out)?;
                Ok(axum::body::Bytes::from(out))
            })
            .await?;
            if let Ok(mut done) = live.exports.write() {
                done.push((format, body.clone()));
            }
            body
        }
    };
    Ok(bytes_response(format.media_type(), body))
}

/// The DOT text for `?around=&depth=`.
async fn dot_text(state: &Shared, raw: Option<String>) -> Result<(String, usize), ApiError> {
    let mut around = None;
    let mut depth = 1;
    for (k, v) in pairs(raw) {
        match k.as_str() {
            "around" if !v.trim().is_empty() => around = Some(v.trim().to_owned()),
            "around" => {}
            "depth" => {
                depth = v
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|d| *d <= MAX_DEPTH)
                    .ok_or_else(|| {
                        ApiError::bad_parameter(
                            "depth",
                            format!("expected an integer from 0 to {MAX_DEPTH}, got {v:?}"),
                        )
                    })?
            }
            other => {
                return Err(ApiError::bad_parameter(
                    other,
                    format!("unknown parameter `{other}` (use around, depth)"),
                ))
            }
        }
    }
    let live = state.live();
    blocking(state, move |_| {
        let graph = live.entity_graph()?;
        let graph = match around {
            Some(label) => dot::neighbourhood(&graph, &label, depth).map_err(|e| {
                let mut err = ApiError::from(e);
                err.parameter = Some("around".to_owned());
                err
            })?,
            None => (*graph).clone(),
        };
        Ok((dot::to_dot(&graph), graph.node_count()))
    })
    .await
}

/// `GET /graph.dot?around=&depth=`
pub(crate) async fn dot(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (text, _) = dot_text(&state, raw).await?;
    Ok(bytes_response("text/vnd.graphviz", text.into_bytes()))
}

/// `GET /graph.svg?around=&depth=`
pub(crate) async fn svg(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (text, nodes) = dot_text(&state, raw).await?;
    if nodes > MAX_SVG_NODES {
        return Err(ApiError::bad_parameter(
            "around",
            format!(
                "{nodes} entities are too many to draw (at most {MAX_SVG_NODES}): \
                 give ?around= an entity label, or get /graph.dot"
            ),
        ));
    }
    let svg = blocking(&state, move |_| render_svg(&text)).await?;
    Ok(bytes_response("image/svg+xml", svg.into_bytes()))
}

/// The CJK-capable font stack written into SVG text styles.
const FONT_STACK: &str =
    "'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', 'Source Han Sans SC', sans-serif";

/// Lays out DOT text and draws it as SVG with `layout-rs`.
pub(crate) fn render_svg(dot_text: &str) -> Result<String, ApiError> {
    use layout::backends::svg::SVGWriter;
    use layout::gv::{DotParser, GraphBuilder};
    let draw = || -> Result<String, String> {
        let mut parser = DotParser::new(dot_text);
        let ast = parser.process()?;
        let mut builder = GraphBuilder::new();
        builder.visit_graph(&ast);
        let mut graph = builder.get();
        let mut svg = SVGWriter::new();
        graph.do_it(false, false, false, &mut svg);
        Ok(svg.finalize())
    };
    // layout-rs asserts on inputs it cannot lay out; keep such a failure to this request.
    match std::panic::catch_unwind(draw) {
        Ok(Ok(svg)) => Ok(svg.replace(
            "font-family: Times, serif;",
            &format!("font-family: {FONT_STACK};"),
        )),
        Ok(Err(message)) => Err(ApiError::internal(format!(
            "cannot lay out the graph: {message}"
        ))),
        Err(_) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the graph layout failed on this graph; get /graph.dot and draw it with Graphviz",
        )),
    }
}
