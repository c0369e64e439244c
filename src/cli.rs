//! The command line: `ingest`, `extract`, `search` (and `serve`, in the web module's time).
//!
//! Each subcommand is a `Command` variant whose doc comments are its `--help`. Errors are
//! printed once, here, and mapped to the exit status: 0 for success, 1 for failure, 2 for an
//! ingest that finished but skipped files that could not be read as articles.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::corpus::{self, sidecar::Sidecar};
use crate::extract::{self, Gazetteer, Record};
use crate::index::store::IndexDir;
use crate::index::{self, Archive, IngestOptions, IngestReport, SearchError, SearchRequest, Sort};
use crate::web::handlers::and_join;
use crate::web::server::Limits;

/// Exit status for an ingest that skipped files.
const EXIT_SKIPPED: u8 = 2;

/// The SEND Inspection Archive: what inspectors said about each local area's services for
/// children with special educational needs and disabilities (SEND) in England.
#[derive(Debug, Parser)]
#[command(name = "send-archive", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from the article files in the corpus folder.
    ///
    /// Only changed files are read again; an unchanged corpus rewrites nothing. The new index
    /// is built aside and switched in atomically, so a failed or interrupted ingest leaves the
    /// previous one in service. Files that cannot be read as articles are reported and
    /// skipped, and the exit status is then 2.
    Ingest {
        /// The corpus folder (article files, in its `articles/` sub-folder if it has one).
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// The index folder.
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Print no progress bar and only the summary line.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Serve the archive's web site.
    ///
    /// Brings the index up to date from the corpus first (building it when it is missing),
    /// then serves it. When `ingest` runs while the server is up, the server picks the new
    /// index up without a restart. Ctrl-C or SIGTERM stops it gracefully.
    Serve {
        /// The corpus folder.
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// The index folder.
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// The address to listen on (use port 0 for any free port).
        #[arg(long, default_value = "127.0.0.1:3000")]
        addr: std::net::SocketAddr,
        /// Memory for whole rendered responses of the index in service, in MiB (0 turns the
        /// cache off). A new index generation empties it.
        #[arg(long, default_value_t = 8)]
        cache_mb: usize,
        /// Seconds a client has to send a request's headers, from connecting or from the
        /// first byte of a later request; a connection that has not is closed.
        #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = seconds())]
        header_timeout: u64,
        /// Seconds a kept-alive connection may wait for its next request, and any wait for a
        /// client (to read a response, say) may last with nothing sent either way; then it
        /// is closed.
        #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = seconds())]
        idle_timeout: u64,
        /// Seconds a request may take to be answered; one that takes longer is answered 503
        /// ("took too long").
        #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = seconds())]
        request_timeout: u64,
        /// Connections open at once; beyond them, new clients wait to be accepted until one
        /// closes. Each takes a file descriptor: keep this below the open-file limit (`ulimit
        /// -n`, often 1024) less about a hundred for the index.
        #[arg(long, value_name = "N", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..))]
        max_connections: u32,
    },
    /// Show what the archive extracts from article files, without indexing them.
    ///
    /// A sidecar beside a file (same name, `.toml`) is applied, as ingest would.
    Extract {
        /// Article files (.txt, .html, .htm, .md).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the records as a JSON array.
        #[arg(long, conflicts_with = "explain")]
        json: bool,
        /// For each fact, print the sentence it was read from and the rule that produced it
        /// (for a theme, its cue words and polarity cue), to trace a wrong fact to its rule.
        #[arg(long)]
        explain: bool,
    },
    /// Search the index from the terminal.
    ///
    /// Words are all required; use "a phrase", OR, -exclude and field:value (area:dudley,
    /// outcome:inconsistent, theme:waiting_times, year:2023). Synonyms are joined: EHCP finds
    /// "education, health and care plan".
    Search(Box<SearchArgs>),
}

