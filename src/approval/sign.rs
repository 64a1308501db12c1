//! Signing an approval statement with `ssh-keygen -Y sign`.
//!
//! `ssh-keygen` is the one tool that reaches every key people sign with:
//! a passphrase-protected file (it asks for the passphrase on the
//! terminal), the running ssh-agent, and hardware keys (it asks for a
//! touch). So `crisis` never reads a private key: it reads the public half
//! to know who is signing, and hands the statement to `ssh-keygen` on its
//! standard input.

use anyhow::{anyhow, bail, Context, Result};
use ssh_key::PublicKey;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::signers::NAMESPACE;

/// The key a signature is asked of.
#[derive(Debug)]
pub enum KeySource {
    /// A key file: a private key (its `.pub` beside it), or a `.pub` whose
    /// private half the agent holds.
    File { path: PathBuf, public: PublicKey },
    /// A key the running ssh-agent holds.
    Agent { public: PublicKey },
}

impl KeySource {
    /// The public half: what allowed signers lists and the signature shows.
    pub fn public(&self) -> &PublicKey {
        match self {
            KeySource::File { public, .. } | KeySource::Agent { public } => public,
        }
    }

    /// The key file at `path` (a leading `~/` is the home folder), read
    /// through its `.pub`.
    pub fn file(path: &str) -> Result<KeySource> {
        let path = match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
            (Some(rest), Some(home)) => Path::new(&home).join(rest),
            _ => PathBuf::from(path),
        };
        let public_path = if path.extension().is_some_and(|e| e == "pub") {
            path.clone()
        } else {
            let mut name = path.clone().into_os_string();
            name.push(".pub");
            PathBuf::from(name)
        };
        let text = std::fs::read_to_string(&public_path).map_err(|err| {
            anyhow!(
                "cannot read {} ({err}); crisis reads the public half of --key to know who signs: create it with `ssh-keygen -y -f {} > {}`",
                public_path.display(),
                path.display(),
                public_path.display()
            )
        })?;
        let public = PublicKey::from_openssh(text.trim())
            .with_context(|| format!("{} is not an SSH public key", public_path.display()))?;
        Ok(KeySource::File { path, public })
    }
}

/// The keys the running ssh-agent holds (`ssh-add -L`).
pub fn agent_keys() -> Result<Vec<PublicKey>> {
    let output = Command::new("ssh-add")
        .arg("-L")
        .stdin(Stdio::null())
        .output()
        .map_err(|err| anyhow!("cannot run ssh-add ({err}); install OpenSSH's client tools"))?;
    match output.status.code() {
        Some(0) => {}
        Some(1) => return Ok(Vec::new()),
        _ => bail!(
            "cannot reach an ssh-agent ({}); start one and add your key with ssh-add, or give --key a key file",
            String::from_utf8_lossy(&output.stderr).trim()
        ),
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| PublicKey::from_openssh(line.trim()).ok())
        .collect())
}

/// The armoured signature of `statement` in the approval namespace, made
/// by `ssh-keygen` with the key `source` names.
pub fn sign(statement: &str, source: &KeySource) -> Result<String> {
    // ssh-keygen names the key by a file; for the agent, its public half,
    // and ssh-keygen finds the private half in the agent.
    let public_file;
    let key_path = match source {
        KeySource::File { path, .. } => path.as_path(),
        KeySource::Agent { public } => {
            let mut file = tempfile::Builder::new()
                .suffix(".pub")
                .tempfile()
                .context("cannot write the agent's public key for ssh-keygen")?;
            writeln!(file, "{}", public.to_openssh()?)?;
            public_file = file;
            public_file.path()
        }
    };
    let mut child = Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", NAMESPACE, "-f"])
        .arg(key_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        // Passphrase prompts and "touch your key" go to the terminal.
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|err| {
            anyhow!("cannot run ssh-keygen ({err}); install OpenSSH's client tools to sign")
        })?;
    child
        .stdin
        .take()
        .context("no input to ssh-keygen")?
        .write_all(statement.as_bytes())
        .context("cannot give ssh-keygen the statement")?;
    let output = child.wait_with_output().context("ssh-keygen failed")?;
    if !output.status.success() {
        bail!(
            "ssh-keygen could not sign with {} (exit {}); nothing was written",
            key_path.display(),
            output.status.code().unwrap_or(-1)
        );
    }
    let armour = String::from_utf8(output.stdout)
        .context("ssh-keygen wrote something other than a signature")?
        .replace("\r\n", "\n");
    if !armour.starts_with("-----BEGIN SSH SIGNATURE-----") {
        bail!("ssh-keygen wrote something other than a signature; nothing was written");
    }
    Ok(format!("{}\n", armour.trim_end()))
}
