//! The old home of event files, kept so `crate::event_file::read` still
//! resolves while callers move to [`crate::event::file::read`]; remove it
//! (and its line in `lib.rs`) once nothing uses this path.

pub use crate::event::file::{read, MAX_BYTES};