/// The arguments of `search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to search for; empty lists the newest articles.
    #[arg(default_value = "")]
    query: String,
    /// The index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// The corpus folder: the index is brought up to date from it first (a no-op when
    /// nothing changed), unless --no-ingest is given or the folder does not exist.
    #[arg(long, default_value = "data")]
    data: PathBuf,
    /// Search the index as it is, without updating it from the corpus.
    #[arg(long)]
    no_ingest: bool,
    /// Only this local area (its slug, e.g. `dudley`).
    #[arg(long)]
    area: Option<String>,
    /// Only this region (slug, e.g. `west-midlands`).
    #[arg(long)]
    region: Option<String>,
    /// Only this outcome code (e.g. `inconsistent`, `wsoa_required`).
    #[arg(long)]
    outcome: Option<String>,
    /// Only this framework (`2016` or `2023`).
    #[arg(long)]
    framework: Option<String>,
    /// Only this kind (`full`, `revisit`, `monitoring`).
    #[arg(long)]
    kind: Option<String>,
    /// Only articles tagged with this theme id (e.g. `waiting_times`).
    #[arg(long)]
    theme: Option<String>,
    /// Only this year.
    #[arg(long)]
    year: Option<String>,
    /// Order of results.
    #[arg(long, value_enum, default_value = "relevance")]
    sort: SortArg,
    /// How many results.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print the results as JSON.
    #[arg(long)]
    json: bool,
}

/// `--sort` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Newest first.
    Newest,
}

/// A whole number of seconds, one or more (a timeout of none would close every connection).
fn seconds() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(1..)
}

/// Parses the command line, runs it and returns the exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("send-archive: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to standard error, filtered by `RUST_LOG` (default: warnings only).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,send_archive=info"));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Ingest { data, index, quiet } => run_ingest(&data, &index, quiet),
        Command::Extract { files, json, explain } => run_extract(&files, json, explain),
        Command::Serve {
            data,
            index,
            addr,
            cache_mb,
            header_timeout,
            idle_timeout,
            request_timeout,
            max_connections,
        } => {
            let limits = Limits {
                header_timeout: Duration::from_secs(header_timeout),
                idle_timeout: Duration::from_secs(idle_timeout),
                request_timeout: Duration::from_secs(request_timeout),
                max_connections,
            };
            run_serve(&data, &index, addr, cache_mb * 1024 * 1024, limits)
        }
        Command::Search(args) => {
            let SearchArgs {
                query,
                index,
                data,
                no_ingest,
                area,
                region,
                outcome,
                framework,
                kind,
                theme,
                year,
                sort,
                limit,
                json,
            } = *args;
            let mut filters = BTreeMap::new();
            for (name, value) in [
                ("area", area),
                ("region", region),
                ("outcome", outcome),
                ("framework", framework),
                ("kind", kind),
                ("theme", theme),
                ("year", year),
            ] {
                if let Some(value) = value {
                    filters.insert(name.to_string(), value);
                }
            }
            let sort = match sort {
                SortArg::Relevance => Sort::Relevance,
                SortArg::Newest => Sort::Newest,
            };
            let request = SearchRequest { query, filters, sort, offset: 0, limit };
            if !no_ingest && data.is_dir() {
                refresh_index(&data, &index)?;
            }
            run_search(&index, &request, json)
        }
    }
}

/// A progress bar on standard error when it is a terminal.
struct Bar(Option<ProgressBar>);

impl index::Progress for Bar {
    fn start(&self, total: u64) {
        if let Some(bar) = &self.0 {
            bar.set_length(total);
        }
    }
    fn advance(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }
    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

fn run_serve(
    data: &Path,
    index_dir: &Path,
    addr: std::net::SocketAddr,
    cache_bytes: usize,
    limits: Limits,
) -> Result<ExitCode> {
    if data.is_dir() {
        refresh_index(data, index_dir)?;
    } else if IndexDir::new(index_dir).current_name()?.is_none() {
        anyhow::bail!(
            "there is no corpus folder at {} and no index at {}",
            data.display(),
            index_dir.display()
        );
    }
    let archive = open_archive(index_dir)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(crate::web::serve(archive, addr, cache_bytes, limits))?;
    Ok(ExitCode::SUCCESS)
}

fn run_ingest(data: &Path, index_dir: &Path, quiet: bool) -> Result<ExitCode> {
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} reading articles {bar:40} {pos}/{len} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let options = IngestOptions { data: data.to_path_buf(), index: index_dir.to_path_buf() };
    let report = index::ingest(&options, &Bar(bar))?;
    print_report(&report, quiet);
    Ok(if report.skipped_any() { ExitCode::from(EXIT_SKIPPED) } else { ExitCode::SUCCESS })
}

