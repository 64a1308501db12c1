//! `crisis approve PLAYBOOK --role ROLE --by NAME`: records that a role
//! approved the playbook's content as it is now; with `--key`, signed by
//! the person approving, so the record proves who approved.

use anyhow::{anyhow, bail, Result};
use clap::Args;
use indexmap::IndexMap;
use std::io::Write;

use super::Context;
use crate::approval::sign::{self, KeySource};
use crate::approval::signature::{self, list_or_nobody};
use crate::approval::{self, edit, period::Period, period::When, Trust};
use crate::lint::{self, Options};
use crate::playbook::Approval;
use crate::report;
use crate::Outcome;

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The playbook: its id, or the path of its file.
    pub playbook: String,
    /// The role approving: one of the playbook's `approvals_required`.
    #[arg(long, value_name = "ROLE")]
    pub role: String,
    /// Who approves, with their title, such as "Dana Reyes, Associate General
    /// Counsel". Optional with --key: the signer's principal names them.
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Sign the approval with this SSH key: a private key file with its
    /// .pub beside it, a .pub whose private half ssh-agent holds, or
    /// `agent` for the agent's key that the allowed signers file lists for
    /// the role. Signing runs `ssh-keygen -Y sign`.
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// The signer's principal in the allowed signers file, such as
    /// dana@example.org. Default: the one principal it lists for the key
    /// that holds the role.
    #[arg(long, value_name = "PRINCIPAL", requires = "key")]
    pub signer: Option<String>,
    /// How long the approval holds: days (90d), weeks (6w), calendar months
    /// (12mo) or years (2y). Approvals always expire.
    #[arg(long, value_name = "PERIOD", default_value = "12mo")]
    pub expires: String,
    /// When the approval was given: a date (2025-01-15) or an RFC 3339 date
    /// and time. Default: now (`--now`).
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
}

/// Lint codes of the approval rules, which say the playbook is not approved
/// yet (or not by a proven signer): that is what approving fixes, so they
/// do not block it. A broken policy (CP607) or signers file (CP615) does.
const APPROVAL_CODES: [&str; 13] = [
    "CP601", "CP602", "CP603", "CP604", "CP605", "CP606", "CP608", "CP609", "CP610", "CP611",
    "CP612", "CP613", "CP614",
];

