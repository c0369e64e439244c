//! Integration tests, compiled as one binary: ingest and the index end to end, extraction on
//! the seed articles and the fixture corpus, search, and the command line.

mod cli;
mod fixtures;
mod ingest;
mod search;
mod seeds;
mod support;
mod web_pages;
