//! Extraction quality on the development gold: fails when the scores fall below the level
//! the extractor has reached (see docs/extraction.md for the current figures).

mod common;

use common::ok;

/// Reads "NAME P=… R=… F1=…" lines of `govkg eval` output into (name, F1).
fn f1_scores(out: &str) -> Vec<(String, f64)> {
    out.lines()
        .filter_map(|l| {
            let name = l.split_whitespace().next()?;
            let f1 = l.split("F1=").nth(1)?.split_whitespace().next()?;
            Some((name.to_owned(), f1.parse().ok()?))
        })
        .collect()
}

#[test]
fn extraction_scores_do_not_regress() {
    let out = ok(&["eval", "--gold", "tests/gold", "reports"]);
    let scores = f1_scores(&out);
    // Floors just under the reached figures (micro 0.825).
    let floors = [
        ("micro", 0.81),
        ("Project", 0.78),
        ("Place", 0.83),
        ("Programme", 0.78),
        ("Organisation", 0.84),
    ];
    for (name, floor) in floors {
        let f1 = scores
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| *f)
            .unwrap_or_else(|| panic!("no {name} line in:\n{out}"));
        assert!(f1 >= floor, "{name} F1 {f1:.3} < {floor}:\n{out}");
    }
}
