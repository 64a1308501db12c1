//! Integration tests: the real `crisis` binary on real catalog folders.

mod support;

mod cap;
mod catalog;
mod cli;
mod event;
mod export;
mod fit;
mod ledger;
mod lint;
mod readability;
mod render;
mod review_page;
mod security;
mod signed;