pub fn run(args: &ApproveArgs, context: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let (catalog, _) = super::find_playbook(context, &args.playbook)?;
    let Some(dir) = catalog.dir() else {
        bail!("the built-in example catalog cannot be approved; copy it into a folder of your own, or pass --catalog DIR");
    };
    // Two approvals of one playbook at once must both land: each takes the
    // catalog's lock, then reads the playbook afresh and writes it back
    // before letting go.
    let _lock = lock(dir)?;
    let (catalog, loaded) = super::find_playbook(context, &args.playbook)?;
    let settings = crate::load::load_settings(&catalog).settings;
    let playbook = &loaded.playbook;
    let required = &approval::assess::required_roles(&loaded, &settings);
    if required.is_empty() {
        bail!(
            "{} requires no approvals; list the roles that must approve it first, such as `approvals_required: [communications, legal]`",
            loaded.display
        );
    }
    if !required.contains(&args.role) {
        let hint = crate::suggest::did_you_mean(&args.role, required.iter().map(String::as_str))
            .map(|near| format!("did you mean '{near}'? "))
            .unwrap_or_default();
        bail!(
            "'{}' is not a role {} requires; {hint}roles: {}",
            args.role,
            playbook.id,
            required.join(", ")
        );
    }
    let trust = Trust::load(&catalog, &settings);
    if trust.required && args.key.is_none() {
        bail!(
            "this catalog requires signed approvals (approvals.signed in crisis.yaml); add --key ~/.ssh/id_ed25519, or --key agent"
        );
    }
    let by = match (&args.by, &args.key) {
        (Some(by), _) => by.trim(),
        (None, Some(_)) => "",
        (None, None) => bail!(
            "--by is needed: give the approver's name and title, such as --by \"Dana Reyes, Associate General Counsel\" (or sign with --key)"
        ),
    };
    if by.is_empty() && args.by.is_some() {
        bail!("--by is empty; give the approver's name and title, such as \"Dana Reyes, Associate General Counsel\"");
    }
    if by
        .chars()
        .any(|c| crate::text::is_unsafe(c) || crate::text::is_invisible(c))
    {
        bail!(
            "--by contains a line break or control character; give the name and title on one line"
        );
    }
    let period = Period::parse(&args.expires).map_err(|e| anyhow!("--expires: {e}"))?;
    let at = match &args.on {
        Some(on) => When::parse(on).map_err(|e| anyhow!("--on: {e}"))?,
        None => When::Instant(context.now),
    };
    let until = at
        .plus(period)
        .ok_or_else(|| anyhow!("--expires {} is too far in the future", args.expires))?;
    let tolerance = chrono::Duration::minutes(approval::assess::FUTURE_TOLERANCE_MINUTES);
    if at.start() > context.now + tolerance {
        bail!(
            "--on {} is in the future; an approval records a review that has happened (leave --on out to use today)",
            at.to_human()
        );
    }
    let longest = approval::assess::max_validity(&settings).map_err(anyhow::Error::msg)?;
    if at.plus(longest).is_none_or(|l| until.end() > l.end()) {
        bail!(
            "--expires {} is longer than this catalog allows ({} from approvals.max_validity in crisis.yaml, default {}); give a shorter --expires",
            args.expires,
            settings
                .approvals
                .max_validity
                .as_deref()
                .unwrap_or(approval::assess::DEFAULT_MAX_VALIDITY),
            approval::assess::DEFAULT_MAX_VALIDITY
        );
    }
    if until.end() <= context.now {
        bail!(
            "an approval on {} for {} would already have expired (valid until {}); give a later --on or a longer --expires",
            at.to_human(),
            args.expires,
            until.to_human()
        );
    }

    // A broken playbook must not be approved: the words approved would not
    // be the words render produces.
    let options = Options {
        now: context.now,
        expiring_within_days: 0,
    };
    let mut report = lint::lint(
        &catalog,
        &options,
        std::slice::from_ref(&loaded.rel.as_str().to_owned()),
    )?;
    report
        .diagnostics
        .retain(|d| d.is_error() && !APPROVAL_CODES.contains(&d.code));
    if !report.diagnostics.is_empty() {
        report::write(
            report::Format::Human,
            &report,
            false,
            &mut std::io::stderr().lock(),
        )?;
        return Err(crate::error::Refused(format!(
            "{} has lint errors; fix them before it is approved (nothing was written)",
            loaded.display
        ))
        .into());
    }

    let content =
        approval::assess::current_digest(&catalog, &loaded).map_err(anyhow::Error::msg)?;
    let mut record = Approval {
        role: args.role.clone(),
        by: by.to_owned(),
        at: at.to_record(),
        until: Some(until.to_record()),
        digest: content.digest.clone(),
        files: content
            .files
            .clone()
            .into_iter()
            .collect::<IndexMap<_, _>>(),
        signer: None,
        signature: None,
    };
    if let Some(key) = &args.key {
        let (signer, key) = signing_key(&trust, args, key, at.start())?;
        if record.by.is_empty() {
            record.by = signer.clone();
        }
        record.signer = Some(signer);
        let statement = signature::statement(&playbook.id, &record).map_err(anyhow::Error::msg)?;
        record.signature = Some(sign::sign(&statement, &key)?);
        // What ssh-keygen made must be what lint accepts: the key file's
        // private half may not match its .pub, for one.
        let (_, problem) = signature::check(&playbook.id, &record, at.start(), &trust);
        if let Some(problem) = problem {
            bail!(
                "the signature ssh-keygen made does not prove this approval: {}; nothing was written",
                problem.describe(&args.role, record.signer.as_deref())
            );
        }
    }
    let edited = edit::upsert(&loaded.text, &loaded.tree, &record).map_err(|why| {
        anyhow!(
            "cannot add the approval to {} without changing anything else: {why}; nothing was written",
            loaded.display
        )
    })?;
    catalog.write(&loaded.rel, edited.as_bytes())?;

    let replaced = playbook.approvals.iter().any(|a| a.role == args.role);
    writeln!(
        out,
        "{} {}: {} approved by {} on {}, valid until {}",
        if replaced { "re-approved" } else { "approved" },
        loaded.display,
        args.role,
        record.by,
        at.to_human(),
        until.to_human()
    )?;
    if let (Some(signer), Some(armour)) = (&record.signer, &record.signature) {
        let key = ssh_key::SshSig::from_pem(armour.trim())
            .map(|s| signature::SigningKey::of(s.public_key()).to_string())
            .unwrap_or_default();
        writeln!(out, "signed by {signer} with {key}")?;
    }
    writeln!(
        out,
        "content {} ({} file{})",
        content.digest,
        content.files.len(),
        if content.files.len() == 1 { "" } else { "s" }
    )?;
    let assessment = match crate::load::load_playbook(&catalog, &loaded.rel) {
        Ok(now_loaded) => {
            approval::assess(&catalog, &now_loaded, &settings, &trust, context.now, 0)
        }
        Err(_) => approval::assess(&catalog, &loaded, &settings, &trust, context.now, 0),
    };
    let still: Vec<String> = assessment
        .blocking()
        .filter(|r| r.role != args.role)
        .map(|r| format!("{} ({})", r.role, r.state.name()))
        .collect();
    if !still.is_empty() {
        writeln!(out, "still needed before use: {}", still.join(", "))?;
    }
    Ok(Outcome::Success)
}

