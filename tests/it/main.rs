//! The integration tests: the real binary on real files (the seeds, the fixtures, the
//! corpus in ../shared/corpus), one module per area.
//!
//! One test binary, not one per file: each binary is linked on its own (thirteen links of
//! the whole dependency tree), and cargo runs binaries one after another, so the tests of
//! a small file never ran beside a slow one. Run an area with `cargo test --test it serve::`.

mod common;

mod advise;
mod align;
mod bad_input;
mod catalog;
mod corpus;
mod crash;
mod edge_cases;
mod embed;
mod pages;
mod sarif;
mod search;
mod seeds;
mod serve;
mod translation;
