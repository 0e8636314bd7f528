//! The graph layout: entity-level facts are written once, in the entities graph; a report's
//! graph holds only what that report says.

mod common;

use common::*;

const ENTITIES: &str = "https://w3id.org/govkg/graph/entities";

fn count(rows: &[serde_json::Map<String, serde_json::Value>]) -> usize {
    rows[0]["n"]
        .as_str()
        .expect("count")
        .parse()
        .expect("number")
}

#[test]
fn entity_facts_are_written_once_in_the_entities_graph() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    // The reports share entities, so the check below has something to catch.
    let shared = query_rows(
        &store,
        &["SELECT (COUNT(*) AS ?n) WHERE { ?e govkg:reportCount ?c FILTER(?c >= 2) }"],
    );
    assert!(
        count(&shared) >= 20,
        "few entities in several reports: {shared:?}"
    );

    // No triple about an entity is in two graphs.
    let twice = query_rows(
        &store,
        &["SELECT ?s ?p ?o (COUNT(DISTINCT ?g) AS ?graphs) WHERE { \
            GRAPH ?g { ?s ?p ?o } \
            GRAPH <https://w3id.org/govkg/graph/entities> { ?s a ?type } \
          } GROUP BY ?s ?p ?o HAVING (COUNT(DISTINCT ?g) > 1) LIMIT 5"],
    );
    assert!(
        twice.is_empty(),
        "entity triples in several graphs: {twice:?}"
    );

    // A report's graph says of an entity only that it mentions it and gives it a figure.
    let outside = query_rows(
        &store,
        &[&format!(
            "SELECT DISTINCT ?p WHERE {{ GRAPH <{ENTITIES}> {{ ?s a ?type }} \
               GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ENTITIES}>) }}"
        )],
    );
    let predicates: Vec<&str> = outside
        .iter()
        .map(|r| r["p"].as_str().unwrap_or_default())
        .collect();
    assert!(!predicates.is_empty());
    for p in &predicates {
        assert!(
            p.ends_with("#mentionedIn") || p.ends_with("#hasQuantity"),
            "entity fact {p} outside the entities graph"
        );
    }

    // Each entity has one type and one label, and its report count is its reports.
    let labels = query_rows(
        &store,
        &[
            "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?e (COUNT(?l) AS ?c) WHERE { \
            ?e govkg:reportCount ?r ; rdfs:label ?l } GROUP BY ?e } FILTER(?c != 1) }",
        ],
    );
    assert_eq!(count(&labels), 0);
    let counts = query_rows(
        &store,
        &[
            "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?e ?r (COUNT(DISTINCT ?rep) AS ?c) WHERE { \
            ?e govkg:reportCount ?r ; govkg:mentionedIn ?rep } GROUP BY ?e ?r } FILTER(?c != ?r) }",
        ],
    );
    assert_eq!(count(&counts), 0);
}

#[test]
fn stored_queries_run_outside_the_checkout() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_govkg"))
        .args(["query", "near-central-axis", "--format", "json", "--store"])
        .arg(&store)
        .current_dir(dir.path())
        .env_remove("GOVKG_QUERIES")
        .output()
        .expect("govkg runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = json_rows(&String::from_utf8_lossy(&out.stdout));
    assert!(rows.len() >= 10, "{rows:?}");
}