/// The signer's principal and the key to sign with, checked against the
/// catalog's signers before anything is signed: a signature lint would
/// refuse is never written.
fn signing_key(
    trust: &Trust,
    args: &ApproveArgs,
    key: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(String, KeySource)> {
    let (Some(signers), None) = (trust.signers(), trust.unavailable()) else {
        bail!(
            "cannot sign: {}; signatures are checked against the allowed signers file crisis.yaml names (approvals.signers)",
            trust.unavailable().unwrap_or_default()
        );
    };
    let holders = trust.holders(&args.role);
    if holders.is_empty() {
        bail!(
            "nobody may sign for '{}': list the principals who hold it under approvals.roles in crisis.yaml",
            args.role
        );
    }
    // The principals a key may sign as, for this role.
    let candidates = |public: &ssh_key::PublicKey| -> Vec<String> {
        match &args.signer {
            Some(signer) => vec![signer.clone()],
            None => signers
                .principals_of(public.key_data())
                .into_iter()
                .filter(|p| holders.contains(p))
                .collect(),
        }
    };
    let source = if key == "agent" {
        let usable: Vec<ssh_key::PublicKey> = sign::agent_keys()?
            .into_iter()
            .filter(|k| !candidates(k).is_empty() && signers.lists(k.key_data()))
            .collect();
        match usable.len() {
            1 => KeySource::Agent {
                public: usable.into_iter().next().expect("one key"),
            },
            0 => bail!(
                "the ssh-agent holds no key that {} lists for {} ({}); add yours with ssh-add, or give --key a key file",
                trust.signers_file(),
                args.role,
                list_or_nobody(holders)
            ),
            n => bail!(
                "the ssh-agent holds {n} keys that may sign for {}; choose one with --key PATH.pub (and --signer)",
                args.role
            ),
        }
    } else {
        KeySource::file(key)?
    };
    let public = source.public();
    let fingerprint = signature::SigningKey::of(public.key_data());
    let signer = match candidates(public).as_slice() {
        [one] => one.clone(),
        [] => bail!(
            "{} does not list {fingerprint} for anyone who holds the role {} ({}); use a listed key, or add it to the file (a reviewed change)",
            trust.signers_file(),
            args.role,
            list_or_nobody(holders)
        ),
        many => bail!(
            "{fingerprint} is listed for {}; choose one with --signer",
            many.join(", ")
        ),
    };
    if !holders.contains(&signer) {
        bail!(
            "{signer} does not hold the role '{}' (approvals.roles lists {})",
            args.role,
            list_or_nobody(holders)
        );
    }
    trust
        .check_key(&signer, public.key_data(), at)
        .map_err(|problem| {
            let why = match problem {
                approval::trust::KeyProblem::Unavailable(reason) => reason,
                approval::trust::KeyProblem::Revoked { file } => {
                    format!("it is revoked ({file})")
                }
                approval::trust::KeyProblem::Refused(refusal) => {
                    refusal.describe(&signer, trust.signers_file())
                }
            };
            anyhow!("{fingerprint} cannot sign for {signer}: {why}")
        })?;
    Ok((signer, source))
}

/// Holds the catalog's approval lock until dropped: an exclusive lock on the
/// `playbooks/` folder itself, so no lock file is left in the catalog.
fn lock(dir: &std::path::Path) -> Result<Option<std::fs::File>> {
    #[cfg(unix)]
    {
        let folder = std::fs::File::open(dir.join("playbooks"))
            .map_err(|e| anyhow!("cannot open {}/playbooks: {e}", dir.display()))?;
        folder
            .lock()
            .map_err(|e| anyhow!("cannot lock {}/playbooks: {e}", dir.display()))?;
        Ok(Some(folder))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(None)
    }
}
