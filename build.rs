//! Compiles the stored queries of `queries/` into the binary, so that `govkg query NAME`
//! works from any folder.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("queries");
    println!("cargo:rerun-if-changed=queries");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("queries/ is readable")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.ends_with(".rq"))
        .collect();
    names.sort();
    let mut code = String::from("/// The stored queries of `queries/`, as (file name, text).\npub const BUNDLED: &[(&str, &str)] = &[\n");
    for name in &names {
        println!("cargo:rerun-if-changed=queries/{name}");
        let path = std::fs::canonicalize(dir.join(name)).expect("query file exists");
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("bundled_queries.rs"), code).expect("OUT_DIR is writable");
}
