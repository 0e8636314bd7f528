//! End-to-end tests of the `govkg` binary on the bundled reports.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

fn s(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Distinct (type, label) pairs over all reports, from `govkg extract`.
fn extracted_pairs(paths: &[&str]) -> BTreeSet<(String, String)> {
    let mut args = vec!["extract"];
    args.extend(paths);
    ok(&args)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("jsonl line");
            (
                v["type"].as_str().expect("type").to_owned(),
                v["label"].as_str().expect("label").to_owned(),
            )
        })
        .collect()
}

/// The `resolved entities:` line of a build summary, by type.
fn resolved_counts(summary: &str) -> BTreeMap<String, usize> {
    let line = summary
        .lines()
        .find_map(|l| l.strip_prefix("resolved entities: "))
        .expect("summary has a resolved line");
    let counts = line.split(" (").next().unwrap();
    counts
        .split(", ")
        .map(|kv| {
            let (k, v) = kv.split_once(' ').unwrap();
            (k.to_owned(), v.parse().unwrap())
        })
        .collect()
}

#[test]
fn build_then_count_entities_by_type() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let summary = ok(&["build", s(&reports()), "--store", s(&store)]);
    let expected = resolved_counts(&summary);
    let out = ok(&[
        "query",
        "SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { VALUES ?type { govkg:Project govkg:Place govkg:Programme govkg:Organisation } ?e a ?type } GROUP BY ?type",
        "--format",
        "json",
        "--store",
        s(&store),
    ]);
    let got: BTreeMap<String, usize> = json_rows(&out)
        .into_iter()
        .map(|r| {
            let t = r["type"]
                .as_str()
                .unwrap()
                .rsplit('#')
                .next()
                .unwrap()
                .to_owned();
            (t, r["n"].as_str().unwrap().parse().unwrap())
        })
        .collect();
    assert_eq!(got, expected);
    for t in ["Project", "Place", "Programme", "Organisation"] {
        assert!(got.get(t).copied().unwrap_or(0) > 5, "few {t}: {got:?}");
    }
    // Every extracted entity is in the store under its own name or as an alias.
    let names = ok(&[
        "query",
        "SELECT DISTINCT ?type ?name WHERE { ?e a ?type ; rdfs:label|skos:altLabel ?name }",
        "--format",
        "tsv",
        "--store",
        s(&store),
    ]);
    for (t, label) in extracted_pairs(&[s(&reports())]) {
        let row = format!("<https://w3id.org/govkg/ont#{t}>\t\"{label}\"@zh");
        assert!(
            names.lines().any(|l| l == row),
            "{t} {label} missing from the store"
        );
    }
    // Every report is in the store with its metadata.
    let reports = query_rows(&store, &["reports"]);
    assert_eq!(reports.len(), 5);
    let meta: BTreeSet<(String, String, String, String)> = reports
        .iter()
        .map(|r| {
            let v = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
            let kind = v("kind").rsplit('#').next().unwrap().to_owned();
            let id = v("report").rsplit('/').next().unwrap()[..3].to_owned();
            (id, v("district"), v("year"), kind)
        })
        .collect();
    let expected: BTreeSet<(String, String, String, String)> = [
        ("000", "东城区", "2024", "WorkReport"),
        ("001", "东城区", "2022", "PlanExecutionReport"),
        ("002", "西城区", "2023", "WorkReport"),
        ("003", "东城区", "2023", "MeetingReport"),
        ("004", "东城区", "2020", "PerformanceReport"),
    ]
    .iter()
    .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
    .collect();
    assert_eq!(meta, expected);
    let dates = ok(&[
        "query",
        "SELECT ?d WHERE { ?r dcterms:date ?d } ORDER BY ?d",
        "--format",
        "csv",
        "--store",
        s(&store),
    ]);
    assert_eq!(
        dates,
        "d\r\n2022-09-14\r\n2023-01-04\r\n2023-02-01\r\n2024-01-09\r\n"
    );
}

#[test]
fn html_and_utf16_copies_give_the_same_entities() {
    let dir = tempfile::tempdir().unwrap();
    let original = reports().join("003_0d72470616a0bb8c.txt");
    let text = std::fs::read_to_string(&original).unwrap();
    let mut html = String::from(
        "<!DOCTYPE html><html><head><title>门户</title><style>p{color:red}</style>\
         <script>var nav = \"<p>首页</p>\";</script></head><body><div class=\"nav\">设为首页</div>",
    );
    for line in text.lines() {
        let escaped = line
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        html.push_str(&format!("<p>{escaped}</p>\n"));
    }
    html.push_str("<div>京ICP备19014909号-1</div></body></html>");
    let html_dir = dir.path().join("html");
    std::fs::create_dir(&html_dir).unwrap();
    let html_path = html_dir.join("003_0d72470616a0bb8c.html");
    std::fs::write(&html_path, html).unwrap();
    let utf16_dir = dir.path().join("utf16");
    std::fs::create_dir(&utf16_dir).unwrap();
    let utf16_path = utf16_dir.join("003_0d72470616a0bb8c.txt");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::write(&utf16_path, bytes).unwrap();
    let a = extracted_pairs(&[s(&original)]);
    assert!(a.len() > 10);
    assert_eq!(extracted_pairs(&[s(&html_path)]), a);
    assert_eq!(extracted_pairs(&[s(&utf16_path)]), a);
}

