//! Integration tests, compiled as one binary: ingest and the index end to end, extraction on
//! the seed articles and the fixture corpus, search, the command line, and the web site:
//! its pages and its data endpoints (JSON, CSV, feeds); slow and idle clients against the real
//! server; and property tests that no input makes parsing, extraction or search panic.

mod cli;
mod fixtures;
mod ingest;
mod properties;
mod register;
mod reliability;
mod search;
mod seeds;
mod slow_clients;
mod support;
mod web_data;
mod web_pages;
