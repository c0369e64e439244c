//! Per-stage timing of ingest's CPU work, single-threaded, over a corpus folder:
//! `CORPUS=target/bench/corpus-10000 cargo bench --bench stages`.
//!
//! Prints the mean microseconds per article of reading, parsing and cleaning, each
//! extractor, and building the index document, so that a slow stage shows itself. Run
//! `bench/ingest.sh` first to generate the corpus (it is synthetic and benchmark-only).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use send_archive::corpus;
use send_archive::extract::{self, Gazetteer, dates, inspection, quotes, themes};
use send_archive::index::schema::{Fields, build_schema};
use send_archive::index::writer::document;

fn main() {
    let dir = PathBuf::from(
        std::env::var("CORPUS").unwrap_or_else(|_| "target/bench/corpus-10000".into()),
    );
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(e) => {
            eprintln!(
                "stages: cannot read {}: {e} (run bench/ingest.sh first, or set CORPUS)",
                dir.display()
            );
            return;
        }
    };
    files.sort();
    let gazetteer = Gazetteer::builtin();
    let fields = Fields::from_schema(&build_schema()).unwrap();
    let mut totals: Vec<(&str, Duration)> = Vec::new();
    let mut add =
        |name: &'static str, d: Duration| match totals.iter_mut().find(|(n, _)| *n == name) {
            Some((_, t)) => *t += d,
            None => totals.push((name, d)),
        };
    let mut n = 0u32;
    for path in &files {
        let t = Instant::now();
        let bytes = std::fs::read(path).unwrap();
        add("read", t.elapsed());
        let name = path.file_name().unwrap().to_string_lossy();
        let t = Instant::now();
        let Ok(article) = corpus::parse(&name, &bytes) else { continue };
        add("corpus::parse", t.elapsed());
        let p = &article.paragraphs;
        let title = article.title.as_deref();
        let t = Instant::now();
        let published = article.meta.published.as_deref().and_then(dates::parse_date_text);
        let visit = dates::find_visit(title, p, published);
        let _ = dates::find_report_published(p, published, visit.as_ref());
        add("dates", t.elapsed());
        let t = Instant::now();
        let _ = inspection::find(title, p, visit.as_ref(), published);
        add("inspection", t.elapsed());
        let t = Instant::now();
        let _ = gazetteer.find(title, p, published);
        add("area", t.elapsed());
        let t = Instant::now();
        let _ = themes::find(p);
        add("themes", t.elapsed());
        let t = Instant::now();
        let _ = quotes::find(p);
        add("quotes", t.elapsed());
        let t = Instant::now();
        let mut record = extract::extract(&article, None, gazetteer);
        add("extract (all)", t.elapsed());
        let t = Instant::now();
        let _ = document(&fields, &mut record);
        add("document", t.elapsed());
        n += 1;
    }
    println!("{n} articles from {}", dir.display());
    for (name, total) in totals {
        println!("{name:>15}: {:7.1} µs/article", total.as_secs_f64() * 1e6 / f64::from(n.max(1)));
    }
}
