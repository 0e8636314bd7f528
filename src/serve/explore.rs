//! The explorer's JSON routes: search suggestions, an entity's page, its neighbourhood graph,
//! and the located entities of the map. Each reads a bounded amount of the store through
//! indexed patterns (lookup keys, name grams, an entity's own triples), so that they answer
//! in milliseconds on large archives.
//!
//! - `GET /api/search?q=…&limit=10`: entities whose label or alias contains `q`, exact
//!   names first, then the most widely reported.
//! - `GET /api/entity?iri=…&sentences=100`: type, labels, counts, location, relations,
//!   status timeline and the mentioning sentences grouped by report.
//! - `GET /api/graph?iri=…&depth=1&comentions=false&limit=60`: nodes and labelled edges
//!   around an entity, the most widely reported neighbours first.
//! - `GET /api/map?limit=2000`: located places and projects with their points.

use super::{blocking, ApiError, Shared};
use crate::model::vocab::{compact_iri, ENTITIES_GRAPH};
use crate::model::{lookup_key, EntityType};
use crate::query::{self, Bound, Table};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use oxigraph::model::{NamedNode, Term, Variable};
use oxigraph::store::Store;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The request's parameters; an unknown one is an error naming it.
fn params(raw: Option<String>, known: &[&str]) -> Result<BTreeMap<String, String>, ApiError> {
    let mut out = BTreeMap::new();
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        if !known.contains(&k.as_ref()) {
            return Err(ApiError::bad_parameter(
                &k,
                format!("unknown parameter `{k}` (use {})", known.join(", ")),
            ));
        }
        out.insert(k.into_owned(), v.into_owned());
    }
    Ok(out)
}

/// A number parameter within `1..=max`, or `default`.
fn number(
    p: &BTreeMap<String, String>,
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match p.get(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                ApiError::bad_parameter(
                    name,
                    format!("expected a number from 1 to {max}, got {v:?}"),
                )
            }),
    }
}

/// The `iri` parameter: an entity IRI.
fn entity_param(p: &BTreeMap<String, String>) -> Result<NamedNode, ApiError> {
    let value = p
        .get("iri")
        .ok_or_else(|| ApiError::bad_parameter("iri", "missing the entity's `iri`"))?;
    NamedNode::new(value.trim())
        .map_err(|e| ApiError::bad_parameter("iri", format!("not an absolute IRI: {e}")))
}

/// Runs an internal query with `bindings` (never substituted: values and constants).
fn select(store: &Store, text: &str, bindings: Vec<(&str, Vec<Term>)>) -> Result<Table, ApiError> {
    let bound: Vec<Bound> = bindings
        .into_iter()
        .map(|(v, terms)| Bound {
            variable: Variable::new_unchecked(v),
            terms,
            substitute: false,
        })
        .collect();
    let prepared = query::prepare(text, "the explorer", &bound, None)?;
    Ok(query::collect(query::execute(store, prepared)?)?)
}

/// A cell of a row as plain text (IRIs whole, literals by value).
fn text(row: &[Option<Term>], i: usize) -> Option<String> {
    match row.get(i)?.as_ref()? {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        Term::Literal(l) => Some(l.value().to_owned()),
        other => Some(other.to_string()),
    }
}

fn int(row: &[Option<Term>], i: usize) -> Option<i64> {
    text(row, i)?.parse().ok()
}

/// The entity type of a class IRI.
fn type_name(class: &str) -> Option<&'static str> {
    EntityType::parse(class.rsplit('#').next()?).map(EntityType::name)
}

const CLASSES: &str =
    "VALUES ?type { govkg:Project govkg:Place govkg:Programme govkg:Organisation }";

/// `GET /api/search`
pub(crate) async fn search(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = params(raw, &["q", "limit"])?;
    let q = p.get("q").map(|q| lookup_key(q)).unwrap_or_default();
    if q.is_empty() {
        return Err(ApiError::bad_parameter("q", "give part of a name"));
    }
    let limit = number(&p, "limit", 10, 100)?;
    let live = state.live();
    blocking(&state, move |_| Ok(Json(suggest(live.store(), &q, limit)?))).await
}