#[test]
fn turtle_export_parses_back_to_the_same_triples() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    let ttl = dir.path().join("g.ttl");
    ok(&[
        "export",
        "--format",
        "turtle",
        "-o",
        s(&ttl),
        "--store",
        s(&store),
    ]);
    let text = std::fs::read_to_string(&ttl).unwrap();
    assert!(text.contains("PREFIX govkg:") || text.contains("@prefix govkg:"));
    // Parsed back by sophia, a parser independent of the Oxigraph writer.
    use sophia::api::prelude::*;
    use sophia::api::term::SimpleTerm;
    let parsed: Vec<[SimpleTerm; 3]> = sophia::turtle::parser::turtle::parse_str(&text)
        .collect_triples()
        .expect("valid turtle");
    let nt = ok(&["export", "--format", "ntriples", "--store", s(&store)]);
    let lines = nt.lines().filter(|l| !l.is_empty()).count();
    let reference: Vec<[SimpleTerm; 3]> = sophia::turtle::parser::nt::parse_str(&nt)
        .collect_triples()
        .expect("valid n-triples");
    let parsed: std::collections::HashSet<_> = parsed.into_iter().collect();
    let reference: std::collections::HashSet<_> = reference.into_iter().collect();
    assert!(parsed.len() > 1000);
    assert_eq!(parsed.len(), lines);
    assert_eq!(reference.len(), lines);
    assert!(
        parsed == reference,
        "Turtle and N-Triples exports hold different triples"
    );
}

#[test]
fn builds_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    ok(&["build", s(&reports()), "--store", s(&a)]);
    ok(&["build", s(&reports()), "--store", s(&b)]);
    // A rebuild of the same store must not change anything either.
    ok(&["build", s(&reports()), "--store", s(&b)]);
    for format in ["nquads", "turtle"] {
        let x = ok(&["export", "--format", format, "--store", s(&a)]);
        let y = ok(&["export", "--format", format, "--store", s(&b)]);
        assert!(!x.is_empty());
        assert!(x == y, "{format} exports differ");
    }
}

#[test]
fn dot_output_is_accepted_by_graphviz() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    let whole = dir.path().join("g.dot");
    ok(&["dot", "-o", s(&whole), "--store", s(&store)]);
    let whole_text = std::fs::read_to_string(&whole).unwrap();
    let around = ok(&[
        "dot",
        "--around",
        "钟楼修缮",
        "--depth",
        "1",
        "--store",
        s(&store),
    ]);
    assert!(around.contains("钟楼修缮") && around.contains("locatedAt"));
    assert!(around.len() < whole_text.len());
    std::fs::write(dir.path().join("a.dot"), &around).unwrap();
    let graphviz = |tool: &str, args: &[&str]| {
        let out = Command::new(tool).args(args).output().unwrap_or_else(|_| {
            panic!("Graphviz `{tool}` must be installed (scripts/test.sh installs it)")
        });
        assert!(
            out.status.success(),
            "{tool} rejected the DOT: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // The whole graph is too large to lay out in a test; Graphviz's own parser reads it and
    // must see every node and edge we wrote.
    let counts = graphviz("gc", &["-ne", s(&whole)]);
    let numbers: Vec<usize> = counts
        .split_whitespace()
        .take(2)
        .map(|n| n.parse().unwrap())
        .collect();
    let nodes = whole_text
        .lines()
        .filter(|l| l.contains(" [ label=") || l.contains(" [label="))
        .count()
        - whole_text.lines().filter(|l| l.contains(" -> ")).count();
    let edges = whole_text.lines().filter(|l| l.contains(" -> ")).count();
    assert!(nodes > 100 && edges > 100, "{nodes} nodes, {edges} edges");
    assert_eq!(numbers, vec![nodes, edges]);
    // A neighbourhood is laid out and rendered for real.
    let svg = graphviz("dot", &["-Tsvg", s(&dir.path().join("a.dot"))]);
    assert!(svg.contains("<svg") && svg.contains("钟楼修缮"));
}

#[test]
fn gbk_copy_gives_the_same_entities() {
    let dir = tempfile::tempdir().unwrap();
    let original = reports().join("004_55b2f347da4bdd15.txt");
    let text = std::fs::read_to_string(&original).unwrap();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable, "test report must be representable in GBK");
    let copy = dir.path().join("004_55b2f347da4bdd15.txt");
    std::fs::write(&copy, &gbk).unwrap();
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the copy really is not UTF-8"
    );
    let a = extracted_pairs(&[s(&original)]);
    let b = extracted_pairs(&[s(&copy)]);
    assert!(a.len() > 10);
    assert_eq!(a, b);
}

