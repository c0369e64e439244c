//! Fuzz target: any bytes, read as an article file and extracted, must not panic.
//!
//! The first byte chooses the format (plain text, HTML or Markdown, by the file name's
//! extension); the rest is the file's content.

#![no_main]

use libfuzzer_sys::fuzz_target;
use send_archive::corpus;
use send_archive::extract::{self, Gazetteer};

fuzz_target!(|data: &[u8]| {
    let Some((&format, bytes)) = data.split_first() else {
        return;
    };
    let name = match format % 3 {
        0 => "article.txt",
        1 => "article.html",
        _ => "article.md",
    };
    if let Ok(article) = corpus::parse(name, bytes) {
        let record = extract::extract(&article, None, Gazetteer::builtin());
        // The record is what the index stores: it must serialise as ingest stores it.
        send_archive::index::writer::record_bytes(&record);
    }
});
