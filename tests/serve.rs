//! HTTP tests of `govkg serve`: the real binary on 127.0.0.1:0 against a store built from the
//! bundled reports. Also drives a third-party SPARQL client (SPARQLWrapper) and the explorer
//! in headless Chromium; both are installed by `scripts/test.sh`.

mod common;

use common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

// ---------- server and a small HTTP/1.1 client ----------

/// The store shared by the read-only tests, built once per test run.
fn shared_store() -> &'static Path {
    static STORE: OnceLock<PathBuf> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve-tests");
        std::fs::create_dir_all(&dir).expect("test folder");
        build_store(&dir)
    })
}

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(store: &Path, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_govkg"))
            .arg("serve")
            .arg("--store")
            .arg(store)
            .arg("--queries-dir")
            .arg(root().join("queries"))
            .args(["--bind", "127.0.0.1:0"])
            .args(extra)
            .env_remove("GOVKG_STORE")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("govkg serve starts");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("reads the first line");
        let Some(addr) = line.trim().strip_prefix("listening on http://") else {
            let _ = child.kill();
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            panic!("govkg serve did not start: {line:?}\n{err}");
        };
        Server {
            addr: addr.to_owned(),
            child,
        }
    }

    fn shared() -> Self {
        Self::start(shared_store(), &[])
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        let mut s = TcpStream::connect(&self.addr).expect("connects");
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).unwrap();
        // A refused body may be cut off by the server; that is its answer, not a failure.
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        Resp::parse(&raw)
    }

    fn get(&self, path: &str) -> Resp {
        self.request("GET", path, &[], b"")
    }

    fn get_with(&self, path: &str, accept: &str) -> Resp {
        self.request("GET", path, &[("Accept", accept)], b"")
    }

    /// JSON rows of a SPARQL query sent by GET.
    fn select(&self, query: &str) -> Vec<serde_json::Map<String, Value>> {
        let r = self.get(&format!("/sparql?query={}", enc(query)));
        assert_eq!(r.status, 200, "{}", r.text());
        json_rows(&r.text())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn parse(raw: &[u8]) -> Self {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(raw)));
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|c| c.parse().ok())
            .expect("status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        Resp {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or_default()
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&body[..end])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 2 + size + 2..];
    }
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Asserts a JSON error with this status, naming `parameter` if given.
fn assert_error(r: &Resp, status: u16, parameter: Option<&str>) -> String {
    assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
    assert!(
        r.content_type().starts_with("application/json"),
        "{r:?}",
        r = r.content_type()
    );
    let v = r.json();
    let message = v["error"].as_str().expect("error message").to_owned();
    assert!(!message.is_empty());
    if let Some(p) = parameter {
        assert_eq!(v["parameter"], p, "{v}");
    }
    message
}

const COUNT_TYPES: &str = "SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { \
    VALUES ?type { govkg:Project govkg:Place govkg:Programme govkg:Organisation } ?e a ?type } \
    GROUP BY ?type ORDER BY ?type";

// ---------- SPARQL protocol ----------

#[test]
fn sparql_get_negotiates_result_formats() {
    let s = Server::shared();
    let path = format!("/sparql?query={}", enc(COUNT_TYPES));
    let json = s.get(&path);
    assert_eq!(json.status, 200);
    assert_eq!(json.content_type(), "application/sparql-results+json");
    let rows = json_rows(&json.text());
    assert_eq!(rows.len(), 4);
    assert!(rows
        .iter()
        .all(|r| r["n"].as_str().unwrap().parse::<u32>().unwrap() > 5));

    let xml = s.get_with(&path, "application/sparql-results+xml");
    assert_eq!(xml.content_type(), "application/sparql-results+xml");
    assert!(xml.text().contains("<sparql") && xml.text().contains("govkg/ont#Project"));

    let csv = s.get_with(&path, "text/csv");
    assert_eq!(csv.content_type(), "text/csv; charset=utf-8");
    assert!(csv.text().starts_with("type,n\r\n"), "{}", csv.text());

    let tsv = s.get_with(&path, "text/html;q=0.9, text/tab-separated-values");
    assert!(tsv.content_type().starts_with("text/tab-separated-values"));
    assert!(tsv.text().starts_with("?type\t?n\n"), "{}", tsv.text());

    let by_name = s.get_with(&format!("{path}&format=csv"), "application/json");
    assert!(by_name.content_type().starts_with("text/csv"));

    let browser = s.get_with(&path, "text/html,application/xhtml+xml,*/*;q=0.8");
    assert_eq!(browser.content_type(), "application/sparql-results+json");

    assert_error(&s.get_with(&path, "image/png"), 406, None);
}