/// Brings the index up to date before another command uses it, saying so only when it did
/// something or skipped files.
pub fn refresh_index(data: &Path, index_dir: &Path) -> Result<IngestReport> {
    let options = IngestOptions { data: data.to_path_buf(), index: index_dir.to_path_buf() };
    let report = index::ingest(&options, &Bar(None))?;
    if report.rebuilt {
        eprintln!(
            "indexed {} article(s) from {} ({} new or changed) in {:.2} s",
            report.articles,
            data.display(),
            report.indexed_now,
            report.elapsed.as_secs_f64()
        );
    }
    for (file, reason) in &report.skipped {
        eprintln!("skipped: {file}: {reason}");
    }
    Ok(report)
}

fn print_report(report: &IngestReport, quiet: bool) {
    let mut out = std::io::stdout().lock();
    let what = if report.rebuilt {
        format!(
            "indexed {} new or changed file(s), removed {} record(s)",
            report.indexed_now, report.removed
        )
    } else {
        "unchanged since the last ingest; nothing rewritten".to_string()
    };
    let _ = writeln!(
        out,
        "{} articles from {} local areas in {} ({what}) in {:.2} s",
        report.articles,
        report.areas,
        report.generation,
        report.elapsed.as_secs_f64()
    );
    if !quiet {
        print_details(report, &mut out);
    }
    drop(out);
    for (file, reason) in &report.skipped {
        eprintln!("skipped: {file}: {reason}");
    }
    if !report.skipped.is_empty() {
        eprintln!("{} file(s) skipped; the rest are indexed", report.skipped.len());
    }
}

/// The outcome counts, warnings and duplicates of an ingest summary.
fn print_details(report: &IngestReport, out: &mut impl Write) {
    let outcomes: Vec<String> = report
        .outcomes
        .iter()
        .map(|(code, n)| format!("{} {n}", code.as_deref().unwrap_or("not stated")))
        .collect();
    if !outcomes.is_empty() {
        let _ = writeln!(out, "outcomes: {}", outcomes.join(", "));
    }
    const SHOW_WARNINGS: usize = 20;
    for (file, warnings) in report.warnings.iter().take(SHOW_WARNINGS) {
        let _ = writeln!(out, "warning: {file}: {}", warnings.join("; "));
    }
    if report.warnings.len() > SHOW_WARNINGS {
        let _ = writeln!(
            out,
            "... and warnings for {} more file(s)",
            report.warnings.len() - SHOW_WARNINGS
        );
    }
    for (file, owner) in &report.duplicates {
        let _ = writeln!(out, "warning: {file}: the same article as {owner}; indexed once");
    }
    for d in &report.disagreements {
        let _ = writeln!(
            out,
            "differs from the register: {} ({}): the article's {} is {}, the register's (line {}) is {}",
            d.article, d.area, d.fact, d.article_says, d.line, d.register_says
        );
    }
}

