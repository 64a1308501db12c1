//! Signed approvals: the statement a person signs, and checking a record's
//! signature against the catalog's [`Trust`].
//!
//! A signature is an OpenSSH `sshsig` signature in the namespace
//! [`NAMESPACE`], over the exact bytes of [`statement`], so an auditor can
//! check a record with `ssh-keygen -Y verify` alone. The statement is built
//! from the record's own values, so editing any of them (who, when, until
//! when, which content, which role, which signer) breaks the signature, and
//! the content digest in it ties the signature to the words. Its bytes are
//! specified in `docs/approvals.md`.

use chrono::{DateTime, Utc};
use ssh_key::{HashAlg, PublicKey, SshSig};

use super::signers::KeyRefusal;
use super::trust::{KeyProblem, Trust};
use crate::limits;
use crate::playbook::Approval;

pub use super::signers::NAMESPACE;

/// The version of the statement's form: its first line is
/// `crisis-approval 1`.
pub const STATEMENT_VERSION: u32 = 1;

/// The bytes a signature of `record` (in the playbook `playbook_id`) is
/// over: eight lines, each ended by a line feed. The error says why the
/// record cannot have one.
pub fn statement(playbook_id: &str, record: &Approval) -> Result<String, String> {
    let Some(signer) = record.signer.as_deref() else {
        return Err("it names no signer".to_owned());
    };
    let Some(until) = record.until.as_deref() else {
        return Err("it has no `until`".to_owned());
    };
    let lines = [
        ("playbook", playbook_id),
        ("role", record.role.as_str()),
        ("signer", signer),
        ("by", record.by.as_str()),
        ("at", record.at.as_str()),
        ("until", until),
        ("digest", record.digest.as_str()),
    ];
    let mut text = format!("{NAMESPACE} {STATEMENT_VERSION}\n");
    for (key, value) in lines {
        if value.chars().any(char::is_control) {
            return Err(format!(
                "its {key} contains a line break or control character, which a signed statement cannot hold"
            ));
        }
        text.push_str(&format!("{key}: {value}\n"));
    }
    Ok(text)
}

/// What is wrong with a record's signer, before any signature is read.
pub fn signer_problem(record: &Approval) -> Option<String> {
    let signer = record.signer.as_deref()?;
    if signer.is_empty() || signer.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Some(
            "its signer is not a principal (an identity such as dana@example.org)".to_owned(),
        );
    }
    if signer.len() > limits::MAX_PRINCIPAL_BYTES {
        return Some(format!(
            "its signer is longer than {} bytes",
            limits::MAX_PRINCIPAL_BYTES
        ));
    }
    None
}

/// The key that made a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    /// Such as `ssh-ed25519`.
    pub algorithm: String,
    /// As `ssh-keygen -l` shows it: `SHA256:` and base64.
    pub fingerprint: String,
}

impl SigningKey {
    pub fn of(key: &ssh_key::public::KeyData) -> SigningKey {
        SigningKey {
            algorithm: key.algorithm().to_string(),
            fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        }
    }
}

impl std::fmt::Display for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} key {}", self.algorithm, self.fingerprint)
    }
}

/// What a signed record says about its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The principal the record names.
    pub signer: String,
    /// The key that made the signature, when it could be read.
    pub key: Option<SigningKey>,
    /// Whether it was checked against the catalog's allowed signers (a
    /// catalog that names none, and does not require signatures, leaves
    /// signatures unchecked).
    pub checked: bool,
}

/// Why a record's signature does not prove its approval. Each has its
/// own lint rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SignatureProblem {
    /// The catalog requires signatures and the record has none (CP608).
    Unsigned { holders: Vec<String> },
    /// A `signer` without a `signature`, or the reverse (CP608).
    Incomplete { missing: &'static str },
    /// The signature is not an OpenSSH signature (CP609).
    Unreadable { reason: String },
    /// The signature is not of this record's statement (CP609).
    Mismatch,
    /// Signed in another namespace (CP610).
    Namespace { found: String },
    /// The key is not one the allowed signers list for the signer (CP611).
    UnknownKey { key: String, why: String },
    /// The principal does not hold the role (CP612).
    NoRole { holders: Vec<String> },
    /// The key was not valid on the approval's date (CP613).
    KeyNotValid { key: String, why: String },
    /// The key is revoked (CP614).
    Revoked { key: String, file: String },
    /// The catalog's signers cannot be used (CP615).
    Unverifiable { reason: String },
}

impl SignatureProblem {
    /// Whether the record simply has no (complete) signature.
    pub fn is_unsigned(&self) -> bool {
        matches!(
            self,
            SignatureProblem::Unsigned { .. } | SignatureProblem::Incomplete { .. }
        )
    }

