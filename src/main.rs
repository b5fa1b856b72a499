//! The `remedy` command: parse arguments, call the library, map errors to exit codes.

mod cli;

use std::process::ExitCode;

/// A search allocates a few hundred small blocks (tantivy's document decoding, hash
/// tables, strings); with glibc's malloc that was about a tenth of a search's
/// instructions, with mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::main()
}
