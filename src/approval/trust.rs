//! Whose approval signatures count in a catalog: the allowed signers and
//! revoked keys files `crisis.yaml` names, and the principals each role
//! may be approved by. Read once per run, through the catalog's checked
//! paths, and handed to every assessment.

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use ssh_key::public::KeyData;
use std::collections::HashSet;

use super::signers::{self, AllowedSigners, LineProblem};
use crate::catalog::{Catalog, CatalogPath};
use crate::settings::Settings;
use crate::span::Span;

/// The catalog's signature policy, with its files read.
#[derive(Debug, Clone)]
pub struct Trust {
    /// `approvals.signed`: every record must carry a valid signature.
    pub required: bool,
    /// `approvals.roles`: the principals who may approve for each role.
    pub roles: IndexMap<String, Vec<String>>,
    /// The allowed signers: `None` when `crisis.yaml` names no file, an
    /// error when the file cannot be used at all.
    signers: Option<Result<AllowedSigners, String>>,
    /// The revoked keys, or why the file naming them cannot be read.
    revoked: Result<HashSet<KeyData>, String>,
    /// The file as shown to people, for messages.
    signers_file: String,
    revoked_file: String,
    /// Each file read, with the problems found in it, for lint to report.
    pub files: Vec<TrustFile>,
}

/// A trust file as lint reports it.
#[derive(Debug, Clone, Default)]
pub struct TrustFile {
    /// The file as the user opens it.
    pub display: String,
    pub text: Option<String>,
    pub problems: Vec<LineProblem>,
}

impl Default for Trust {
    /// No signatures required and none checked, as in a catalog whose
    /// `crisis.yaml` says nothing about signing.
    fn default() -> Trust {
        Trust {
            required: false,
            roles: IndexMap::new(),
            signers: None,
            revoked: Ok(HashSet::new()),
            signers_file: String::new(),
            revoked_file: String::new(),
            files: Vec::new(),
        }
    }
}

/// Why a key does not count, as an assessment says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    /// The catalog's signers cannot be read, or it names none.
    Unavailable(String),
    Revoked {
        file: String,
    },
    Refused(signers::KeyRefusal),
}

impl Trust {
    /// Reads the files `settings` names from `catalog`. A file that cannot
    /// be read makes every signature unverifiable, and says why.
    pub fn load(catalog: &Catalog, settings: &Settings) -> Trust {
        let policy = &settings.approvals;
        let mut trust = Trust {
            required: policy.signed,
            roles: policy.roles.clone(),
            ..Trust::default()
        };
        if let Some(name) = &policy.signers {
            let read = read(catalog, name, "approvals.signers");
            trust.signers_file = read.file.display.clone();
            match read.text {
                Ok(text) => {
                    let (signers, problems) = AllowedSigners::parse(&text);
                    trust.signers = Some(Ok(signers));
                    trust.files.push(TrustFile {
                        problems,
                        ..read.file
                    });
                }
                Err(reason) => {
                    trust.signers = Some(Err(reason));
                    trust.files.push(read.file);
                }
            }
        }
        if let Some(name) = &policy.revoked_keys {
            let read = read(catalog, name, "approvals.revoked_keys");
            trust.revoked_file = read.file.display.clone();
            match read.text {
                Ok(text) => {
                    let (keys, problems) = signers::parse_revoked(&text);
                    // A line that cannot be read may be the revocation of
                    // the very key a record was signed with: with any such
                    // line, no signature is believed (fail closed), as
                    // `ssh-keygen -Y verify -r` refuses too.
                    trust.revoked = if problems.is_empty() {
                        Ok(keys)
                    } else {
                        Err(format!(
                            "{} has {} line{} that cannot be read, and one may revoke the key a record was signed with; fix it so every signature can be checked",
                            read.file.display,
                            problems.len(),
                            if problems.len() == 1 { "" } else { "s" }
                        ))
                    };
                    trust.files.push(TrustFile {
                        problems,
                        ..read.file
                    });
                }
                Err(reason) => {
                    trust.revoked = Err(reason);
                    trust.files.push(read.file);
                }
            }
        }
        trust
    }

    /// Whether the catalog names an allowed signers file, so signatures
    /// can be checked.
    pub fn configured(&self) -> bool {
        self.signers.is_some()
    }

    /// Why signatures cannot be checked in this catalog, if they cannot.
    pub fn unavailable(&self) -> Option<String> {
        match (&self.signers, &self.revoked) {
            (None, _) => {
                Some("crisis.yaml names no allowed signers file (approvals.signers)".to_owned())
            }
            (Some(Err(reason)), _) | (_, Err(reason)) => Some(reason.clone()),
            _ => None,
        }
    }

    /// The allowed signers, when they can be used.
    pub fn signers(&self) -> Option<&AllowedSigners> {
        self.signers.as_ref().and_then(|s| s.as_ref().ok())
    }

    /// The allowed signers file as people see it.
    pub fn signers_file(&self) -> &str {
        &self.signers_file
    }

    /// The principals who may approve for `role`.
    pub fn holders(&self, role: &str) -> &[String] {
        self.roles.get(role).map_or(&[], Vec::as_slice)
    }

    /// Whether `key` counts for `principal` at `at`: listed for them (for
    /// approvals, and valid then) and not revoked.
    pub fn check_key(
        &self,
        principal: &str,
        key: &KeyData,
        at: DateTime<Utc>,
    ) -> Result<(), KeyProblem> {
        let (Some(Ok(signers)), Ok(revoked)) = (&self.signers, &self.revoked) else {
            return Err(KeyProblem::Unavailable(
                self.unavailable().unwrap_or_default(),
            ));
        };
        if revoked.contains(key) {
            return Err(KeyProblem::Revoked {
                file: self.revoked_file.clone(),
            });
        }
        signers
            .check(principal, key, at)
            .map(|_| ())
            .map_err(KeyProblem::Refused)
    }
}

/// A trust file's text, or why it cannot be used; and the file for lint.
struct Read {
    text: Result<String, String>,
    file: TrustFile,
}

fn read(catalog: &Catalog, name: &str, key: &str) -> Read {
    let path = match CatalogPath::trust(name) {
        Ok(path) => path,
        Err(problem) => {
            // crisis.yaml's own finding (CP607) says where; nothing to read.
            return Read {
                text: Err(format!("{key}: {problem}")),
                file: TrustFile {
                    display: name.to_owned(),
                    ..TrustFile::default()
                },
            };
        }
    };
    let display = catalog.display_path(path.as_str());
    let failed = |reason: String| Read {
        text: Err(format!("{display}: {reason}")),
        file: TrustFile {
            display: display.clone(),
            text: None,
            problems: vec![LineProblem {
                span: Span::FILE,
                message: reason,
            }],
        },
    };
    match catalog.read(&path) {
        Ok(Some(text)) => Read {
            text: Ok(text.clone()),
            file: TrustFile {
                display: display.clone(),
                text: Some(text),
                problems: Vec::new(),
            },
        },
        Ok(None) => failed(format!(
            "the file does not exist; crisis.yaml names it as {key}"
        )),
        Err(err) => failed(err.reason),
    }
}