#[test]
fn sparql_post_form_and_direct_ask_and_construct() {
    let s = Server::shared();
    let form = format!("query={}", enc("ASK { gaz:中轴线 a govkg:GazetteerPlace }"));
    let r = s.request(
        "POST",
        "/sparql",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["boolean"], true);

    let construct = "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a govkg:Project ; rdfs:label ?l }";
    let direct = |accept: &str| {
        s.request(
            "POST",
            "/sparql",
            &[
                ("Content-Type", "application/sparql-query; charset=utf-8"),
                ("Accept", accept),
            ],
            construct.as_bytes(),
        )
    };
    let turtle = direct("text/turtle");
    assert_eq!(turtle.status, 200);
    assert_eq!(turtle.content_type(), "text/turtle; charset=utf-8");
    assert!(turtle.text().contains("钟楼修缮"), "{}", turtle.text());
    let nt = direct("application/n-triples");
    assert_eq!(nt.content_type(), "application/n-triples");
    let lines = nt.text().lines().count();
    assert!(lines > 20, "{lines}");
    assert!(nt.text().lines().all(|l| l.ends_with(" .")));
    let jsonld = direct("application/ld+json");
    assert_eq!(jsonld.content_type(), "application/ld+json");
    assert!(jsonld.json().to_string().contains("钟楼修缮"));
    assert_error(&direct("text/csv"), 406, None);
}

#[test]
fn sparql_has_geosparql_and_govkg_functions_and_union_default_graph() {
    let s = Server::shared();
    let rows = s.select(
        "SELECT ?d ?inside WHERE { gaz:天安门 geo:hasGeometry/geo:asWKT ?a . \
         gaz:中轴线 geo:hasGeometry/geo:asWKT ?b . \
         BIND(gfn:distance(?a, ?b) AS ?d) \
         BIND(geof:sfIntersects(?b, ?b) AS ?inside) }",
    );
    assert_eq!(rows.len(), 1);
    let d: f64 = rows[0]["d"].as_str().unwrap().parse().unwrap();
    assert!(d < 100.0, "天安门 is on the axis: {d} m");
    assert_eq!(rows[0]["inside"], "true");
    // The default graph is the union of the report graphs; a default-graph-uri narrows it.
    let all = s.select("SELECT (COUNT(*) AS ?n) WHERE { ?e a govkg:Report }");
    assert_eq!(all[0]["n"], "5");
    let r = s.get(&format!(
        "/sparql?query={}&default-graph-uri={}",
        enc("SELECT (COUNT(*) AS ?n) WHERE { ?e a govkg:GazetteerPlace }"),
        enc("https://w3id.org/govkg/graph/ontology")
    ));
    assert_eq!(json_rows(&r.text())[0]["n"], "0");
}

#[test]
fn sparql_errors_are_json() {
    let s = Server::start(shared_store(), &["--max-body", "4096"]);
    let m = assert_error(
        &s.get(&format!("/sparql?query={}", enc("SELECT WHERE {"))),
        400,
        None,
    );
    assert!(m.contains("syntax"), "{m}");
    assert_error(&s.get("/sparql"), 400, Some("query"));
    let r = s.request(
        "POST",
        "/sparql",
        &[("Content-Type", "text/plain")],
        b"SELECT * {}",
    );
    assert_error(&r, 415, None);
    let big = vec![b'#'; 100_000];
    let r = s.request(
        "POST",
        "/sparql",
        &[("Content-Type", "application/sparql-query")],
        &big,
    );
    assert_error(&r, 413, None);
    let r = s.get(&format!(
        "/sparql?query={}&default-graph-uri=not%20an%20iri",
        enc("SELECT * {}")
    ));
    assert_error(&r, 400, Some("default-graph-uri"));
}

