//! Signed approvals, end to end: keys made by the real `ssh-keygen` in a
//! temporary folder (no key is ever kept in the repository), approvals
//! signed through `crisis approve --key`, checked by `crisis lint`, and
//! cross-checked with `ssh-keygen -Y verify` both ways.

use crate::support::{stderr, stdout, Sandbox};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const NOW: &str = "2025-03-01T12:00:00Z";
const ON: &str = "2025-01-15";
const PLAYBOOK: &str = "playbooks/helpline.yaml";
const DANA: &str = "dana@example.org";
const SAM: &str = "sam@example.org";
/// Every code a signature problem is reported under.
const SIGNATURE_CODES: [&str; 8] = [
    "CP608", "CP609", "CP610", "CP611", "CP612", "CP613", "CP614", "CP615",
];

/// A copy of `tests/fixtures/signed` and, beside it, a folder of keys.
struct Signed {
    catalog: Sandbox,
    keys: tempfile::TempDir,
}

impl Signed {
    /// The catalog with keys for Dana (legal) and Sam (communications)
    /// in its allowed signers, and no revoked keys.
    fn new() -> Signed {
        let signed = Signed {
            catalog: Sandbox::from_fixture("signed"),
            keys: tempfile::tempdir().expect("a folder for keys"),
        };
        signed.keygen("dana");
        signed.keygen("sam");
        signed.write_signers(&[
            format!(
                "{DANA} namespaces=\"crisis-approval,git\" {}",
                signed.public("dana")
            ),
            format!("{SAM} {}", signed.public("sam")),
        ]);
        signed.write("revoked_keys", "# none yet\n");
        signed
    }

    /// Both roles approved with signatures on 2025-01-15.
    fn approved() -> Signed {
        let signed = Signed::new();
        signed.approve("legal", "dana", &[]).success();
        signed
            .approve(
                "communications",
                "sam",
                &["--by", "Sam Lee, Head of Communications"],
            )
            .success();
        signed
    }

    /// A new ed25519 key without a passphrase.
    fn keygen(&self, name: &str) -> PathBuf {
        self.keygen_typed(name, &["-t", "ed25519"])
    }

    /// A new key of the type `kind` gives (`-t` and `-b`).
    fn keygen_typed(&self, name: &str, kind: &[&str]) -> PathBuf {
        let path = self.key(name);
        let output = Command::new("ssh-keygen")
            .args(kind)
            .args(["-q", "-N", "", "-C", name, "-f"])
            .arg(&path)
            .output()
            .expect("ssh-keygen runs (install openssh-client)");
        assert!(output.status.success(), "{}", stderr(&output));
        path
    }

    fn key(&self, name: &str) -> PathBuf {
        self.keys.path().join(name)
    }