#[test]
fn binary_and_empty_files_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(
        reports().join("003_0d72470616a0bb8c.txt"),
        input.join("good.txt"),
    )
    .unwrap();
    std::fs::write(input.join("empty.txt"), b"").unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..=255u8).cycle().take(2000));
    std::fs::write(input.join("image.txt"), &png).unwrap();
    let store = dir.path().join("store");
    let out = govkg(&["build", s(&input), "--store", s(&store)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "exit code says something was skipped"
    );
    assert!(
        stderr.contains("empty.txt") && stderr.contains("empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("image.txt") && stderr.contains("binary"),
        "{stderr}"
    );
    let reports = query_rows(&store, &["reports"]);
    assert_eq!(reports.len(), 1, "the good report was built");
}

#[test]
fn a_failed_build_leaves_the_previous_store_intact() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    let before = ok(&["export", "--format", "nquads", "--store", s(&store)]);
    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(bad.join("x.txt"), [0u8, 1, 2, 3, 0, 255]).unwrap();
    let out = govkg(&["build", s(&bad), "--store", s(&store)]);
    assert!(!out.status.success());
    let after = ok(&["export", "--format", "nquads", "--store", s(&store)]);
    assert!(before == after, "store changed after a failed build");
}

#[test]
fn malformed_sparql_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    let out = govkg(&["query", "SELECT ?x WHERE { ?x ", "--store", s(&store)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SPARQL syntax error"), "{stderr}");
    let out = govkg(&["query", "no-such-query", "--store", s(&store)]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown stored query `no-such-query`"));
    let out = govkg(&[
        "query",
        "entity-evidence",
        "--param",
        "nope=1",
        "--store",
        s(&store),
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("parameter `nope`"));
    let out = govkg(&[
        "query",
        "entities-of-type",
        "-p",
        "type=Planet",
        "--store",
        s(&store),
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("parameter `type`"));
}

#[test]
fn parameters_are_bound_as_terms_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    let evil = "x\" } } ; DROP ALL ; SELECT * { ?s ?p ?o } #";
    let out = ok(&[
        "query",
        "entity-evidence",
        "-p",
        &format!("label={evil}"),
        "--format",
        "json",
        "--store",
        s(&store),
    ]);
    assert!(json_rows(&out).is_empty());
}

#[test]
fn stored_queries_are_listed_with_parameters() {
    let out = ok(&["queries"]);
    for name in [
        "entities-of-type",
        "entity-evidence",
        "reports",
        "mentioned-with",
    ] {
        assert!(out.contains(name), "{name} missing from:\n{out}");
    }
    assert!(out.contains("--param type=<type> (default Project)"));
}

#[test]
fn eval_matches_the_reference_scorer() {
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("pred.jsonl");
    std::fs::write(&pred, ok(&["extract", s(&reports())])).unwrap();
    let gold = root().join("tests/gold");
    let reference = Command::new("python3")
        .arg(root().join("tests/score.py"))
        .args([s(&gold), s(&pred)])
        .output()
        .expect("python3 runs the reference scorer");
    assert!(reference.status.success());
    let ours = ok(&["eval", "--gold", s(&gold), s(&reports())]);
    assert_eq!(ours, String::from_utf8(reference.stdout).unwrap());
}

#[test]
fn graph_conforms_to_the_shacl_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    let ttl = dir.path().join("g.ttl");
    ok(&["export", "-o", s(&ttl), "--store", s(&store)]);
    let out = Command::new("python3")
        .args(["-m", "pyshacl", "-s"])
        .arg(root().join("ontology/shapes.ttl"))
        .arg(&ttl)
        .output()
        .expect("python3 -m pyshacl (scripts/test.sh installs pyshacl)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("Conforms: True"),
        "SHACL violations:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_second_build_waits_for_no_one_and_leaves_the_store_whole() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many");
    std::fs::create_dir_all(&input).unwrap();
    // Enough copies that the first build is still running when the second starts.
    for n in 0..25 {
        for entry in std::fs::read_dir(reports()).unwrap() {
            let path = entry.unwrap().path();
            let name = format!("c{n}_{}", path.file_name().unwrap().to_string_lossy());
            std::fs::copy(&path, input.join(name)).unwrap();
        }
    }
    let store = dir.path().join("store");
    let mut first = Command::new(env!("CARGO_BIN_EXE_govkg"))
        .args(["build", s(&input), "--store", s(&store)])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lock = store.join("LOCK");
    let started = std::time::Instant::now();
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.contains("being built")) {
        assert!(
            started.elapsed().as_secs() < 30,
            "the first build never took the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let running = first.try_wait().unwrap().is_none();
    let second = govkg(&["build", s(&reports()), "--store", s(&store)]);
    assert!(first.wait().unwrap().success());
    if running {
        assert!(!second.status.success(), "two builds ran at once");
        let err = String::from_utf8_lossy(&second.stderr);
        assert!(err.contains("being built by pid"), "{err}");
    }
    // Whatever the timing, the live generation is one whole build and answers.
    let rows = query_rows(&store, &["reports"]);
    let expected = if second.status.success() { 5 } else { 125 };
    assert_eq!(rows.len(), expected);
}
