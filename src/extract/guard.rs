//! The last line of defence against a bug in the extractors: running one file's parsing and
//! extraction under `catch_unwind`, so that a panic costs that file and not the batch.
//!
//! No input should make the corpus parsers or the extractors panic (property tests and a
//! fuzz target hold them to that), but one article must never stop an ingest if one still
//! does: ingest reports the file as skipped with the reason "internal error: ...", indexes
//! the rest and exits with status 2, and the server still comes up.

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `work`, turning a panic into an error that says what the panic said.
///
/// The default panic hook still prints the panic (with its location) to standard error,
/// which is what a developer tracing the bug needs. `AssertUnwindSafe` is sound here: the
/// closure's results are discarded when it panics, and it shares nothing mutable.
pub fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic with no message".to_string());
        format!("internal error: {message}")
    })
}

/// The environment variable that names a file for [`inject_fault`] to panic on.
pub const PANIC_ON_VAR: &str = "SEND_ARCHIVE_TEST_PANIC_ON";

/// A test's way to make one file panic inside the guard, since no real input should: in a
/// debug build (tests run the debug binary), when [`PANIC_ON_VAR`] names `file`, panics.
/// A release build never reads the variable.
pub fn inject_fault(file: &str) {
    if cfg!(debug_assertions)
        && std::env::var_os(PANIC_ON_VAR).is_some_and(|name| name == std::ffi::OsStr::new(file))
    {
        panic!("fault injected by {PANIC_ON_VAR} for {file}");
    }
}

#[cfg(test)]
mod tests {
    use super::guarded;

    #[test]
    fn a_panic_becomes_an_internal_error_with_its_message() {
        assert_eq!(guarded(|| 7), Ok(7));
        let text = String::from("NEWS · SEND");
        let error = guarded(|| text[..6].len()).unwrap_err();
        assert!(error.starts_with("internal error: "), "{error}");
        assert!(error.contains("char boundary"), "{error}");
        assert_eq!(guarded(|| -> u8 { panic!("plain") }), Err("internal error: plain".into()));
    }
}