/// Label, type and report count of entities, most widely reported first.
const INFO: &str = "?e rdfs:label ?label ; a ?type ; govkg:reportCount ?reports .";

fn suggestion(r: &[Option<Term>]) -> Value {
    json!({
        "iri": text(r, 0),
        "label": text(r, 1),
        "type": text(r, 2).as_deref().and_then(type_name),
        "reports": int(r, 3),
    })
}

/// Whole names first (an index lookup of the key), then names that contain the key (found
/// through its first and last character pairs), most widely reported first. A single
/// character matches whole names only: as a part it would match half the archive.
fn suggest(store: &Store, key: &str, limit: usize) -> Result<Value, ApiError> {
    let literal = |s: String| vec![Term::from(oxigraph::model::Literal::new_simple_literal(s))];
    let exact = select(
        store,
        &format!(
            "SELECT ?e ?label ?type ?reports WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ \
             ?e govkg:lookupKey ?key . {INFO} }} {CLASSES} }} ORDER BY DESC(?reports) ?label LIMIT {limit}"
        ),
        vec![("key", literal(key.to_owned()))],
    )?;
    let mut suggestions: Vec<Value> = exact.rows.iter().map(|r| suggestion(r)).collect();
    let chars: Vec<char> = key.chars().collect();
    if chars.len() >= 2 && suggestions.len() < limit {
        let part = select(
            store,
            &format!(
                "SELECT ?e ?label ?type ?reports WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ \
                 ?e govkg:nameGram ?first ; govkg:nameGram ?last ; govkg:lookupKey ?k . \
                 FILTER(CONTAINS(?k, ?key) && ?k != ?key) {INFO} }} {CLASSES} }} \
                 ORDER BY DESC(?reports) ?label LIMIT {}",
                limit * 2
            ),
            vec![
                ("key", literal(key.to_owned())),
                ("first", literal(chars[..2].iter().collect())),
                ("last", literal(chars[chars.len() - 2..].iter().collect())),
            ],
        )?;
        for r in &part.rows {
            let s = suggestion(r);
            if suggestions.len() < limit && !suggestions.iter().any(|x| x["iri"] == s["iri"]) {
                suggestions.push(s);
            }
        }
    }
    Ok(json!({"q": key, "suggestions": suggestions}))
}

/// `GET /api/entity`
pub(crate) async fn entity(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = params(raw, &["iri", "sentences"])?;
    let iri = entity_param(&p)?;
    let sentences = number(&p, "sentences", 100, 1000)?;
    let live = state.live();
    blocking(&state, move |_| {
        Ok(Json(entity_page(live.store(), &iri, sentences)?))
    })
    .await
}

fn entity_page(store: &Store, iri: &NamedNode, sentences: usize) -> Result<Value, ApiError> {
    let e = || vec![("e", vec![Term::from(iri.clone())])];
    let own = select(
        store,
        &format!("SELECT ?p ?o WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e ?p ?o }} }}"),
        e(),
    )?;
    if own.rows.is_empty() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no entity {}", iri.as_str()),
        ));
    }
    let mut page = facts(&own);
    page["iri"] = json!(iri.as_str());
    let mut relations = outgoing(store, &own)?;
    relations.extend(incoming(store, iri)?);
    page["relations"] = Value::Array(relations);
    page["timeline"] = timeline(store, iri)?;
    page["mentions"] = mention_groups(store, iri, sentences)?;
    Ok(page)
}

