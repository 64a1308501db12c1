//! The one error type of the command line, and the exit code each error
//! means. `main` prints every error, in one place and one form
//! (`error: ...`); commands never print errors themselves.
//!
//! Exit codes: 0 success; 1 findings (lint errors, a message that does not
//! fit, a refused render or approval); 2 usage or unreadable input. A closed
//! output pipe (`crisis lint | head`) is not an error: the command's own
//! outcome stands.

use std::fmt;

/// A command that ran and refused: what it found, and what to do. Exit 1.
/// Anything else that stops a command is a usage or input error (exit 2).
#[derive(Debug)]
pub struct Refused(pub String);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// Errors of the command line.
pub type Error = anyhow::Error;

/// The exit code an error means.
pub fn exit_code(err: &Error) -> u8 {
    if err.downcast_ref::<Refused>().is_some() {
        1
    } else {
        2
    }
}

/// Whether an error is a closed pipe (`crisis lint | head`), which is not a
/// failure.
pub fn is_broken_pipe(err: &Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Quotes a name the user gave or the catalog holds, the same way
/// everywhere: in single quotes, with control characters escaped.
pub fn quote(name: &str) -> String {
    format!("'{}'", name.escape_debug())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_exits_1_and_anything_else_2() {
        assert_eq!(exit_code(&Refused("no".into()).into()), 1);
        assert_eq!(exit_code(&anyhow::anyhow!("bad flag")), 2);
        let wrapped = anyhow::Error::from(Refused("no".into())).context("render");
        assert_eq!(exit_code(&wrapped), 1);
        assert_eq!(quote("a\nb"), "'a\\nb'");
    }
}
