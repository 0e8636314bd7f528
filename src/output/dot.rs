//! Graphviz DOT of the entity graph, built with petgraph: entities as nodes (shape and colour
//! by type), relations between entities as labelled edges.

use super::table::display_term;
use super::OutputError;
use crate::model::vocab::compact_iri;
use crate::model::EntityType;
use crate::query;
use oxigraph::model::Term;
use oxigraph::store::Store;
use petgraph::dot::{Config, Dot};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// A node of the entity graph.
#[derive(Debug, Clone)]
pub struct Node {
    pub iri: String,
    pub etype: EntityType,
    pub label: String,
}

/// The entity graph: nodes sorted by IRI, edges labelled by relation.
pub type EntityGraph = DiGraph<Node, String>;

const ENTITIES: &str = "SELECT ?e ?type ?label FROM <https://w3id.org/govkg/graph/entities> \
    WHERE { VALUES ?type { govkg:Project govkg:Place govkg:Programme govkg:Organisation } \
    ?e a ?type ; rdfs:label ?label }";
const RELATIONS: &str = "SELECT ?a ?p ?b FROM <https://w3id.org/govkg/graph/entities> \
    WHERE { VALUES ?p { govkg:settledIn govkg:locatedAt govkg:runBy govkg:mentionedWith } \
    ?a ?p ?b }";

fn rows(store: &Store, text: &str) -> Result<Vec<Vec<Option<Term>>>, OutputError> {
    let prepared = query::prepare(text, "dot", &[], None)?;
    Ok(query::collect(query::execute(store, prepared)?)?.rows)
}

fn iri(t: &Option<Term>) -> Option<String> {
    match t {
        Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
        _ => None,
    }
}

/// Reads the entity graph from the store.
pub fn entity_graph(store: &Store) -> Result<EntityGraph, OutputError> {
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    for row in rows(store, ENTITIES)? {
        let (Some(e), Some(t), Some(label)) = (iri(&row[0]), iri(&row[1]), row[2].as_ref()) else {
            continue;
        };
        let Some(etype) = t.rsplit('#').next().and_then(EntityType::parse) else {
            continue;
        };
        let label = display_term(label);
        // Several labels (one per report graph or language): keep the smallest, for stability.
        nodes
            .entry(e.clone())
            .and_modify(|n| {
                if label < n.label {
                    n.label = label.clone()
                }
            })
            .or_insert(Node {
                iri: e,
                etype,
                label,
            });
    }
    let mut graph = EntityGraph::new();
    let index: BTreeMap<String, NodeIndex> = nodes
        .into_values()
        .map(|n| (n.iri.clone(), graph.add_node(n)))
        .collect();
    let mut edges = BTreeSet::new();
    for row in rows(store, RELATIONS)? {
        let (Some(a), Some(p), Some(b)) = (iri(&row[0]), iri(&row[1]), iri(&row[2])) else {
            continue;
        };
        // Co-mentions are stored once per pair (the property is symmetric).
        let relation = compact_iri(&p).trim_start_matches("govkg:").to_owned();
        if let (Some(&ia), Some(&ib)) = (index.get(&a), index.get(&b)) {
            edges.insert((ia, ib, relation));
        }
    }
    for (a, b, r) in edges {
        graph.add_edge(a, b, r);
    }
    Ok(graph)
}

/// The part of `graph` within `depth` steps (either direction) of the entity labelled `label`.
pub fn neighbourhood(
    graph: &EntityGraph,
    label: &str,
    depth: usize,
) -> Result<EntityGraph, OutputError> {
    let mut starts: Vec<NodeIndex> = graph
        .node_indices()
        .filter(|&i| graph[i].label == label)
        .collect();
    if starts.is_empty() {
        starts = graph
            .node_indices()
            .filter(|&i| graph[i].label.contains(label))
            .collect();
    }
    if starts.is_empty() {
        return Err(OutputError::UnknownEntity(label.to_owned()));
    }
    let mut dist: BTreeMap<NodeIndex, usize> = starts.iter().map(|&s| (s, 0)).collect();
    let mut queue: VecDeque<NodeIndex> = starts.into_iter().collect();
    while let Some(n) = queue.pop_front() {
        let d = dist[&n];
        if d == depth {
            continue;
        }
        for m in graph.neighbors_undirected(n) {
            if let std::collections::btree_map::Entry::Vacant(v) = dist.entry(m) {
                v.insert(d + 1);
                queue.push_back(m);
            }
        }
    }
    Ok(graph.filter_map(
        |i, n| dist.contains_key(&i).then(|| n.clone()),
        |_, e| Some(e.clone()),
    ))
}

fn style(etype: EntityType) -> (&'static str, &'static str) {
    match etype {
        EntityType::Project => ("box", "#f4a261"),
        EntityType::Place => ("ellipse", "#8ecae6"),
        EntityType::Programme => ("hexagon", "#b5e48c"),
        EntityType::Organisation => ("component", "#e0aaff"),
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Renders the graph as DOT; Chinese labels use a CJK font where Graphviz finds one.
pub fn to_dot(graph: &EntityGraph) -> String {
    let edge_attrs = |_: &EntityGraph, e: petgraph::graph::EdgeReference<String>| {
        let dashed = if e.weight() == "mentionedWith" {
            ", style=dashed, color=gray60, dir=none"
        } else {
            ""
        };
        format!("label=\"{}\"{dashed}", escape(e.weight()))
    };
    let node_attrs = |_: &EntityGraph, (_, n): (NodeIndex, &Node)| {
        let (shape, colour) = style(n.etype);
        format!(
            "label=\"{}\", shape={shape}, style=filled, fillcolor=\"{colour}\", tooltip=\"{} ({})\"",
            escape(&n.label),
            escape(&n.iri),
            n.etype.name()
        )
    };
    let dot = Dot::with_attr_getters(
        graph,
        &[Config::EdgeNoLabel, Config::NodeNoLabel],
        &edge_attrs,
        &node_attrs,
    );
    let text = format!("{dot:?}");
    match text.split_once('\n') {
        Some((first, rest)) => format!(
            "{first}\n    graph [fontname=\"Noto Sans CJK SC,WenQuanYi Zen Hei,sans-serif\", overlap=false];\n    node [fontname=\"Noto Sans CJK SC,WenQuanYi Zen Hei,sans-serif\"];\n    edge [fontname=\"Noto Sans CJK SC,WenQuanYi Zen Hei,sans-serif\", fontsize=10];\n{rest}"
        ),
        None => text,
    }
}