/// Type, labels, counts and location from an entity's own triples.
fn facts(own: &Table) -> Value {
    let mut out = Map::new();
    let mut aliases = BTreeSet::new();
    let mut location = Map::new();
    for row in &own.rows {
        let (Some(p), Some(o)) = (text(row, 0), text(row, 1)) else {
            continue;
        };
        let local = compact_iri(&p);
        match local.as_str() {
            "rdf:type" => {
                out.insert("type".into(), json!(type_name(&o)));
            }
            "rdfs:label" => {
                out.insert("label".into(), json!(o));
            }
            "skos:altLabel" => {
                aliases.insert(o);
            }
            "govkg:reportCount" | "govkg:mentionCount" => {
                let key = local.trim_start_matches("govkg:");
                out.insert(key.into(), json!(o.parse::<i64>().ok()));
            }
            "govkg:lat" | "govkg:lon" | "govkg:axisDistance" => {
                location.insert(
                    local.trim_start_matches("govkg:").into(),
                    json!(o.parse::<f64>().ok()),
                );
            }
            "govkg:axisPlace" => {
                location.insert("axisPlace".into(), json!(o));
            }
            "govkg:gazetteerPlace" => {
                location.insert("gazetteer".into(), json!(o));
            }
            _ => {}
        }
    }
    out.insert("aliases".into(), json!(aliases));
    if !location.is_empty() {
        out.insert("location".into(), Value::Object(location));
    }
    Value::Object(out)
}

/// Properties that relate two entities.
const RELATIONS: [&str; 4] = ["settledIn", "locatedAt", "runBy", "mentionedWith"];

fn relation_of(p: &str) -> Option<&'static str> {
    RELATIONS
        .into_iter()
        .find(|r| p.strip_prefix(crate::model::vocab::ONT) == Some(r))
}