fn run_extract(files: &[PathBuf], json: bool, explain: bool) -> Result<ExitCode> {
    let gazetteer = Gazetteer::builtin();
    let mut records = Vec::new();
    let mut failed = false;
    for path in files {
        match extract_file_explained(path, gazetteer) {
            Ok((record, explanations)) if explain => {
                match print_explained(&mut std::io::stdout().lock(), &record, &explanations) {
                    // A reader that stopped early (`| head`) is not an error.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => break,
                    other => other?,
                }
            }
            Ok((record, _)) => records.push(record),
            Err(e) => {
                eprintln!("send-archive: {}: {e}", path.display());
                failed = true;
            }
        }
    }
    if explain {
        // Printed file by file above.
    } else if json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &records)?;
        println!();
    } else {
        for record in &records {
            print_record(record);
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Reads, parses and extracts one file, applying its sidecar.
pub fn extract_file(path: &Path, gazetteer: &Gazetteer) -> Result<Record> {
    extract_file_explained(path, gazetteer).map(|(record, _)| record)
}

/// [`extract_file`], with how each fact was found.
fn extract_file_explained(
    path: &Path,
    gazetteer: &Gazetteer,
) -> Result<(Record, Vec<extract::Explanation>)> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let bytes = corpus::read_bytes(path).map_err(|reason| anyhow::anyhow!("{reason}"))?;
    let sidecar = Sidecar::for_article(path).map_err(anyhow::Error::msg)?;
    // As in ingest: a bug that panics costs this file, reported, not the whole command.
    let mut record = extract::guard::guarded(|| {
        extract::guard::inject_fault(&name);
        corpus::parse(&name, &bytes)
            .map(|article| extract::extract_explained(&article, sidecar.as_ref(), gazetteer))
    })
    .map_err(anyhow::Error::msg)?
    .map_err(|reason| anyhow::anyhow!("{reason}"))?;
    record.0.file = path.display().to_string();
    Ok(record)
}

/// `extract --explain`: each fact, then where it was read and the rule that read it.
fn print_explained(
    out: &mut impl Write,
    record: &Record,
    explanations: &[extract::Explanation],
) -> std::io::Result<()> {
    writeln!(out, "{}", record.file)?;
    writeln!(out, "  title: {}", record.title)?;
    for e in explanations {
        writeln!(out, "  {}: {}", e.fact, e.value)?;
        writeln!(out, "      rule:     {}", e.rule)?;
        if let Some(sentence) = &e.sentence {
            let paragraph = e.paragraph.map(|p| format!("¶{} ", p + 1)).unwrap_or_default();
            let shown: String = sentence.chars().take(240).collect();
            let more = if shown.len() < sentence.len() { "…" } else { "" };
            writeln!(out, "      sentence: {paragraph}{shown}{more}")?;
        }
    }
    let found: Vec<&str> = explanations.iter().map(|e| e.fact.as_str()).collect();
    // A round-up has no single area or inspection: its areas' are in `inspections`.
    let single = !record.is_roundup();
    for (fact, missing) in [
        ("area", single && record.area.is_none()),
        ("published", record.published.is_none()),
        ("inspection.outcome", single && record.inspection.outcome.is_none()),
        ("inspection.visit", single && record.inspection.visit_start.is_none()),
    ] {
        if missing && !found.contains(&fact) {
            writeln!(out, "  {fact}: not found (no rule matched)")?;
        }
    }
    for warning in &record.warnings {
        writeln!(out, "  warning: {warning}")?;
    }
    writeln!(out)
}

fn print_record(record: &Record) {
    println!("{}", record.file);
    println!("  title:      {}", record.title);
    println!("  slug:       {}", record.slug);
    println!("  source:     {}", record.source.name.as_deref().unwrap_or("-"));
    println!("  published:  {}", show_date(record.published));
    if record.is_roundup() {
        // One block per area, each with its own facts, findings and quotes.
        let reports = record.reports();
        println!("  round-up:   {} inspections", reports.len());
        for report in reports {
            println!();
            print_inspection(&report, "    ");
        }
    } else {
        print_inspection(&record.reports()[0], "");
    }
    for warning in &record.warnings {
        println!("  warning:    {warning}");
    }
    println!();
}

fn show_date(date: Option<crate::extract::PartialDate>) -> String {
    date.map_or("-".to_string(), |d| d.to_string())
}

/// Prints one inspection an article reports (a round-up's part indented by `indent`).
fn print_inspection(report: &crate::extract::Report<'_>, indent: &str) {
    let inspection = report.inspection;
    println!(
        "  {indent}area:       {}",
        report.area.map_or("-".to_string(), |a| format!("{} ({}, {})", a.name, a.code, a.region))
    );
    println!(
        "  {indent}inspection: framework {}, kind {}, visit {} to {}, outcome {}",
        inspection.framework.map_or("-".to_string(), |f| f.to_string()),
        inspection.kind.map_or("-".to_string(), |k| k.to_string()),
        show_date(inspection.visit_start),
        show_date(inspection.visit_end),
        inspection.outcome.map_or("not stated".to_string(), |o| o.to_string()),
    );
    if let Some(published) = inspection.report_published {
        println!("  {indent}report:     published {published}");
    }
    for theme in report.themes {
        println!("  {indent}theme:      {} ({}): {}", theme.id, theme.polarity, theme.evidence);
    }
    for quote in report.quotes {
        let words: String = quote.text.chars().take(70).collect();
        println!(
            "  {indent}quote {}:    {} [{}]{}{}: {words}...",
            quote.n,
            quote.speaker.as_deref().unwrap_or("?"),
            quote.kind,
            quote.role.as_deref().map(|r| format!(", {r}")).unwrap_or_default(),
            quote.organisation.as_deref().map(|o| format!(", {o}")).unwrap_or_default(),
        );
    }
}

/// A search result as `search --json` prints it.
#[derive(Serialize)]
struct JsonHit<'a> {
    slug: &'a str,
    title: &'a str,
    /// `None` for a round-up, whose areas are in `areas`.
    area: Option<&'a str>,
    /// Every area: the one, or a round-up's several.
    areas: Vec<&'a str>,
    published: Option<String>,
    outcome: Option<&'static str>,
    score: f32,
    snippet: &'a str,
}