    /// What is wrong, in a sentence about the record signed by `signer`
    /// for `role`.
    pub fn describe(&self, role: &str, signer: Option<&str>) -> String {
        let signer = signer.unwrap_or("its signer");
        match self {
            SignatureProblem::Unsigned { .. } => {
                "it is not signed, and this catalog requires signed approvals (approvals.signed)"
                    .to_owned()
            }
            SignatureProblem::Incomplete { missing } => {
                format!("its signature is incomplete: it has no `{missing}`")
            }
            SignatureProblem::Unreadable { reason } => {
                format!("its signature cannot be read ({reason})")
            }
            SignatureProblem::Mismatch => "its signature does not match the record: the record was changed after it was signed (its role, signer, by, at, until or digest), or the signature is of another approval".to_owned(),
            SignatureProblem::Namespace { found } => format!(
                "it was signed in the namespace '{found}', not '{NAMESPACE}': a signature made for something else is not an approval"
            ),
            SignatureProblem::UnknownKey { key, why } => {
                format!("it was signed by {signer} with {key}, which does not count: {why}")
            }
            SignatureProblem::NoRole { holders } => format!(
                "{signer} does not hold the role '{role}' (approvals.roles in crisis.yaml lists {})",
                list_or_nobody(holders)
            ),
            SignatureProblem::KeyNotValid { key, why } => format!(
                "it was signed by {signer} with {key}, which was not valid on the approval's date: {why}"
            ),
            SignatureProblem::Revoked { key, file } => {
                format!("it was signed by {signer} with {key}, which is revoked ({file})")
            }
            SignatureProblem::Unverifiable { reason } => {
                format!("its signature cannot be checked: {reason}")
            }
        }
    }
}

/// How `who` signs the approval of `role` again, in a sentence.
pub fn sign_again(playbook_id: &str, role: &str, who: &str) -> String {
    format!("{who} must sign it again: `crisis approve {playbook_id} --role {role} --key ~/.ssh/id_ed25519` (or `--key agent`)")
}

/// `a, b` or `nobody`.
pub fn list_or_nobody(names: &[String]) -> String {
    if names.is_empty() {
        "nobody".to_owned()
    } else {
        names.join(", ")
    }
}

/// Checks the signature of `record` in the playbook `playbook_id`, approved
/// at `at`: what it says, and why it does not prove the approval, if it
/// does not.
pub fn check(
    playbook_id: &str,
    record: &Approval,
    at: DateTime<Utc>,
    trust: &Trust,
) -> (Option<Signed>, Option<SignatureProblem>) {
    let (signer, armour) = match (&record.signer, &record.signature) {
        (None, None) if trust.required => {
            let holders = trust.holders(&record.role).to_vec();
            return (None, Some(SignatureProblem::Unsigned { holders }));
        }
        (None, None) => return (None, None),
        (None, Some(_)) => {
            return (
                None,
                Some(SignatureProblem::Incomplete { missing: "signer" }),
            )
        }
        (Some(signer), None) => {
            let signed = Signed {
                signer: signer.clone(),
                key: None,
                checked: false,
            };
            return (
                Some(signed),
                Some(SignatureProblem::Incomplete {
                    missing: "signature",
                }),
            );
        }
        (Some(signer), Some(armour)) => (signer, armour),
    };
    let mut signed = Signed {
        signer: signer.clone(),
        key: None,
        checked: false,
    };
    let problem = verify(playbook_id, record, signer, armour, at, trust, &mut signed);
    (Some(signed), problem)
}