/// The entity's relations to others, with their labels and types.
fn outgoing(store: &Store, own: &Table) -> Result<Vec<Value>, ApiError> {
    let targets: Vec<(&'static str, String)> = own
        .rows
        .iter()
        .filter_map(|r| Some((relation_of(&text(r, 0)?)?, text(r, 1)?)))
        .collect();
    let iris: Vec<Term> = targets
        .iter()
        .map(|(_, o)| Term::from(NamedNode::new_unchecked(o)))
        .collect();
    let info = labels(store, iris)?;
    Ok(targets
        .into_iter()
        .map(|(relation, o)| {
            let (label, class) = info.get(&o).cloned().unwrap_or_default();
            json!({"direction": "out", "relation": relation, "iri": o, "label": label, "type": class})
        })
        .collect())
}

/// Label and type of each of `iris` (entities), by IRI.
fn labels(store: &Store, iris: Vec<Term>) -> Result<BTreeMap<String, (String, String)>, ApiError> {
    if iris.is_empty() {
        return Ok(BTreeMap::new());
    }
    let table = select(
        store,
        &format!(
            "SELECT ?o ?label ?type WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?o rdfs:label ?label ; a ?type }} }}"
        ),
        vec![("o", iris)],
    )?;
    Ok(table
        .rows
        .iter()
        .filter_map(|r| {
            let class = type_name(&text(r, 2)?)?.to_owned();
            Some((text(r, 0)?, (text(r, 1)?, class)))
        })
        .collect())
}

fn incoming(store: &Store, iri: &NamedNode) -> Result<Vec<Value>, ApiError> {
    let table = select(
        store,
        &format!(
            "SELECT ?p ?s ?slabel ?stype WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ \
             VALUES ?p {{ govkg:settledIn govkg:locatedAt govkg:runBy govkg:mentionedWith }} \
             ?s ?p ?e ; rdfs:label ?slabel ; a ?stype }} }} LIMIT 2000"
        ),
        vec![("e", vec![Term::from(iri.clone())])],
    )?;
    Ok(table
        .rows
        .iter()
        .filter_map(|r| {
            let relation = relation_of(&text(r, 0)?)?;
            Some(json!({
                "direction": "in", "relation": relation, "iri": text(r, 1),
                "label": text(r, 2), "type": text(r, 3).as_deref().and_then(type_name),
            }))
        })
        .collect())
}

fn timeline(store: &Store, iri: &NamedNode) -> Result<Value, ApiError> {
    let table = select(
        store,
        "SELECT ?year ?status ?trigger ?sentence ?report WHERE { \
         ?st govkg:project ?e ; govkg:status ?status ; govkg:trigger ?trigger ; \
             govkg:evidence ?s ; dcterms:isPartOf ?report . \
         ?s govkg:text ?sentence . OPTIONAL { ?st govkg:year ?year } } \
         ORDER BY ?year ?report LIMIT 500",
        vec![("e", vec![Term::from(iri.clone())])],
    )?;
    Ok(Value::Array(
        table
            .rows
            .iter()
            .map(|r| {
                json!({
                    "year": int(r, 0),
                    "status": text(r, 1).map(|s| s.rsplit('#').next().unwrap_or_default().to_owned()),
                    "trigger": text(r, 2), "sentence": text(r, 3), "report": text(r, 4),
                })
            })
            .collect(),
    ))
}

/// The first `limit` mentioning sentences, grouped by report, each with the surface forms
/// to highlight.
fn mention_groups(store: &Store, iri: &NamedNode, limit: usize) -> Result<Value, ApiError> {
    let table = select(
        store,
        &format!(
            "SELECT ?report ?title ?year ?s ?text (GROUP_CONCAT(DISTINCT ?form; separator=\"\\u0001\") AS ?forms) \
             WHERE {{ ?m govkg:mentionOf ?e ; govkg:inSentence ?s ; govkg:surfaceForm ?form . \
             ?s govkg:text ?text ; govkg:startOffset ?at ; dcterms:isPartOf ?report . \
             OPTIONAL {{ ?report dcterms:title ?title }} OPTIONAL {{ ?report govkg:year ?year }} }} \
             GROUP BY ?report ?title ?year ?s ?text ?at ORDER BY ?year ?report ?at LIMIT {limit}"
        ),
        vec![("e", vec![Term::from(iri.clone())])],
    )?;
    let mut groups: Vec<Value> = Vec::new();
    for r in &table.rows {
        let report = text(r, 0);
        let sentence = json!({
            "text": text(r, 4),
            "highlight": text(r, 5).map(|f| f.split('\u{1}').map(str::to_owned).collect::<Vec<_>>()),
        });
        match groups.last_mut() {
            Some(g) if g["report"] == json!(report) => {
                if let Some(list) = g["sentences"].as_array_mut() {
                    list.push(sentence);
                }
            }
            _ => groups.push(json!({
                "report": report, "title": text(r, 1), "year": int(r, 2), "sentences": [sentence],
            })),
        }
    }
    Ok(Value::Array(groups))
}

/// `GET /api/graph`
pub(crate) async fn graph(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = params(raw, &["iri", "depth", "comentions", "limit"])?;
    let iri = entity_param(&p)?;
    let depth = number(&p, "depth", 1, 3)?;
    let limit = number(&p, "limit", 60, 500)?;
    let comentions = match p.get("comentions").map(String::as_str) {
        None | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(other) => {
            return Err(ApiError::bad_parameter(
                "comentions",
                format!("expected true or false, got {other:?}"),
            ))
        }
    };
    let live = state.live();
    blocking(&state, move |_| {
        Ok(Json(neighbourhood(
            live.store(),
            &iri,
            depth,
            comentions,
            limit,
        )?))
    })
    .await
}

fn neighbourhood(
    store: &Store,
    centre: &NamedNode,
    depth: usize,
    comentions: bool,
    limit: usize,
) -> Result<Value, ApiError> {
    let properties = if comentions {
        "govkg:settledIn govkg:locatedAt govkg:runBy govkg:mentionedWith"
    } else {
        "govkg:settledIn govkg:locatedAt govkg:runBy"
    };
    let mut nodes: BTreeMap<String, (Option<String>, Option<String>, i64)> = BTreeMap::new();
    let mut edges: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut frontier = vec![Term::from(centre.clone())];
    let mut more = 0;
    for _ in 0..depth {
        if frontier.is_empty() || nodes.len() >= limit {
            break;
        }
        let table = select(
            store,
            &format!(
                "SELECT ?x ?p ?y ?dir ?label ?type ?reports WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ \
                 VALUES ?p {{ {properties} }} \
                 {{ ?x ?p ?y BIND(\"out\" AS ?dir) }} UNION {{ ?y ?p ?x BIND(\"in\" AS ?dir) }} \
                 ?y rdfs:label ?label ; a ?type ; govkg:reportCount ?reports }} }} \
                 ORDER BY DESC(?reports) ?label LIMIT 5000"
            ),
            vec![("x", frontier.clone())],
        )?;
        let mut next = Vec::new();
        for r in &table.rows {
            let (Some(x), Some(p), Some(y), Some(dir)) =
                (text(r, 0), text(r, 1), text(r, 2), text(r, 3))
            else {
                continue;
            };
            if !nodes.contains_key(&y) {
                if nodes.len() + 1 >= limit {
                    more += 1;
                    continue;
                }
                nodes.insert(y.clone(), (text(r, 4), text(r, 5), int(r, 6).unwrap_or(0)));
                next.push(Term::from(NamedNode::new_unchecked(&y)));
            }
            let relation = relation_of(&p).unwrap_or_default().to_owned();
            edges.insert(if dir == "out" {
                (x, relation, y)
            } else {
                (y, relation, x)
            });
        }
        frontier = next;
    }
    let centre_info = select(
        store,
        &format!(
            "SELECT ?label ?type ?reports WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ \
             ?e rdfs:label ?label ; a ?type ; govkg:reportCount ?reports }} }}"
        ),
        vec![("e", vec![Term::from(centre.clone())])],
    )?;
    let Some(c) = centre_info.rows.first() else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no entity {}", centre.as_str()),
        ));
    };
    nodes.insert(
        centre.as_str().to_owned(),
        (text(c, 0), text(c, 1), int(c, 2).unwrap_or(0)),
    );
    let nodes: Vec<Value> = nodes
        .iter()
        .map(|(iri, (label, class, reports))| {
            json!({
                "iri": iri, "label": label, "reports": reports,
                "type": class.as_deref().and_then(type_name),
                "centre": iri == centre.as_str(),
            })
        })
        .collect();
    let edges: Vec<Value> = edges
        .into_iter()
        .map(|(s, r, o)| json!({"source": s, "relation": r, "target": o}))
        .collect();
    Ok(json!({"nodes": nodes, "edges": edges, "more": more}))
}

