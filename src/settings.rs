//! The catalog's settings, `crisis.yaml` at its root: channels to change or
//! add, and the approval policy every playbook must meet.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::channel::{CatalogConfig, ChannelConfig};

/// `crisis.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Channels to change or add, by name.
    #[serde(default)]
    pub channels: IndexMap<String, ChannelConfig>,
    /// What every playbook of the catalog must meet to be used.
    #[serde(default)]
    pub approvals: ApprovalPolicy,
    /// An example catalog (fictional numbers and approvers): every output
    /// says EXAMPLE, and `--raw` is refused, in a copy as in the original.
    #[serde(default)]
    pub examples: bool,
}

impl Settings {
    /// The channel part, as the channel registry reads it.
    pub fn channel_config(&self) -> CatalogConfig {
        CatalogConfig {
            channels: self.channels.clone(),
        }
    }
}

/// The catalog-wide approval policy:
/// `approvals: { required: [communications, legal], max_validity: 12mo }`,
/// and, for signed approvals, who may sign for which role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalPolicy {
    /// Roles every playbook must be approved by, whatever its own
    /// `approvals_required` says. A playbook may require more, never fewer.
    #[serde(default)]
    pub required: Vec<String>,
    /// The longest an approval may hold (`90d`, `6w`, `12mo`, `2y`).
    /// Default: 2 years.
    #[serde(default)]
    pub max_validity: Option<String>,
    /// Every approval record must carry a valid signature by a person who
    /// holds its role (see `signers` and `roles`).
    #[serde(default)]
    pub signed: bool,
    /// The OpenSSH allowed signers file, relative to the catalog root (such
    /// as `allowed_signers`): the keys each principal may sign with.
    #[serde(default)]
    pub signers: Option<String>,
    /// The principals (as in the allowed signers file) who may approve for
    /// each role: `legal: [dana.reyes@example.org]`.
    #[serde(default)]
    pub roles: IndexMap<String, Vec<String>>,
    /// A file of revoked public keys, one a line, relative to the catalog
    /// root: a signature by one of them counts for nothing.
    #[serde(default)]
    pub revoked_keys: Option<String>,
}