fn verify(
    playbook_id: &str,
    record: &Approval,
    signer: &str,
    armour: &str,
    at: DateTime<Utc>,
    trust: &Trust,
    signed: &mut Signed,
) -> Option<SignatureProblem> {
    let signature = match SshSig::from_pem(armour.trim()) {
        Ok(signature) => signature,
        Err(err) => {
            return Some(SignatureProblem::Unreadable {
                reason: format!("{err}; it should be the armoured text `ssh-keygen -Y sign` writes, from -----BEGIN SSH SIGNATURE-----"),
            })
        }
    };
    let key_data = signature.public_key().clone();
    let key = SigningKey::of(&key_data);
    signed.key = Some(key.clone());
    if !checkable(&key_data) {
        return Some(SignatureProblem::Unreadable {
            reason: format!(
                "{} keys cannot be checked; sign with an Ed25519, ECDSA or RSA key",
                key.algorithm
            ),
        });
    }
    let statement = match statement(playbook_id, record) {
        Ok(statement) => statement,
        Err(reason) => return Some(SignatureProblem::Unreadable { reason }),
    };
    // First whether it is a signature of this record at all, whatever its
    // namespace; then whether it counts.
    let public = PublicKey::from(key_data.clone());
    if public
        .verify(signature.namespace(), statement.as_bytes(), &signature)
        .is_err()
    {
        return Some(SignatureProblem::Mismatch);
    }
    if signature.namespace() != NAMESPACE {
        return Some(SignatureProblem::Namespace {
            found: signature.namespace().to_owned(),
        });
    }
    if !trust.configured() && !trust.required {
        // Nobody to check it against: shown as not checked.
        return None;
    }
    signed.checked = true;
    let key = key.to_string();
    match trust.check_key(signer, &key_data, at) {
        Ok(()) => {}
        Err(KeyProblem::Unavailable(reason)) => {
            signed.checked = false;
            return Some(SignatureProblem::Unverifiable { reason });
        }
        Err(KeyProblem::Revoked { file }) => return Some(SignatureProblem::Revoked { key, file }),
        Err(KeyProblem::Refused(refusal)) => {
            let why = refusal.describe(signer, trust.signers_file());
            return Some(match refusal {
                KeyRefusal::NotValid { .. } => SignatureProblem::KeyNotValid { key, why },
                _ => SignatureProblem::UnknownKey { key, why },
            });
        }
    }
    let holders = trust.holders(&record.role);
    if !holders.iter().any(|h| h == signer) {
        return Some(SignatureProblem::NoRole {
            holders: holders.to_vec(),
        });
    }
    None
}

/// Whether signatures by `key` can be checked here: every type ssh-keygen
/// makes today, not DSA (which it no longer makes) or unknown types.
fn checkable(key: &ssh_key::public::KeyData) -> bool {
    use ssh_key::Algorithm;
    matches!(
        key.algorithm(),
        Algorithm::Ed25519
            | Algorithm::SkEd25519
            | Algorithm::Ecdsa { .. }
            | Algorithm::SkEcdsaSha2NistP256
            | Algorithm::Rsa { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;

    fn record() -> Approval {
        Approval {
            role: "legal".to_owned(),
            by: "Dana Reyes, Counsel".to_owned(),
            at: "2025-01-15".to_owned(),
            until: Some("2026-01-15".to_owned()),
            digest: format!("sha256:{}", "b".repeat(64)),
            files: IndexMap::new(),
            signer: Some("dana@example.org".to_owned()),
            signature: None,
        }
    }

    #[test]
    fn the_statement_is_eight_lines_of_the_record() {
        assert_eq!(
            statement("helpline", &record()).unwrap(),
            format!(
                "crisis-approval 1\nplaybook: helpline\nrole: legal\nsigner: dana@example.org\nby: Dana Reyes, Counsel\nat: 2025-01-15\nuntil: 2026-01-15\ndigest: sha256:{}\n",
                "b".repeat(64)
            )
        );
        let mut forged = record();
        forged.by = "Dana\ndigest: sha256:0".to_owned();
        assert!(statement("helpline", &forged).is_err());
        forged = record();
        forged.signer = None;
        assert!(statement("helpline", &forged).is_err());
    }

    #[test]
    fn signers_are_principals_of_bounded_length() {
        let mut r = record();
        assert_eq!(signer_problem(&r), None);
        r.signer = Some("a".repeat(limits::MAX_PRINCIPAL_BYTES));
        assert_eq!(signer_problem(&r), None);
        r.signer = Some("a".repeat(limits::MAX_PRINCIPAL_BYTES + 1));
        assert!(signer_problem(&r).is_some());
        r.signer = Some("Dana Reyes".to_owned());
        assert!(signer_problem(&r).is_some());
    }

    #[test]
    fn a_record_without_a_signature_is_unsigned_only_when_required() {
        let mut r = record();
        r.signer = None;
        let mut trust = Trust::default();
        assert_eq!(check("p", &r, Utc::now(), &trust), (None, None));
        trust.required = true;
        assert!(matches!(
            check("p", &r, Utc::now(), &trust).1,
            Some(SignatureProblem::Unsigned { .. })
        ));
        let (_, problem) = check("p", &record(), Utc::now(), &Trust::default());
        assert_eq!(
            problem,
            Some(SignatureProblem::Incomplete {
                missing: "signature"
            })
        );
        r.signature = Some("-----BEGIN SSH SIGNATURE-----\nnonsense\n".to_owned());
        r.signer = Some("dana@example.org".to_owned());
        assert!(matches!(
            check("p", &r, Utc::now(), &trust).1,
            Some(SignatureProblem::Unreadable { .. })
        ));
    }
}