/// `GET /api/map`
pub(crate) async fn map(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = params(raw, &["limit"])?;
    let limit = number(&p, "limit", 2000, 20_000)?;
    let live = state.live();
    blocking(&state, move |_| {
        let table = select(
            live.store(),
            &format!(
                "SELECT ?e ?type ?label ?lat ?lon ?axis ?reports WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ \
                 ?e govkg:lat ?lat ; govkg:lon ?lon ; a ?type ; rdfs:label ?label ; \
                 govkg:reportCount ?reports . OPTIONAL {{ ?e govkg:axisDistance ?axis }} }} \
                 FILTER(?type IN (govkg:Project, govkg:Place)) }} \
                 ORDER BY DESC(?reports) ?label LIMIT {limit}"
            ),
            Vec::new(),
        )?;
        let features: Vec<Value> = table
            .rows
            .iter()
            .map(|r| {
                json!({
                    "iri": text(r, 0), "type": text(r, 1).as_deref().and_then(type_name),
                    "label": text(r, 2),
                    "lat": text(r, 3).and_then(|v| v.parse::<f64>().ok()),
                    "lon": text(r, 4).and_then(|v| v.parse::<f64>().ok()),
                    "axisDistance": text(r, 5).and_then(|v| v.parse::<f64>().ok()),
                    "reports": int(r, 6),
                })
            })
            .collect();
        Ok(Json(json!({"features": features})))
    })
    .await
}