/// Opens the index, warning when the generation in service cannot be read and an older one
/// is used instead.
fn open_archive(index_dir: &Path) -> Result<Archive> {
    let archive = Archive::open(index_dir)?;
    if let Some(fallback) = archive.fallback() {
        eprintln!("send-archive: warning: {fallback}");
    }
    Ok(archive)
}

fn run_search(index_dir: &Path, request: &SearchRequest, json: bool) -> Result<ExitCode> {
    let archive = open_archive(index_dir)?;
    let results = match archive.search(request) {
        Ok(results) => results,
        Err(SearchError::Query(e)) => {
            eprintln!("send-archive: {e}");
            return Ok(ExitCode::FAILURE);
        }
        Err(SearchError::Internal(e)) => return Err(e).context("searching"),
    };
    if json {
        let hits: Vec<JsonHit> = results
            .hits
            .iter()
            .map(|h| JsonHit {
                slug: &h.slug,
                title: &h.title,
                area: h.area.as_ref().map(|a| a.name.as_str()),
                areas: h.areas().map(|a| a.name.as_str()).collect(),
                published: h.published.map(|d| d.to_string()),
                outcome: h.outcome.map(|o| o.code()),
                score: h.score,
                snippet: &h.snippet_text,
            })
            .collect();
        serde_json::to_writer_pretty(
            std::io::stdout().lock(),
            &serde_json::json!({ "total": results.total, "hits": hits }),
        )?;
        println!();
        return Ok(ExitCode::SUCCESS);
    }
    let colour = std::io::stdout().is_terminal();
    let (bold, dim, reset) = if colour { ("\x1b[1m", "\x1b[2m", "\x1b[0m") } else { ("", "", "") };
    println!("{} article(s) match", results.total);
    for (rank, hit) in results.hits.iter().enumerate() {
        let facts: Vec<String> = [
            Some(and_join(hit.areas().map(|a| a.name.as_str()))).filter(|a| !a.is_empty()),
            hit.outcome.map(|o| o.label().to_string()),
            (!hit.roundup_areas.is_empty())
                .then(|| format!("round-up of {} inspections", hit.roundup_areas.len())),
            hit.published.map(|d| d.human()),
            hit.source.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        println!();
        println!("{}. {bold}{}{reset}", rank + 1, hit.title);
        println!("   {dim}{}{reset}", facts.join(" · "));
        println!(
            "   {}",
            highlight(&hit.snippet_text, &hit.highlights, bold, reset).replace('\n', " ")
        );
        println!("   {dim}/articles/{}{reset}", hit.slug);
    }
    Ok(ExitCode::SUCCESS)
}

/// The snippet with its matches wrapped in `on`/`off` (terminal bold, or nothing).
fn highlight(text: &str, ranges: &[std::ops::Range<usize>], on: &str, off: &str) -> String {
    if on.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut at = 0;
    for range in ranges {
        if range.start < at || range.end > text.len() {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(on);
        out.push_str(&text[range.clone()]);
        out.push_str(off);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}