#[test]
fn sparql_update_is_refused_unless_enabled() {
    let update = "INSERT DATA { gaz:测试 rdfs:label \"测试\" }";
    let s = Server::shared();
    let r = s.request(
        "POST",
        "/sparql",
        &[("Content-Type", "application/sparql-update")],
        update.as_bytes(),
    );
    let m = assert_error(&r, 403, None);
    assert!(m.contains("--allow-update"), "{m}");
    let r = s.get(&format!("/sparql?update={}", enc(update)));
    assert_error(&r, 405, None);
    drop(s);

    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    let s = Server::start(&store, &["--allow-update"]);
    let ask = "ASK { gaz:测试 rdfs:label \"测试\" }";
    let before = s.get(&format!("/sparql?query={}", enc(ask))).json();
    assert_eq!(before["boolean"], false);
    let form = format!("update={}", enc(update));
    let r = s.request(
        "POST",
        "/sparql",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    );
    assert_eq!(r.status, 204, "{}", String::from_utf8_lossy(&r.body));
    let after = s.get(&format!("/sparql?query={}", enc(ask))).json();
    assert_eq!(after["boolean"], true);
    // Cached stored-query results are dropped by an update.
    let places = || s.get("/queries/entities-of-type?type=Place").text();
    assert!(!places().contains("测试地点"));
    let insert = "INSERT DATA { GRAPH <urn:test> { \
        <https://w3id.org/govkg/id/place/测试地点> a govkg:Place ; rdfs:label \"测试地点\" ; \
        govkg:reportCount 1 ; govkg:mentionCount 1 ; govkg:placeRank 1 } }";
    let r = s.request(
        "POST",
        "/sparql",
        &[("Content-Type", "application/sparql-update")],
        insert.as_bytes(),
    );
    assert_eq!(r.status, 204, "{}", String::from_utf8_lossy(&r.body));
    assert!(places().contains("测试地点"));
}

#[test]
fn slow_query_times_out_and_is_cancelled() {
    let s = Server::start(shared_store(), &["--timeout", "300ms"]);
    // A correlated NOT EXISTS reads the store once per row pair: minutes of work.
    let slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c FILTER NOT EXISTS { \
        ?d ?e ?f FILTER(STRLEN(STR(?f)) > STRLEN(STR(?c)) + 100000) } }";
    let started = Instant::now();
    let r = s.get(&format!("/sparql?query={}", enc(slow)));
    let took = started.elapsed();
    let m = assert_error(&r, 503, None);
    assert!(m.contains("timed out"), "{m}");
    assert!(took < Duration::from_secs(5), "answered after {took:?}");
    // The evaluation stops: the server's CPU time stays flat once the error is out.
    let cpu = || -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", s.child.id())).unwrap();
        let fields: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
        ticks / 100.0
    };
    std::thread::sleep(Duration::from_millis(500));
    let a = cpu();
    std::thread::sleep(Duration::from_secs(2));
    let b = cpu();
    assert!(
        b - a < 0.5,
        "the cancelled query kept running: {:.2} s CPU in 2 s",
        b - a
    );
    // The same for a stored query, and the server still answers.
    let fast = s.select("SELECT (COUNT(*) AS ?n) WHERE { ?e a govkg:Report }");
    assert_eq!(fast[0]["n"], "5");
}

// ---------- stored queries ----------

#[test]
fn stored_queries_are_listed_with_typed_parameters() {
    let s = Server::shared();
    let r = s.get("/queries");
    assert_eq!(r.status, 200);
    let list = r.json();
    let list = list.as_array().expect("array");
    let names: Vec<&str> = list.iter().map(|q| q["name"].as_str().unwrap()).collect();
    for name in [
        "entities-of-type",
        "entity-evidence",
        "reports",
        "mentioned-with",
    ] {
        assert!(names.contains(&name), "{names:?}");
    }
    let eot = list
        .iter()
        .find(|q| q["name"] == "entities-of-type")
        .unwrap();
    assert!(!eot["summary"].as_str().unwrap().is_empty());
    let p = &eot["parameters"][0];
    assert_eq!(p["name"], "type");
    assert_eq!(p["type"], "type");
    assert_eq!(p["default"], "Project");
    assert_eq!(p["required"], false);
    let evidence = list
        .iter()
        .find(|q| q["name"] == "entity-evidence")
        .unwrap();
    assert_eq!(evidence["parameters"][0]["required"], true);
}

