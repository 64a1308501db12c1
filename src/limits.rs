//! Every budget the tool keeps, in one place.
//!
//! A catalog comes from pull requests and event files from whoever fills
//! them in, so no input may make `crisis` hang, exhaust memory or panic.
//! Each limit is far above what a real playbook needs and low enough that
//! a hostile one fails in milliseconds with a message saying which limit it
//! hit. Each has a test at the limit and one past it.

/// Largest playbook or `crisis.yaml`, in bytes. The largest real playbook
/// is a few KiB.
pub const MAX_PLAYBOOK_BYTES: u64 = 1024 * 1024;

/// Largest template file, in bytes. A press statement is a few KiB; the
/// cap also bounds how much one expression can repeat a value.
pub const MAX_TEMPLATE_BYTES: u64 = 64 * 1024;

/// Folders below `playbooks/` that lint walks into, at most.
pub const MAX_WALK_DEPTH: usize = 32;

/// Playbook files a catalog may hold. The lint benchmark runs 10,000.
pub const MAX_PLAYBOOK_FILES: usize = 100_000;

/// Template instructions one message may run: far above any real message,
/// low enough that a runaway loop fails in milliseconds.
pub const TEMPLATE_FUEL: u64 = 200_000;

/// Longest text one template may produce, in bytes. The longest channel
/// (an email body) holds 10,000 characters.
pub const MAX_RENDERED_BYTES: usize = 256 * 1024;

/// Nodes one template expression may have (`a ~ b ~ c` has five). Bounds
/// how large one value can grow before it is written.
pub const MAX_EXPRESSION_NODES: usize = 256;

/// Templates one message may pull in through include and extends, counting
/// itself.
pub const MAX_TEMPLATES_PER_MESSAGE: usize = 64;

/// Largest allowed signers or revoked keys file, in bytes: thousands of
/// keys, each line a few hundred bytes.
pub const MAX_TRUST_FILE_BYTES: u64 = 1024 * 1024;

/// Longest signer principal in an approval record, in bytes. An email
/// address is at most 254.
pub const MAX_PRINCIPAL_BYTES: usize = 256;

/// Longest principals field (a comma-separated list of patterns) of one
/// allowed signers line, in bytes. With [`MAX_PRINCIPAL_BYTES`] and
/// [`MAX_LINES_PER_KEY`] it bounds the pattern matching one signature
/// costs: a few million steps at worst.
pub const MAX_PRINCIPALS_FIELD_BYTES: usize = 1024;

/// Lines of an allowed signers file that may name one key. A person lists
/// a key once or twice (for commits and for approvals); more is refused,
/// so a file cannot make each check of that key walk thousands of lines.
pub const MAX_LINES_PER_KEY: usize = 16;

/// Largest allowed lint baseline (`crisis lint --baseline FILE`), in bytes:
/// a hundred thousand findings of a few hundred bytes each.
pub const MAX_BASELINE_BYTES: u64 = 64 * 1024 * 1024;

/// The longest text `crisis fit` and `crisis readability` measure: far
/// more than any message, and bounded so a mistaken file (a log, a disk
/// image) is refused rather than read.
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;
