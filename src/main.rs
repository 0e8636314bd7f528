//! The `govkg` command line.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use govkg::geo::{check as geocheck, Gazetteer};
use govkg::ingest::{self, Source};
use govkg::output::export::ExportFormat;
use govkg::output::table::{write_table, OutputFormat};
use govkg::output::{dot, export};
use govkg::pipeline::{self, Processed, Stages};
use govkg::query::{self, StoredQuery};
use govkg::{scoring, store};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "govkg",
    version,
    about = "Knowledge graphs from Chinese government reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct StoreArg {
    /// Store folder (Oxigraph/RocksDB).
    #[arg(long, env = "GOVKG_STORE", default_value = "govkg-store")]
    store: PathBuf,
}

#[derive(clap::Args, Clone)]
struct QueriesArg {
    /// Folder of stored queries that add to the compiled-in ones or replace those of the
    /// same name.
    #[arg(long, env = "GOVKG_QUERIES")]
    queries_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Read reports, extract entities and load them into the store (replacing its graph).
    Build {
        /// Report files or folders (.txt, .md, .html, .htm; folders recursively).
        #[arg(default_value = "reports")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        store: StoreArg,
    },
    /// Print the entities of each report, without a store.
    Extract {
        #[arg(default_value = "reports")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: ExtractFormat,
    },
    /// Score extraction against gold entity sets (rules of ANNOTATION.md).
    Eval {
        /// Folder of gold `*.jsonl` files.
        #[arg(long)]
        gold: PathBuf,
        #[arg(default_value = "reports")]
        paths: Vec<PathBuf>,
        /// Print scores as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run a stored query by name, a .rq file, or an inline SPARQL query.
    Query {
        /// Stored query name, path to a .rq file, or SPARQL text.
        query: String,
        /// Parameter value, as name=value (repeatable).
        #[arg(long = "param", short = 'p', value_parser = parse_param)]
        params: Vec<(String, String)>,
        #[arg(long, value_enum, default_value = "table")]
        format: OutputFormat,
        /// Print the query plan with each step's rows and time (JSON) instead of results.
        #[arg(long)]
        explain: bool,
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        queries: QueriesArg,
    },
    /// List the stored queries with their parameters.
    Queries {
        #[command(flatten)]
        queries: QueriesArg,
    },
    /// Export the whole graph.
    Export {
        #[arg(long, value_enum, default_value = "turtle")]
        format: ExportFormat,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArg,
    },
    /// Graphviz DOT of the entity graph, or of one entity's neighbourhood.
    Dot {
        /// Label of the entity to centre on (exact, else the labels containing it).
        #[arg(long)]
        around: Option<String>,
        /// Steps from the centre entity.
        #[arg(long, default_value_t = 1)]
        depth: usize,
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArg,
    },
    /// Measure the gazetteer's coordinates against independently sourced points.
    GazetteerCheck {
        /// Tab-separated check points: label, lon, lat, source (WGS84).
        #[arg(default_value = "ontology/gazetteer-check.tsv")]
        file: PathBuf,
        /// Exit 1 when the median error is above this many metres.
        #[arg(long, default_value_t = 150.0)]
        max_median: f64,
        /// Exit 1 when any entry is further off than this many metres.
        #[arg(long, default_value_t = 1000.0)]
        max_error: f64,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Serve the store over HTTP: SPARQL endpoint, stored-query API, explorer at /.
    Serve {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        queries: QueriesArg,
        #[command(flatten)]
        options: govkg::serve::Options,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExtractFormat {
    Jsonl,
    Table,
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_owned(), v.to_owned()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("expected name=value, got {s:?}"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // A closed pipe (`govkg export | head`) is the reader's choice, not an error.
        Err(e)
            if e.chain().any(|c| {
                let io = c.downcast_ref::<std::io::Error>().or_else(|| {
                    match c.downcast_ref::<govkg::Error>() {
                        Some(govkg::Error::Io(io)) => Some(io),
                        _ => None,
                    }
                });
                io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build { paths, store } => build(&paths, &store.store),
        Command::Extract { paths, format } => extract(&paths, format),
        Command::Eval { gold, paths, json } => evaluate(&gold, &paths, json),
        Command::Query {
            query,
            params,
            format,
            explain,
            store,
            queries,
        } => query_cmd(
            &query,
            params,
            (!explain).then_some(format),
            &store.store,
            queries.queries_dir.as_deref(),
        ),
        Command::Queries { queries } => list_queries(queries.queries_dir.as_deref()),
        Command::GazetteerCheck {
            file,
            max_median,
            max_error,
            json,
        } => gazetteer_check(&file, max_median, max_error, json),
        Command::Export {
            format,
            output,
            store,
        } => {
            let generation = store::open(&store.store)?;
            with_output(output.as_deref(), |w| {
                Ok(export::export(&generation.store, format, w)?)
            })
        }
        Command::Dot {
            around,
            depth,
            output,
            store,
        } => {
            let generation = store::open(&store.store)?;
            let mut graph = dot::entity_graph(&generation.store)?;
            if let Some(label) = around {
                graph = dot::neighbourhood(&graph, &label, depth)?;
            }
            with_output(output.as_deref(), |w| {
                Ok(w.write_all(dot::to_dot(&graph).as_bytes())?)
            })
        }
        Command::Serve {
            store,
            queries,
            options,
        } => {
            govkg::serve::run(&store.store, queries.queries_dir.as_deref(), options)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes to a file (via a temporary file, so a failure leaves no half file) or to stdout.
fn with_output(
    path: Option<&Path>,
    f: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<ExitCode> {
    match path {
        Some(p) => {
            let tmp = p.with_extension("govkg-tmp");
            let mut w = std::io::BufWriter::new(
                std::fs::File::create(&tmp)
                    .with_context(|| format!("creating {}", tmp.display()))?,
            );
            f(&mut w)?;
            w.flush()?;
            drop(w);
            std::fs::rename(&tmp, p).with_context(|| format!("writing {}", p.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            f(&mut w)?;
            w.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn progress(len: usize) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} reports")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}

/// The report files under `paths`; unreadable entries are named on stderr.
fn sources(paths: &[PathBuf]) -> Result<(Vec<Source>, usize)> {
    let found = ingest::discover(paths)?;
    for problem in &found.problems {
        eprintln!("skipped: {problem}");
    }
    if found.sources.is_empty() {
        bail!(
            "no report files (.txt, .md, .html, .htm) under {}",
            display_paths(paths)
        );
    }
    Ok((found.sources, found.problems.len()))
}

fn build(paths: &[PathBuf], store_dir: &Path) -> Result<ExitCode> {
    let started = Instant::now();
    let stages = Stages::bundled()?;
    let (sources, unlisted) = sources(paths)?;
    let bar = progress(sources.len());
    bar.set_message("extracting and loading");
    let built = pipeline::build(store_dir, &sources, &stages, &|| bar.inc(1));
    bar.finish_and_clear();
    let built = built.with_context(|| format!("building the store at {}", store_dir.display()))?;
    for e in &built.skipped {
        eprintln!("skipped: {e}");
    }
    print!("{}", built.summary);
    println!(
        "triples: {} distinct quads in {}",
        built.loaded.quads,
        built.loaded.generation.display()
    );
    let total = started.elapsed().as_secs_f64();
    println!(
        "seconds: {total:.2} (read, extract and load reports {:.2}, resolve, link and finish {:.2})",
        built.first_pass,
        total - built.first_pass
    );
    Ok(if built.skipped.is_empty() && unlisted == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// Reads and extracts every report under `paths`, naming on stderr those that cannot be
/// read; the second value is how many could not.
fn extract_all(paths: &[PathBuf]) -> Result<(Vec<Processed>, usize)> {
    let stages = Stages::bundled()?;
    let (sources, unlisted) = sources(paths)?;
    let mut processed = Vec::new();
    let mut skipped = unlisted;
    for r in pipeline::process_all(&sources, &stages, &|| {}) {
        match r {
            Ok(p) => processed.push(p),
            Err(e) => {
                eprintln!("skipped: {e}");
                skipped += 1;
            }
        }
    }
    Ok((processed, skipped))
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Entity lines as in gold files, plus mention counts.
fn entity_lines(processed: &[Processed]) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for p in processed {
        for e in &p.extraction.entities {
            out.push(serde_json::json!({
                "doc": p.report.id,
                "type": e.etype.name(),
                "label": e.label,
                "aliases": e.aliases,
                "mentions": e.mentions.len(),
            }));
        }
    }
    out
}

fn extract(paths: &[PathBuf], format: ExtractFormat) -> Result<ExitCode> {
    let (processed, skipped) = extract_all(paths)?;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    for line in entity_lines(&processed) {
        match format {
            ExtractFormat::Jsonl => writeln!(w, "{line}")?,
            ExtractFormat::Table => writeln!(
                w,
                "{}\t{}\t{}\t{}\t{}",
                line["doc"].as_str().unwrap_or_default(),
                line["type"].as_str().unwrap_or_default(),
                line["label"].as_str().unwrap_or_default(),
                line["mentions"],
                line["aliases"]
                    .as_array()
                    .map(|a| a
                        .iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join("、"))
                    .unwrap_or_default()
            )?,
        }
    }
    w.flush()?;
    Ok(if skipped == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn evaluate(gold_dir: &Path, paths: &[PathBuf], json: bool) -> Result<ExitCode> {
    let gold = scoring::load_gold(gold_dir)?;
    let (processed, _) = extract_all(paths)?;
    let predictions: Vec<scoring::Labelled> = entity_lines(&processed)
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    let scores = scoring::score(&gold, &predictions);
    if json {
        let mut obj = serde_json::Map::new();
        for (name, c) in scores
            .by_type
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .chain(std::iter::once(("micro", scores.micro)))
        {
            let (p, r, f) = c.prf();
            obj.insert(
                name.to_owned(),
                serde_json::json!({"p": p, "r": r, "f1": f}),
            );
        }
        println!("{}", serde_json::Value::Object(obj));
    } else {
        print!("{}", scoring::format_scores(&scores));
    }
    Ok(ExitCode::SUCCESS)
}

fn gazetteer_check(file: &Path, max_median: f64, max_error: f64, json: bool) -> Result<ExitCode> {
    let points = geocheck::read_check_points(file)?;
    let report = geocheck::check(&Gazetteer::bundled()?, &points);
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("metres | place | kind | check source");
        for r in &report.rows {
            let kind = r.kind.as_deref().unwrap_or("-");
            println!(
                "{:>6.0} | {} | {kind} | {}",
                r.distance_m, r.place, r.source
            );
        }
        for label in &report.unmatched {
            println!("     - | {label} | not one gazetteer entry with a geometry |");
        }
        for label in &report.dependent {
            println!("     - | {label} | not independent: repeats the entry's own source |");
        }
        let m = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.0} m"));
        for c in &report.classes {
            println!(
                "{}: {} points, median {}, max {}",
                c.class,
                c.points,
                m(c.median_m),
                m(c.max_m)
            );
        }
        println!(
            "{} points checked, {} unmatched, {} not independent: median {}, 90th percentile {}, max {}",
            report.rows.len(),
            report.unmatched.len(),
            report.dependent.len(),
            m(report.median_m),
            m(report.p90_m),
            m(report.max_m)
        );
    }
    let within = report.median_m.is_some_and(|v| v <= max_median)
        && report.max_m.is_some_and(|v| v <= max_error);
    if !within {
        eprintln!(
            "gazetteer check failed: the aim is a median of at most {max_median} m and no place over {max_error} m"
        );
    }
    if !report.unmatched.is_empty() {
        eprintln!(
            "gazetteer check failed: {} label(s) of {} name no single gazetteer entry with a geometry",
            report.unmatched.len(),
            file.display()
        );
    }
    if !report.dependent.is_empty() {
        eprintln!(
            "gazetteer check failed: {} point(s) of {} repeat their entry's own source",
            report.dependent.len(),
            file.display()
        );
    }
    Ok(
        if within && report.unmatched.is_empty() && report.dependent.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        },
    )
}

/// Resolves the QUERY argument: a stored name, a .rq file, or inline SPARQL.
fn resolve_query(arg: &str, queries_dir: Option<&Path>) -> Result<StoredQuery> {
    let path = Path::new(arg);
    if arg.ends_with(".rq") {
        if path.is_file() {
            return Ok(StoredQuery::load(path)?);
        }
        bail!("query file {arg} does not exist");
    }
    let looks_like_name = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if looks_like_name {
        return query::catalogue(queries_dir)?
            .into_iter()
            .find(|q| q.name == arg)
            .ok_or_else(|| query::QueryError::UnknownQuery(arg.to_owned()).into());
    }
    Ok(StoredQuery::inline(arg))
}

/// What a query printed: its results, or (with `--explain`) its plan.
enum Answer {
    Table(query::Table),
    Plan(String),
}

/// Runs a query; `format` None prints its plan instead of its results.
fn query_cmd(
    arg: &str,
    params: Vec<(String, String)>,
    format: Option<OutputFormat>,
    store_dir: &Path,
    queries_dir: Option<&Path>,
) -> Result<ExitCode> {
    let q = resolve_query(arg, queries_dir)?;
    let values: BTreeMap<String, String> = params.into_iter().collect();
    if q.params.is_empty() {
        if let Some(k) = values.keys().next() {
            bail!("parameter `{k}`: query `{}` takes no parameters", q.name);
        }
    }
    let bindings = q.bindings(&values)?;
    let generation = store::open(store_dir)?;
    let run = || -> Result<Answer> {
        let values = query::resolve(&generation.store, &bindings, None)?;
        let prepared = query::prepare(&q.text, &q.origin, &values, None)?;
        Ok(match format {
            Some(_) => Answer::Table(query::collect(query::execute(
                &generation.store,
                prepared,
            )?)?),
            None => Answer::Plan(query::explain(&generation.store, prepared)?),
        })
    };
    // Parsing and evaluation recurse: they get a thread with room for it (see query::guard).
    let answer = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(query::guard::STACK_BYTES)
            .spawn_scoped(scope, run)
            .map_err(anyhow::Error::from)?
            .join()
            .map_err(|_| anyhow::anyhow!("query evaluation failed unexpectedly"))?
    })?;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    match (answer, format) {
        (Answer::Table(table), Some(format)) => write_table(&table, format, &mut w)?,
        (Answer::Plan(plan), _) => writeln!(w, "{plan}")?,
        (Answer::Table(_), None) => {}
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn list_queries(dir: Option<&Path>) -> Result<ExitCode> {
    for q in query::catalogue(dir)? {
        println!("{}\n    {}", q.name, q.summary);
        if !q.needs.is_empty() {
            println!("    needs govkg's own: {}", q.needs.join(" "));
        }
        for p in &q.params {
            let mut extra = Vec::new();
            if let Some(d) = &p.default {
                extra.push(format!("default {d}"));
            }
            if p.optional {
                extra.push("optional".to_owned());
            }
            match (p.min, p.max) {
                (Some(min), Some(max)) => extra.push(format!("{min} to {max}")),
                (Some(min), None) => extra.push(format!("at least {min}")),
                (None, Some(max)) => extra.push(format!("at most {max}")),
                (None, None) => {}
            }
            if let Some(r) = &p.resolve {
                let how = if r.part { "part of a name" } else { "a name" };
                extra.push(format!("{how} of {}", r.classes.join("/")));
            }
            let extra = if extra.is_empty() {
                String::new()
            } else {
                format!(" ({})", extra.join(", "))
            };
            println!(
                "    --param {}=<{}>{extra}  {}",
                p.name,
                serde_json::to_value(p.kind)?.as_str().unwrap_or_default(),
                p.description
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