#[test]
fn stored_query_results_with_parameters_and_formats() {
    let s = Server::shared();
    let r = s.get("/queries/entities-of-type?type=Place");
    assert_eq!(r.status, 200, "{}", r.text());
    let rows = json_rows(&r.text());
    assert!(rows.len() > 5);
    assert!(rows
        .iter()
        .all(|r| r["entity"].as_str().unwrap().contains("/id/place/")));
    let reports = s.get_with("/queries/reports", "text/csv");
    assert!(reports.content_type().starts_with("text/csv"));
    assert_eq!(reports.text().lines().count(), 6, "{}", reports.text());
    let xml = s.get("/queries/reports?format=xml");
    assert_eq!(xml.content_type(), "application/sparql-results+xml");
    let evidence = s.get(&format!(
        "/queries/entity-evidence?label={}",
        enc("钟楼修缮")
    ));
    assert!(
        !json_rows(&evidence.text()).is_empty(),
        "{}",
        evidence.text()
    );
    // A parameter used only in a FILTER, outside the SELECT projection, is bound.
    if s.get("/queries").text().contains("near-central-axis") {
        let near = json_rows(&s.get("/queries/near-central-axis?max_distance=3000").text());
        let far = json_rows(&s.get("/queries/near-central-axis?max_distance=1").text());
        assert!(near.len() > far.len(), "{} vs {}", near.len(), far.len());
    }
}

#[test]
fn stored_query_errors_name_the_parameter() {
    let s = Server::shared();
    let m = assert_error(&s.get("/queries/no-such-query"), 404, None);
    assert!(m.contains("no-such-query"));
    assert_error(
        &s.get("/queries/entities-of-type?type=Planet"),
        400,
        Some("type"),
    );
    assert_error(
        &s.get("/queries/entities-of-type?nope=1"),
        400,
        Some("nope"),
    );
    assert_error(&s.get("/queries/entity-evidence"), 400, Some("label"));
    assert_error(
        &s.get("/queries/projects-by-status?year=twenty"),
        400,
        Some("year"),
    );
    assert_error(
        &s.get("/queries/entities-of-type?format=turtle"),
        406,
        Some("format"),
    );
}

#[test]
fn parameter_values_cannot_change_the_query() {
    let s = Server::shared();
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let before = s.select(count)[0]["n"].clone();
    for evil in [
        "x\" } } ; DROP ALL ; SELECT * { ?s ?p ?o } #",
        "\"}",
        "} DROP ALL {",
        "'; DELETE WHERE { ?s ?p ?o } #",
        "钟楼修缮\" || true || \"",
        ">} UNION { ?entity ?type ?year }",
    ] {
        let r = s.get(&format!("/queries/entity-evidence?label={}", enc(evil)));
        assert_eq!(r.status, 200, "{evil}: {}", r.text());
        assert!(json_rows(&r.text()).is_empty(), "{evil} matched rows");
        let r = s.get(&format!("/queries/project-timeline?project={}", enc(evil)));
        assert!(json_rows(&r.text()).is_empty(), "{evil} matched rows");
    }
    // Typed parameters refuse text outright.
    assert_error(
        &s.get(&format!(
            "/queries/entities-of-type?type={}",
            enc("Project } ?x ?y ?z {")
        )),
        400,
        Some("type"),
    );
    assert_eq!(s.select(count)[0]["n"], before);
}

