//! Relations, resolution across reports and project timelines, on the bundled reports.

mod common;

use common::*;

fn text<'a>(row: &'a serde_json::Map<String, serde_json::Value>, key: &str) -> &'a str {
    row.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

#[test]
fn relations_timelines_and_merges_on_the_reports() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());

    // 望坛: one project across three reports, with a dated status in each.
    let timeline = query_rows(&store, &["project-timeline", "-p", "project=望坛"]);
    let years: Vec<&str> = timeline.iter().map(|r| text(r, "year")).collect();
    assert!(
        years.contains(&"2022") && years.contains(&"2023") && years.contains(&"2024"),
        "{years:?}"
    );
    assert!(
        years.windows(2).all(|w| w[0] <= w[1]),
        "oldest first: {years:?}"
    );
    let labels: std::collections::BTreeSet<&str> =
        timeline.iter().map(|r| text(r, "projectLabel")).collect();
    assert_eq!(
        labels.len(),
        1,
        "望坛棚改项目 / 望坛项目 / 望坛棚户区改造 are one project: {labels:?}"
    );
    let done = timeline
        .iter()
        .find(|r| text(r, "year") == "2024" && text(r, "status") == "Completed")
        .expect("2024 report says the first buildings were handed over");
    assert!(text(done, "sentence").contains("交付"));
    // The project's other names are aliases of that one resource.
    let names = query_rows(&store,
        &["SELECT ?n WHERE { ?p a govkg:Project ; rdfs:label|skos:altLabel ?n . FILTER(CONTAINS(STR(?n), \"望坛\")) }"],
    );
    let names: Vec<&str> = names.iter().map(|r| text(r, "n")).collect();
    for n in ["望坛项目", "望坛棚改项目"] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }

    // An organisation settled in a place, with its evidence sentence.
    let settled = query_rows(&store, &["organisations-settled-in", "-p", "place=航星园"]);
    let row = settled
        .iter()
        .find(|r| text(r, "organisation") == "煜邦电力")
        .expect("煜邦电力进驻航星园");
    assert_eq!(text(row, "via"), "进驻");
    let settled = query_rows(&store, &["organisations-settled-in", "-p", "place=金宝街"]);
    assert!(
        settled
            .iter()
            .any(|r| text(r, "organisation") == "中汇人寿"),
        "{settled:?}"
    );
    // An activity is not a place: "首店、旗舰店落户经营" settles nothing.
    let all = query_rows(&store, &["organisations-settled-in", "-p", "place="]);
    assert!(
        all.len() >= 4 && all.iter().all(|r| text(r, "placeLabel") != "经营"),
        "{all:?}"
    );
    assert!(text(row, "sentence").contains("煜邦电力进驻航星园"));

    // Completed projects of 2024 include 望坛; a figure is attached to it.
    let completed = query_rows(
        &store,
        &[
            "projects-by-status",
            "-p",
            "status=Completed",
            "-p",
            "year=2024",
        ],
    );
    assert!(completed
        .iter()
        .any(|r| text(r, "projectLabel").contains("望坛")));
    assert!(completed.iter().all(|r| text(r, "reportYear") == "2024"));
    let figures = query_rows(&store,
        &["SELECT ?v ?u WHERE { ?p a govkg:Project ; rdfs:label ?l ; govkg:hasQuantity ?q . FILTER(CONTAINS(STR(?l), \"望坛\")) ?q govkg:value ?v ; govkg:unit ?u }"],
    );
    assert!(
        figures
            .iter()
            .any(|r| text(r, "v") == "10" && text(r, "u") == "栋"),
        "{figures:?}"
    );

    // The same place named in a 东城 and a 西城 report is one resource.
    let reports = query_rows(&store,
        &["SELECT DISTINCT ?r WHERE { ?p a govkg:Place ; rdfs:label|skos:altLabel ?n ; govkg:mentionedIn ?r . FILTER(STR(?n) = \"钟鼓楼\") }"],
    );
    assert!(reports.len() >= 2, "钟鼓楼 in several reports: {reports:?}");

    // The build reports its merges, and runBy points to the reporting district.
    let run_by = query_rows(&store,
        &["SELECT DISTINCT ?body WHERE { ?p govkg:runBy/rdfs:label ?body . FILTER(CONTAINS(STR(?p), \"望坛\")) }"],
    );
    assert!(
        run_by
            .iter()
            .any(|r| text(r, "body").contains("东城区人民政府")),
        "{run_by:?}"
    );
}

#[test]
fn build_summary_counts_merges() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&[
        "build",
        reports().to_str().unwrap(),
        "--store",
        dir.path().join("s").to_str().unwrap(),
    ]);
    let line = out
        .lines()
        .find(|l| l.starts_with("resolved entities:"))
        .expect("summary");
    let merges: usize = line
        .rsplit('(')
        .next()
        .and_then(|x| x.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("merge count");
    assert!(merges > 10, "{line}");
}
