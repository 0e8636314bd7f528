//! Helpers shared by the integration tests: run the real binary on real inputs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (tests run from anywhere).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled reports folder.
pub fn reports() -> PathBuf {
    root().join("reports")
}

/// Runs `govkg` with `args` from the repository root.
pub fn govkg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_govkg"))
        .args(args)
        .current_dir(root())
        .env_remove("GOVKG_STORE")
        .output()
        .expect("govkg runs")
}

/// Runs `govkg` and insists on success; returns stdout.
pub fn ok(args: &[&str]) -> String {
    let out = govkg(args);
    assert!(
        out.status.success(),
        "govkg {args:?} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Builds the bundled reports into a fresh store under `dir`; returns the store path.
pub fn build_store(dir: &Path) -> PathBuf {
    let store = dir.join("store");
    ok(&[
        "build",
        reports().to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
    ]);
    store
}

/// Parses SPARQL JSON results into rows of (variable → value).
pub fn json_rows(text: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let v: serde_json::Value = serde_json::from_str(text).expect("SPARQL JSON results");
    v["results"]["bindings"]
        .as_array()
        .expect("bindings array")
        .iter()
        .map(|b| {
            b.as_object()
                .expect("binding object")
                .iter()
                .map(|(k, v)| (k.clone(), v["value"].clone()))
                .collect()
        })
        .collect()
}

/// Runs `govkg query ARGS --format json --store STORE` and returns its rows.
pub fn query_rows(store: &Path, args: &[&str]) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let mut all = vec!["query"];
    all.extend(args);
    all.extend([
        "--format",
        "json",
        "--store",
        store.to_str().expect("utf-8 path"),
    ]);
    json_rows(&ok(&all))
}