#[test]
fn openapi_document_describes_every_stored_query() {
    let s = Server::shared();
    let doc = s.get("/openapi.json").json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let list = s.get("/queries").json();
    for q in list.as_array().unwrap() {
        let name = q["name"].as_str().unwrap();
        let op = &doc["paths"][format!("/queries/{name}")]["get"];
        assert_eq!(op["summary"], q["summary"], "{name}");
        for p in q["parameters"].as_array().unwrap() {
            let param = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["name"] == p["name"])
                .unwrap_or_else(|| panic!("{name}: {} missing", p["name"]));
            assert_eq!(param["in"], "query");
            assert_eq!(param["required"], p["required"]);
            let expected = match p["type"].as_str().unwrap() {
                "integer" | "year" => "integer",
                "decimal" => "number",
                _ => "string",
            };
            assert_eq!(param["schema"]["type"], expected, "{name}.{}", p["name"]);
        }
    }
    let eot = &doc["paths"]["/queries/entities-of-type"]["get"]["parameters"][0]["schema"];
    assert_eq!(eot["default"], "Project");
    assert!(eot["enum"]
        .as_array()
        .unwrap()
        .contains(&Value::from("Place")));
    for path in ["/sparql", "/export", "/graph.dot", "/graph.svg", "/queries"] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}

// ---------- export and graphs ----------

#[test]
fn export_by_accept_or_format() {
    let s = Server::shared();
    let turtle = s.get("/export");
    assert_eq!(turtle.status, 200);
    assert_eq!(turtle.content_type(), "text/turtle; charset=utf-8");
    assert!(turtle
        .text()
        .contains("@prefix govkg: <https://w3id.org/govkg/ont#>"));
    let nt = s.get_with("/export", "application/n-triples");
    assert_eq!(nt.content_type(), "application/n-triples");
    let nq = s.get("/export?format=nquads");
    assert_eq!(nq.content_type(), "application/n-quads");
    assert!(nq.text().lines().count() > nt.text().lines().count() / 2);
    let jsonld = s.get("/export?format=jsonld");
    assert!(jsonld.json().is_array() || jsonld.json().is_object());
    // The same bytes as the CLI's export.
    let cli = ok(&[
        "export",
        "--format",
        "ntriples",
        "--store",
        shared_store().to_str().unwrap(),
    ]);
    assert_eq!(nt.text(), cli);
    assert_error(&s.get("/export?format=bogus"), 406, Some("format"));
}

#[test]
fn graph_dot_and_svg_around_an_entity() {
    let s = Server::shared();
    let dot = s.get(&format!("/graph.dot?around={}&depth=1", enc("钟楼修缮")));
    assert_eq!(dot.status, 200, "{}", dot.text());
    assert!(dot.content_type().starts_with("text/vnd.graphviz"));
    assert!(dot.text().starts_with("digraph"));
    assert!(dot.text().contains("钟楼修缮"));
    let full = s.get("/graph.dot");
    assert!(full.text().matches("label=").count() > dot.text().matches("label=").count());
    let svg = s.get(&format!("/graph.svg?around={}&depth=1", enc("钟楼修缮")));
    assert_eq!(svg.status, 200, "{}", svg.text());
    assert_eq!(svg.content_type(), "image/svg+xml");
    let text = svg.text();
    assert!(text.contains("<svg") && text.contains("钟楼修缮"));
    assert!(text.contains("Noto Sans CJK SC"));
    assert_error(
        &s.get(&format!("/graph.svg?around={}", enc("没有这个实体"))),
        404,
        Some("around"),
    );
    assert_error(&s.get("/graph.dot?depth=99"), 400, Some("depth"));
}

// ---------- explorer ----------

#[test]
fn explorer_assets_are_served_from_the_binary() {
    let s = Server::shared();
    let index = s.get("/");
    assert_eq!(index.status, 200);
    assert_eq!(index.content_type(), "text/html; charset=utf-8");
    let html = index.text();
    assert!(html.contains("/static/app.js") && html.contains("/static/style.css"));
    let js = s.get("/static/app.js");
    assert!(js.content_type().starts_with("text/javascript"));
    let css = s.get("/static/style.css");
    assert!(css.content_type().starts_with("text/css"));
    let css = css.text();
    assert!(css.contains(
        "\"Noto Sans CJK SC\", \"Noto Sans SC\", \"WenQuanYi Micro Hei\", \"Source Han Sans SC\", sans-serif"
    ));
    // Nothing is loaded from elsewhere: no external scripts, styles, fonts or tiles.
    for (name, text) in [
        ("index.html", &html),
        ("style.css", &css),
        ("app.js", &js.text()),
    ] {
        for bad in [
            "src=\"http",
            "href=\"http",
            "url(http",
            "@import",
            "fetch(\"http",
            "//cdn",
            "openstreetmap",
            "/tiles/",
        ] {
            assert!(!text.contains(bad), "{name} contains {bad}");
        }
    }
    assert_error(&s.get("/static/nope.js"), 404, None);
    assert_error(&s.get("/no/such/route"), 404, None);
}