    fn public(&self, name: &str) -> String {
        std::fs::read_to_string(self.key(name).with_extension("pub"))
            .expect("a public key")
            .trim()
            .to_owned()
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.catalog.path().join(rel), text).expect("written");
    }

    fn read(&self, rel: &str) -> String {
        self.catalog.read(rel)
    }

    fn edit(&self, rel: &str, change: impl Fn(&str) -> String) {
        let text = self.read(rel);
        let changed = change(&text);
        assert_ne!(changed, text, "the edit of {rel} changed nothing");
        self.write(rel, &changed);
    }

    fn write_signers(&self, lines: &[String]) {
        self.write("allowed_signers", &format!("{}\n", lines.join("\n")));
    }

    fn crisis(&self) -> assert_cmd::Command {
        let mut cmd = self.catalog.crisis();
        cmd.env_remove("SSH_AUTH_SOCK").args(["--now", NOW]);
        cmd
    }

    fn run(&self, args: &[&str]) -> Ran {
        Ran(self.crisis().args(args).output().expect("crisis ran"))
    }

    fn approve(&self, role: &str, key: &str, extra: &[&str]) -> Ran {
        let key = self.key(key);
        let key = key.to_str().expect("a UTF-8 path");
        let mut args = vec![
            "approve", "helpline", "--role", role, "--key", key, "--on", ON,
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn lint(&self) -> Ran {
        self.run(&["lint"])
    }

    /// The statement `crisis verify` prints for `role`.
    fn statement(&self, role: &str) -> String {
        let ran = self
            .run(&["verify", "helpline", "--statement", role])
            .success();
        stdout(&ran.0)
    }

    /// The armoured signature of `statement` by `key` in `namespace`, made
    /// by ssh-keygen itself.
    fn ssh_sign(&self, key: &str, namespace: &str, statement: &str) -> String {
        let mut child = Command::new("ssh-keygen")
            .args(["-Y", "sign", "-n", namespace, "-f"])
            .arg(self.key(key))
            .env_remove("SSH_AUTH_SOCK")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ssh-keygen runs");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(statement.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    }

    /// Replaces the signature of `role`'s record with `armour`.
    fn put_signature(&self, role: &str, armour: &str) {
        self.edit(PLAYBOOK, |text| {
            let (start, end) = signature_lines(text, role);
            let block: String = armour.lines().map(|l| format!("      {l}\n")).collect();
            format!("{}{block}{}", &text[..start], &text[end..])
        });
    }

    /// Whether ssh-keygen alone accepts `role`'s signature, with
    /// `crisis verify`'s statement, checked at the approval's date.
    fn ssh_verifies(&self, role: &str, principal: &str) -> Output {
        let statement = self.statement(role);
        let signature = stdout(
            &self
                .run(&["verify", "helpline", "--signature", role])
                .success()
                .0,
        );
        let sig = self.keys.path().join(format!("{role}.sig"));
        std::fs::write(&sig, signature).unwrap();
        let revoked = self.catalog.path().join("revoked_keys");
        ssh_keygen_verify(
            &self.catalog.path().join("allowed_signers"),
            principal,
            &sig,
            &statement,
            [
                OsStr::new("-r"),
                revoked.as_os_str(),
                OsStr::new("-Overify-time=20250115Z"),
            ],
        )
    }
}

/// `ssh-keygen -Y verify` as an auditor runs it: `statement` on standard
/// input, the armoured signature in the file `sig`, checked against
/// `allowed_signers` for `principal` in the namespace `crisis-approval`,
/// with `extra` options (`-r revoked_keys`, `-Overify-time=...`).
fn ssh_keygen_verify(
    allowed_signers: &Path,
    principal: &str,
    sig: &Path,
    statement: &str,
    extra: impl IntoIterator<Item = impl AsRef<OsStr>>,
) -> Output {
    let mut child = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(allowed_signers)
        .args(["-I", principal, "-n", "crisis-approval", "-s"])
        .arg(sig)
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ssh-keygen runs (install openssh-client)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(statement.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The byte range of the lines of `role`'s signature block (below its
/// `signature: |` line).
fn signature_lines(text: &str, role: &str) -> (usize, usize) {
    let record = text
        .find(&format!("  - role: {role}\n"))
        .expect("the record");
    let header = record
        + text[record..]
            .find("    signature: |\n")
            .expect("a signature");
    let start = header + "    signature: |\n".len();
    let mut end = start;
    for line in text[start..].split_inclusive('\n') {
        if !line.starts_with("      ") {
            break;
        }
        end += line.len();
    }
    (start, end)
}

/// A finished command, with what it printed.
struct Ran(Output);

impl Ran {
    fn success(self) -> Ran {
        assert!(
            self.0.status.success(),
            "{}{}",
            stdout(&self.0),
            stderr(&self.0)
        );
        self
    }

    fn code(&self) -> Option<i32> {
        self.0.status.code()
    }

    fn out(&self) -> String {
        stdout(&self.0)
    }

    fn err(&self) -> String {
        stderr(&self.0)
    }

    /// The signature codes the report holds, each once.
    fn signature_codes(&self) -> Vec<&'static str> {
        let report = self.out();
        SIGNATURE_CODES
            .into_iter()
            .filter(|code| report.contains(&format!("error[{code}]")))
            .collect()
    }

    /// Lint failed with exactly one signature finding, `code`, saying
    /// `says`.
    fn fails_with(&self, code: &str, says: &str) {
        let report = self.out();
        assert_eq!(self.code(), Some(1), "{report}");
        assert_eq!(self.signature_codes(), [code], "{report}");
        assert_eq!(
            report.matches(&format!("error[{code}]")).count(),
            1,
            "{report}"
        );
        assert!(report.contains(says), "expected {says:?} in:\n{report}");
    }
}

#[test]
fn signed_approvals_pass_and_ssh_keygen_accepts_every_signature() {
    let signed = Signed::new();
    let first = signed.approve("legal", "dana", &[]).success();
    assert!(
        first.out().starts_with(
            "approved playbooks/helpline.yaml: legal approved by dana@example.org on 2025-01-15, valid until 2026-01-15\nsigned by dana@example.org with ssh-ed25519 key SHA256:"
        ),
        "{}",
        first.out()
    );
    signed
        .approve(
            "communications",
            "sam",
            &["--by", "Sam Lee, Head of Communications"],
        )
        .success();
    let lint = signed.run(&["lint", "--deny-warnings"]);
    assert_eq!(lint.out(), "1 playbook linted: no findings\n");
    assert!(lint.0.status.success());

    let text = signed.read(PLAYBOOK);
    assert!(
        text.contains(
            "    signer: dana@example.org\n    signature: |\n      -----BEGIN SSH SIGNATURE-----\n"
        ),
        "{text}"
    );
    assert_eq!(
        signed.statement("legal"),
        format!(
            "crisis-approval 1\nplaybook: helpline\nrole: legal\nsigner: dana@example.org\nby: dana@example.org\nat: 2025-01-15\nuntil: 2026-01-15\ndigest: {}\n",
            text.split("    digest: ").nth(1).unwrap().lines().next().unwrap()
        )
    );
    for (role, principal) in [("legal", DANA), ("communications", SAM)] {
        let output = signed.ssh_verifies(role, principal);
        assert!(output.status.success(), "{role}: {}", stderr(&output));
        assert!(stdout(&output).starts_with(&format!(
            "Good \"crisis-approval\" signature for {principal}"
        )));
    }

    let status = signed.run(&["status"]).success();
    assert!(
        status
            .out()
            .contains("; signed by sam@example.org with ssh-ed25519 key SHA256:"),
        "{}",
        status.out()
    );
    assert_eq!(
        status.out().matches(": verified\n").count(),
        2,
        "{}",
        status.out()
    );
    let json: serde_json::Value =
        serde_json::from_str(&signed.run(&["status", "--format", "json"]).out()).unwrap();
    let legal = &json["playbooks"][0]["roles"][1];
    assert_eq!(legal["signature"]["signer"], DANA);
    assert_eq!(legal["signature"]["verified"], true);
    assert!(legal["signature"]["fingerprint"]
        .as_str()
        .unwrap()
        .starts_with("SHA256:"));
    let verify = signed.run(&["verify", "helpline"]).success();
    assert_eq!(verify.out().matches(": verified (signed by ").count(), 2);

    let render = signed
        .run(&["render", "helpline", "--set", "area=Springfield"])
        .success();
    assert!(render.out().contains(
        "- [x] Approved: legal: approved by dana@example.org on 2025-01-15, valid until 2026-01-15, signed by dana@example.org with ssh-ed25519 key SHA256:"
    ));
}

#[test]
fn an_unsigned_record_is_a_finding_and_render_refuses_it() {
    let signed = Signed::new();
    let refused = signed.run(&[
        "approve",
        "helpline",
        "--role",
        "legal",
        "--by",
        "Dana Reyes",
        "--on",
        ON,
    ]);
    assert_eq!(refused.code(), Some(2));
    assert!(
        refused.err().contains("requires signed approvals"),
        "{}",
        refused.err()
    );
    assert!(!signed.read(PLAYBOOK).contains("approvals:"));

    let signed = Signed::approved();
    signed.edit(PLAYBOOK, |text| {
        let (start, end) = signature_lines(text, "legal");
        let header = text[..start].rfind("    signer:").unwrap();
        format!("{}{}", &text[..header], &text[end..])
    });
    signed.lint().fails_with(
        "CP608",
        "the legal approval is not signed, and this catalog requires signed approvals",
    );
    let render = signed.run(&["render", "helpline", "--set", "area=Springfield"]);
    assert_eq!(render.code(), Some(1));
    assert_eq!(render.out(), "");
    assert!(
        render.err().contains(
            "legal: the approval by dana@example.org on 2025-01-15 is not proven: it is not signed"
        ),
        "{}",
        render.err()
    );

    // Half a signature is no signature.
    let signed = Signed::approved();
    signed.edit(PLAYBOOK, |text| {
        let (start, end) = signature_lines(text, "communications");
        format!(
            "{}{}",
            &text[..start - "    signature: |\n".len()],
            &text[end..]
        )
    });
    signed.lint().fails_with("CP608", "it has no `signature`");
}

#[test]
fn a_key_not_in_allowed_signers_fails() {
    let signed = Signed::approved();
    signed.keygen("mallory");
    let forged = signed.ssh_sign("mallory", "crisis-approval", &signed.statement("legal"));
    signed.put_signature("legal", &forged);
    signed.lint().fails_with(
        "CP611",
        "it was signed by dana@example.org with ssh-ed25519 key SHA256:",
    );
    let report = signed.lint().out();
    assert!(report.contains("allowed_signers does not list this key for dana@example.org (it lists 1 other key for them"), "{report}");
    assert!(
        report.contains(
            "dana@example.org must sign it again: `crisis approve helpline --role legal --key"
        ),
        "{report}"
    );
    // ssh-keygen agrees.
    assert!(!signed.ssh_verifies("legal", DANA).status.success());
    // crisis approve refuses a key it would not accept.
    let refused = signed.approve("legal", "mallory", &["--signer", DANA]);
    assert_eq!(refused.code(), Some(2));
    assert!(
        refused.err().contains("cannot sign for dana@example.org"),
        "{}",
        refused.err()
    );
}

#[test]
fn a_signer_without_the_role_fails() {
    let signed = Signed::approved();
    signed.edit("crisis.yaml", |t| {
        t.replace("legal: [dana@example.org]", "legal: [jordan@example.org]")
    });
    signed.lint().fails_with(
        "CP612",
        "dana@example.org does not hold the role 'legal' (approvals.roles in crisis.yaml lists jordan@example.org)",
    );
    let refused = signed.approve("communications", "dana", &[]);
    assert_eq!(refused.code(), Some(2));
    assert!(
        refused
            .err()
            .contains("for anyone who holds the role communications"),
        "{}",
        refused.err()
    );
}

#[test]
fn an_edited_by_date_or_digest_fails() {
    let edits: [(&str, &str); 3] = [
        (
            "    by: dana@example.org\n",
            "    by: \"Dana Reyes, General Counsel\"\n",
        ),
        (
            "    at: 2025-01-15\n    until: 2026-01-15\n",
            "    at: 2025-01-20\n    until: 2026-01-15\n",
        ),
        ("    until: 2026-01-15\n", "    until: 2026-01-14\n"),
    ];
    for (from, to) in edits {
        let signed = Signed::approved();
        signed.edit(PLAYBOOK, |t| t.replacen(from, to, 1));
        signed
            .lint()
            .fails_with("CP609", "the record was changed after it was signed");
    }

    // New words, and the record's digest made to match them: the digest
    // is signed, so the signature gives it away.
    let signed = Signed::approved();
    signed.edit("templates/helpline/announce-x.es.j2", |t| {
        t.replace("gratuito", "barato")
    });
    let stale = signed.lint();
    assert_eq!(
        stale.out().matches("error[CP602]").count(),
        2,
        "{}",
        stale.out()
    );
    let catalog = crisis::catalog::Catalog::at(signed.catalog.path(), signed.catalog.path());
    let rel = crisis::catalog::CatalogPath::new(PLAYBOOK).unwrap();
    let loaded = crisis::load::load_playbook(&catalog, &rel).unwrap();
    let now = crisis::approval::assess::current_digest(&catalog, &loaded).unwrap();
    let legal = loaded
        .playbook
        .approvals
        .iter()
        .find(|a| a.role == "legal")
        .unwrap();
    signed.edit(PLAYBOOK, |text| {
        let mut text = text.replacen(&legal.digest, &now.digest, 1);
        for (path, digest) in &legal.files {
            text = text.replacen(
                &format!("{path}: {digest}"),
                &format!("{path}: {}", now.files[path]),
                1,
            );
        }
        text
    });
    let report = signed.lint();
    assert!(report.out().contains("error[CP609]"), "{}", report.out());
    assert_eq!(
        report.out().matches("error[CP602]").count(),
        1,
        "only communications is stale:\n{}",
        report.out()
    );
}

#[test]
fn a_signature_from_another_namespace_fails() {
    let signed = Signed::approved();
    let git = signed.ssh_sign("dana", "git", &signed.statement("legal"));
    signed.put_signature("legal", &git);
    signed.lint().fails_with(
        "CP610",
        "it was signed in the namespace 'git', not 'crisis-approval'",
    );
    assert!(!signed.ssh_verifies("legal", DANA).status.success());
}

#[test]
fn a_key_expired_at_the_approval_date_fails() {
    // Valid then, expired since: the approval holds.
    let signed = Signed::approved();
    signed.write_signers(&[
        format!(
            "{DANA} valid-before=\"20250201Z\" {}",
            signed.public("dana")
        ),
        format!("{SAM} {}", signed.public("sam")),
    ]);
    let lint = signed.lint();
    assert!(lint.0.status.success(), "{}", lint.out());

    // Expired before the approval's date.
    signed.write_signers(&[
        format!(
            "{DANA} valid-after=\"20200101\",valid-before=\"20241231Z\" {}",
            signed.public("dana")
        ),
        format!("{SAM} {}", signed.public("sam")),
    ]);
    signed.lint().fails_with(
        "CP613",
        "which was not valid on the approval's date: allowed_signers:1 lists this key for dana@example.org as valid only from 2020-01-01 00:00 UTC until 2024-12-31 00:00 UTC",
    );
    assert!(!signed.ssh_verifies("legal", DANA).status.success());
    let refused = signed.approve("legal", "dana", &[]);
    assert_eq!(refused.code(), Some(2));
    assert!(refused.err().contains("as valid only"), "{}", refused.err());
}

#[test]
fn a_revoked_key_fails_even_while_listed() {
    let signed = Signed::approved();
    signed.write(
        "revoked_keys",
        &format!("# lost laptop\n{}\n", signed.public("dana")),
    );
    signed
        .lint()
        .fails_with("CP614", "which is revoked (revoked_keys)");
    assert!(!signed.ssh_verifies("legal", DANA).status.success());
}

#[test]
fn a_revoked_keys_file_that_cannot_be_read_fails_closed() {
    let signed = Signed::approved();
    // Two spaces between type and key: OpenSSH reads it, so must we.
    let public = signed.public("dana");
    let (kind, key) = public.split_once(' ').unwrap();
    signed.write("revoked_keys", &format!("{kind}  {key}\n"));
    signed
        .lint()
        .fails_with("CP614", "which is revoked (revoked_keys)");
    // A line no one can read may be the revocation: nothing is believed.
    signed.write("revoked_keys", "garbage\n");
    assert_eq!(signed.run(&["verify", "helpline"]).code(), Some(1));
    let render = signed.run(&["render", "helpline", "--set", "area=Springfield"]);
    assert_eq!(render.code(), Some(1), "{}", render.out());
}

#[test]
fn a_rotated_key_invalidates_its_records_until_they_are_signed_again() {
    let signed = Signed::approved();
    signed.keygen("dana-2026");
    // Dana adds a new key: both count.
    signed.write_signers(&[
        format!("{DANA} {}", signed.public("dana")),
        format!("{DANA} {}", signed.public("dana-2026")),
        format!("{SAM} {}", signed.public("sam")),
    ]);
    signed.lint().success();
    // The old key is removed: its record names who must sign again.
    signed.write_signers(&[
        format!("{DANA} {}", signed.public("dana-2026")),
        format!("{SAM} {}", signed.public("sam")),
    ]);
    let lint = signed.lint();
    lint.fails_with(
        "CP611",
        "the key was removed or replaced); dana@example.org must sign it again",
    );
    assert!(
        lint.out().starts_with("playbooks/helpline.yaml:"),
        "{}",
        lint.out()
    );
    let status = signed.run(&["status"]).success();
    assert!(
        status.out().contains("UNVERIFIED - needs action"),
        "{}",
        status.out()
    );
    let verify = signed.run(&["verify", "helpline"]);
    assert_eq!(verify.code(), Some(1));
    assert!(
        verify
            .out()
            .contains("legal: NOT VERIFIED: it was signed by dana@example.org"),
        "{}",
        verify.out()
    );

    let again = signed.approve("legal", "dana-2026", &[]).success();
    assert!(again.out().starts_with("re-approved"), "{}", again.out());
    signed.run(&["lint", "--deny-warnings"]).success();
    assert_eq!(signed.read(PLAYBOOK).matches("role: legal").count(), 1);
}

#[test]
fn a_signature_made_by_ssh_keygen_over_the_printed_statement_is_accepted() {
    let signed = Signed::approved();
    signed.keygen("dana-yubikey");
    signed.write_signers(&[
        format!("{DANA} {}", signed.public("dana")),
        format!(
            "\"{DANA}\" namespaces=\"crisis-*\" {}",
            signed.public("dana-yubikey")
        ),
        format!("{SAM} {}", signed.public("sam")),
    ]);
    let statement = signed.statement("legal");
    let armour = signed.ssh_sign("dana-yubikey", "crisis-approval", &statement);
    signed.put_signature("legal", &armour);
    signed.run(&["lint", "--deny-warnings"]).success();
    let verify = signed.run(&["verify", "helpline"]).success();
    let fingerprint = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(signed.key("dana-yubikey").with_extension("pub"))
        .output()
        .unwrap();
    let fingerprint = stdout(&fingerprint);
    let fingerprint = fingerprint.split_whitespace().nth(1).unwrap();
    assert!(
        verify.out().contains(fingerprint),
        "{}\n{fingerprint}",
        verify.out()
    );
}

#[test]
fn every_key_type_ssh_keygen_makes_is_checked() {
    let signed = Signed::approved();
    let kinds: [(&str, &[&str]); 4] = [
        ("ecdsa-256", &["-t", "ecdsa", "-b", "256"]),
        ("ecdsa-384", &["-t", "ecdsa", "-b", "384"]),
        ("ecdsa-521", &["-t", "ecdsa", "-b", "521"]),
        ("rsa", &["-t", "rsa", "-b", "2048"]),
    ];
    for (name, kind) in kinds {
        signed.keygen_typed(name, kind);
        signed.write_signers(&[
            format!("{DANA} {}", signed.public(name)),
            format!("{SAM} {}", signed.public("sam")),
        ]);
        let armour = signed.ssh_sign(name, "crisis-approval", &signed.statement("legal"));
        signed.put_signature("legal", &armour);
        let lint = signed.lint();
        assert!(lint.0.status.success(), "{name}: {}", lint.out());
        assert!(
            signed.ssh_verifies("legal", DANA).status.success(),
            "{name}"
        );
    }
}

#[test]
fn allowed_signers_problems_are_reported_where_they_are() {
    let signed = Signed::approved();
    let text = signed.read("allowed_signers");
    signed.write(
        "allowed_signers",
        &format!(
            "{text}jordan@example.org namespace=\"crisis-approval\" {}\n",
            signed.public("sam")
        ),
    );
    let lint = signed.lint();
    assert_eq!(lint.code(), Some(1));
    assert!(
        lint.out()
            .contains("allowed_signers:3:1: error[CP615]: unsupported option 'namespace'"),
        "{}",
        lint.out()
    );

    // A missing file leaves every signature unchecked, and says so.
    std::fs::remove_file(signed.catalog.path().join("allowed_signers")).unwrap();
    let lint = signed.lint();
    assert!(
        lint.out()
            .contains("allowed_signers:1:1: error[CP615]: the file does not exist"),
        "{}",
        lint.out()
    );
    assert_eq!(
        lint.out().matches("error[CP615]").count(),
        3,
        "{}",
        lint.out()
    );
    let render = signed.run(&["render", "helpline", "--set", "area=Springfield"]);
    assert_eq!(render.code(), Some(1));

    // A file outside the catalog is never read.
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("allowed_signers");
    std::fs::write(&target, format!("{DANA} {}\n", signed.public("dana"))).unwrap();
    std::os::unix::fs::symlink(&target, signed.catalog.path().join("allowed_signers")).unwrap();
    let lint = signed.lint();
    assert!(
        lint.out()
            .contains("it resolves outside the catalog folder"),
        "{}",
        lint.out()
    );
    signed.edit("crisis.yaml", |t| {
        t.replace("signers: allowed_signers", "signers: ../allowed_signers")
    });
    let lint = signed.lint();
    assert!(
        lint.out().contains("crisis.yaml:7:3: error[CP607]"),
        "{}",
        lint.out()
    );
}

/// An ssh-agent of the test's own, stopped when dropped.
struct Agent {
    child: std::process::Child,
    socket: PathBuf,
}

impl Agent {
    fn start(dir: &Path) -> Agent {
        let socket = dir.join("agent.sock");
        let child = Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&socket)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ssh-agent runs");
        for _ in 0..100 {
            if socket.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Agent { child, socket }
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn approve_signs_with_the_agents_key_for_the_role() {
    let signed = Signed::new();
    let agent = Agent::start(signed.keys.path());
    let added = Command::new("ssh-add")
        .arg(signed.key("dana"))
        .env("SSH_AUTH_SOCK", &agent.socket)
        .output()
        .expect("ssh-add runs");
    assert!(added.status.success(), "{}", stderr(&added));
    // The private key file is gone: only the agent can sign.
    std::fs::remove_file(signed.key("dana")).unwrap();
    let output = signed
        .crisis()
        .env("SSH_AUTH_SOCK", &agent.socket)
        .args([
            "approve", "helpline", "--role", "legal", "--key", "agent", "--on", ON,
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("signed by dana@example.org with ssh-ed25519 key"));
    // The agent holds no key for communications.
    let output = signed
        .crisis()
        .env("SSH_AUTH_SOCK", &agent.socket)
        .args([
            "approve",
            "helpline",
            "--role",
            "communications",
            "--key",
            "agent",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("the ssh-agent holds no key that allowed_signers lists for communications"),
        "{}",
        stderr(&output)
    );
    signed.approve("communications", "sam", &[]).success();
    signed.lint().success();
}

#[test]
fn an_unsigned_catalog_ignores_nothing_it_can_check() {
    // Signatures are optional here, but one that is present must hold.
    let signed = Signed::approved();
    signed.edit("crisis.yaml", |t| t.replace("  signed: true\n", ""));
    signed.lint().success();
    signed.edit(PLAYBOOK, |t| {
        t.replacen("    by: dana@example.org\n", "    by: Someone Else\n", 1)
    });
    signed
        .lint()
        .fails_with("CP609", "the record was changed after it was signed");
}

/// The clock the tests of the repository's example catalog use: inside
/// its approvals' period.
const EXAMPLES_CLOCK: &str = "2026-12-01T00:00:00Z";

#[test]
fn the_example_catalog_is_signed_and_ssh_keygen_agrees() {
    // The repository's own catalog is signed by scripts/sign-examples with
    // throwaway keys: every record of every playbook must verify, in crisis
    // and with ssh-keygen alone, exactly as the docs tell an auditor.
    let repo = crate::support::repo();
    let crisis = |args: &[&str]| {
        let output = crate::support::crisis_in(&repo)
            .args(["--now", EXAMPLES_CLOCK])
            .args(args)
            .output()
            .expect("crisis ran");
        assert!(
            output.status.success(),
            "crisis {args:?}: {}{}",
            stdout(&output),
            stderr(&output)
        );
        stdout(&output)
    };
    let status: serde_json::Value =
        serde_json::from_str(&crisis(&["status", "--format", "json"])).unwrap();
    let playbooks = status["playbooks"].as_array().unwrap();
    assert!(!playbooks.is_empty(), "{status}");
    let sigs = tempfile::tempdir().unwrap();
    for playbook in playbooks {
        let id = playbook["id"].as_str().unwrap();
        assert_eq!(playbook["state"], "approved", "{id}: {playbook}");
        assert_eq!(playbook["unrequired_roles"], serde_json::json!([]), "{id}");
        let roles = playbook["roles"].as_array().unwrap();
        assert!(!roles.is_empty(), "{id} requires no approval");

        let verified = crisis(&["verify", id]);
        assert_eq!(
            verified.matches(": verified (signed by ").count(),
            roles.len(),
            "{id}: {verified}"
        );
        for record in roles {
            let role = record["role"].as_str().unwrap();
            let signer = record["signature"]["signer"].as_str().unwrap();
            assert_eq!(record["signature"]["verified"], true, "{id} {role}");
            let statement = crisis(&["verify", id, "--statement", role]);
            let sig = sigs.path().join(format!("{id}.{role}.sig"));
            std::fs::write(&sig, crisis(&["verify", id, "--signature", role])).unwrap();
            // At the approval's date, as crisis checks it.
            let at = record["at"].as_str().unwrap()[..10].replace('-', "");
            let output = ssh_keygen_verify(
                &repo.join("allowed_signers"),
                signer,
                &sig,
                &statement,
                [format!("-Overify-time={at}Z")],
            );
            assert!(output.status.success(), "{id} {role}: {}", stderr(&output));
            assert!(
                stdout(&output)
                    .starts_with(&format!("Good \"crisis-approval\" signature for {signer}")),
                "{}",
                stdout(&output)
            );
        }
    }
}

#[test]
fn the_example_catalog_keeps_no_private_key() {
    // Its keys are made for one signing and deleted: a private key in the
    // catalog would let anyone sign as the fictional approvers.
    let repo = crate::support::repo();
    let mut files = vec![repo.join("allowed_signers"), repo.join("crisis.yaml")];
    for dir in ["playbooks", "templates"] {
        let mut folders = vec![repo.join(dir)];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    files.push(path);
                }
            }
        }
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains("PRIVATE KEY"), "{}", file.display());
    }
}
