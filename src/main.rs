//! The `send-archive` binary: parses the command line and maps the outcome to an exit code.
//! Everything else is in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    send_archive::cli::main()
}