#[test]
fn serve_help_shows_a_loopback_default() {
    let out = ok(&["serve", "--help"]);
    assert!(out.contains("127.0.0.1:7878"), "{out}");
    for flag in [
        "--timeout",
        "--max-body",
        "--max-rows",
        "--allow-update",
        "--bind",
    ] {
        assert!(out.contains(flag), "{flag} missing:\n{out}");
    }
}

#[test]
fn max_rows_cuts_results_and_says_so() {
    let s = Server::start(shared_store(), &["--max-rows", "3"]);
    let r = s.get("/queries/entities-of-type?type=Place");
    assert_eq!(json_rows(&r.text()).len(), 3);
    assert_eq!(r.header("govkg-truncated"), Some("true"));
    let r = s.get("/queries/reports");
    assert_eq!(json_rows(&r.text()).len(), 3);
    let small = s.get(&format!(
        "/sparql?query={}",
        enc("SELECT * WHERE { gaz:中轴线 a ?t }")
    ));
    assert_eq!(small.header("govkg-truncated"), None);
}

// ---------- third-party clients ----------

fn require(ok: bool, what: &str) {
    assert!(
        ok,
        "{what} is missing: scripts/test.sh installs it (run `bash scripts/test.sh`)"
    );
}

#[test]
fn sparqlwrapper_talks_to_the_endpoint() {
    let has = Command::new("python3")
        .args(["-c", "import SPARQLWrapper"])
        .status()
        .is_ok_and(|s| s.success());
    require(has, "Python's SPARQLWrapper (pip install SPARQLWrapper)");
    let s = Server::shared();
    let out = Command::new("python3")
        .arg(root().join("tests/sparql_client.py"))
        .arg(format!("{}/sparql", s.url()))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let projects = s.select("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a govkg:Project }");
    let expected = [
        format!("json-projects: {}", projects[0]["n"].as_str().unwrap()),
        "xml-labels: Beijing Central Axis|中轴线".to_owned(),
        "csv: l|中轴线".to_owned(),
        "tsv-near: ?d|true".to_owned(),
        "ask: True".to_owned(),
        "turtle-has-label: True".to_owned(),
        "jsonld-has-label: True".to_owned(),
        "bad-query: QueryBadFormed".to_owned(),
    ];
    for line in expected {
        assert!(
            stdout.lines().any(|l| l == line),
            "{line:?} not in:\n{stdout}"
        );
    }
    assert!(stdout.contains("update: refused"), "{stdout}");
}

#[test]
fn explorer_works_in_headless_chromium() {
    let browser_dir = root().join("tests/browser");
    require(
        Path::new("/usr/bin/chromium").exists(),
        "Chromium (/usr/bin/chromium, Debian package chromium)",
    );
    require(
        Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success()),
        "Node.js",
    );
    require(
        browser_dir.join("node_modules/playwright-core").exists(),
        "playwright-core (npm install in tests/browser)",
    );
    let s = Server::shared();
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("explorer-screenshots");
    let out = Command::new("node")
        .arg(browser_dir.join("explorer.mjs"))
        .arg(s.url())
        .arg(&shots)
        .current_dir(&browser_dir)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("browser: all checks passed"), "{stdout}");
    for shot in ["results.png", "entity.png", "map.png"] {
        let size = std::fs::metadata(shots.join(shot))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(size > 10_000, "{shot}: {size} bytes");
    }
    eprintln!("screenshots in {}", shots.display());
}

// ---------- generations ----------

/// Copies the bundled reports whose names start with one of `prefixes` into `dir`.
fn some_reports(dir: &Path, prefixes: &[&str]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(reports()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| name.starts_with(p)) {
            std::fs::copy(&path, dir.join(&name)).unwrap();
        }
    }
    dir.to_owned()
}

