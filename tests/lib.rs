//! Integration tests: the real `crisis` binary on real catalog folders.

mod support;

mod catalog;
mod cli;
mod lint;
mod render;
