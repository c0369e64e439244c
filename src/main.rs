//! The `send-archive` binary: parses the command line and maps the outcome to an exit code.
//! Everything else is in the library.
//!
//! The binary allocates with jemalloc (not on MSVC). The server frees much memory on another
//! thread than the one that allocated it; glibc's malloc then locks the other thread's
//! arena, and under the search benchmark the server made about 28,000 futex calls a second
//! waiting on those locks (190 with jemalloc). jemalloc frees into the freeing thread's own
//! cache. BENCHMARKS.md has the throughput and memory figures.

use std::process::ExitCode;

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    send_archive::cli::main()
}