fn generations(store: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(store)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    names.sort();
    names
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "gave up waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_rebuild_is_served_without_restart_and_the_old_generation_goes() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    let s = Server::start(&store, &["--cache-entries", "0"]);
    let count = || {
        let rows = s.select("SELECT (COUNT(*) AS ?n) WHERE { ?r a govkg:Report }");
        rows[0]["n"].as_str().unwrap().to_owned()
    };
    assert_eq!(count(), "5");
    assert_eq!(generations(&store), ["gen-1"]);
    let two = some_reports(&dir.path().join("two"), &["000", "001"]);
    ok(&[
        "build",
        two.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
    ]);
    // The server reads the old generation until it notices the new one, then lets it go.
    wait_for("the new generation to be served", || count() == "2");
    wait_for("the old generation to be removed", || {
        generations(&store) == ["gen-2"]
    });
    let rows = query_rows(&store, &["reports"]);
    assert_eq!(rows.len(), 2);
}

// ---------- explorer routes ----------

#[test]
fn explorer_routes_answer_from_the_graph() {
    let s = Server::shared();
    let found = s.get(&format!("/api/search?q={}", enc("钟鼓"))).json();
    let first = &found["suggestions"][0];
    assert_eq!(first["label"], "钟鼓楼", "{found}");
    assert_eq!(first["type"], "Place");
    let iri = first["iri"].as_str().unwrap().to_owned();
    // Part of a name finds the longer names too.
    let part = s.get(&format!("/api/search?q={}", enc("望坛"))).json();
    assert!(
        part["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["label"] == "望坛棚户区改造"),
        "{part}"
    );

    let page = s.get(&format!("/api/entity?iri={}", enc(&iri))).json();
    assert_eq!(page["type"], "Place");
    assert!(page["reportCount"].as_i64().unwrap() >= 2, "{page}");
    assert!((page["location"]["lat"].as_f64().unwrap() - 39.94).abs() < 0.01);
    let relations = page["relations"].as_array().unwrap();
    assert!(
        relations
            .iter()
            .any(|r| r["relation"] == "locatedAt" && r["direction"] == "in"),
        "{page}"
    );
    let groups = page["mentions"].as_array().unwrap();
    assert!(groups.len() >= 2);
    let sentence = &groups[0]["sentences"][0];
    let highlighted = sentence["highlight"][0].as_str().unwrap();
    assert!(sentence["text"].as_str().unwrap().contains(highlighted));

    let project = s
        .get(&format!("/api/search?q={}", enc("望坛棚户区改造")))
        .json();
    let project_iri = project["suggestions"][0]["iri"]
        .as_str()
        .unwrap()
        .to_owned();
    let project_page = s
        .get(&format!("/api/entity?iri={}", enc(&project_iri)))
        .json();
    let years: Vec<i64> = project_page["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["year"].as_i64())
        .collect();
    assert!(
        years.len() >= 3 && years.windows(2).all(|w| w[0] <= w[1]),
        "{years:?}"
    );

    let graph = s
        .get(&format!("/api/graph?iri={}", enc(&project_iri)))
        .json();
    assert!(
        graph["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["relation"] == "locatedAt" && e["source"] == project_iri.as_str()),
        "{graph}"
    );
    assert!(graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["centre"] == true));

    let map = s.get("/api/map").json();
    let features = map["features"].as_array().unwrap();
    assert!(features
        .iter()
        .any(|f| f["label"] == "钟鼓楼" && f["type"] == "Place"));
    assert!(features
        .iter()
        .any(|f| f["type"] == "Project" && f["axisDistance"].as_f64() == Some(0.0)));

    assert_error(
        &s.get("/api/entity?iri=https://w3id.org/govkg/id/place/nowhere"),
        404,
        None,
    );
    assert_error(&s.get("/api/entity?iri=not%20an%20iri"), 400, Some("iri"));
    assert_error(&s.get("/api/search?q=%20"), 400, Some("q"));
    assert_error(
        &s.get(&format!("/api/graph?iri={}&depth=9", enc(&iri))),
        400,
        Some("depth"),
    );
    assert_error(&s.get("/api/map?bbox=1"), 400, Some("bbox"));
}
