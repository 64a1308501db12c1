//! Every lint rule, one file each. [`ALL`] is the one list: lint runs it,
//! `crisis rules` and SARIF describe it, `docs/rules.md` is generated from it.

pub mod approval_bad_signature;
pub mod approval_expired;
pub mod approval_expiring;
pub mod approval_key_revoked;
pub mod approval_key_validity;
pub mod approval_missing;
pub mod approval_namespace;
pub mod approval_policy;
pub mod approval_record;
pub mod approval_signer_role;
pub mod approval_signers;
pub mod approval_stale;
pub mod approval_unknown_key;
pub mod approval_unknown_role;
pub mod approval_unsigned;
pub mod cap_settings;
pub mod channel_config;
pub mod does_not_fit;
pub mod duplicate_id;
pub mod duplicate_message_id;
pub mod email_subject;
pub mod field_settings;
pub mod gsm_lookalike;
pub mod id_case;
pub mod id_matches_file;
pub mod insecure_link;
pub mod invalid_field_value;
pub mod invalid_value;
pub mod language_parity;
pub mod message_source;
pub mod missing_key;
pub mod missing_language;
pub mod missing_signoff;
pub mod missing_template;
pub mod negative_after;
pub mod no_messages;
pub mod private_field;
pub mod readability;
pub mod render_error;
pub mod required_elements;
pub mod template_not_allowed;
pub mod template_syntax;
pub mod undeclared_variable;
pub mod unknown_channel;
pub mod unknown_key;
pub mod unknown_language;
pub mod unknown_timezone;
pub mod unreadable;
pub mod unsafe_text;
pub mod unsorted_after;
pub mod unused_field;
pub mod unverifiable_fit;
pub mod yaml_syntax;

use super::rule::Rule;

/// Every rule, in code order.
pub const ALL: &[Rule] = &[
    unreadable::RULE,
    yaml_syntax::RULE,
    unknown_key::RULE,
    missing_key::RULE,
    invalid_value::RULE,
    channel_config::RULE,
    duplicate_id::RULE,
    id_case::RULE,
    id_matches_file::RULE,
    missing_signoff::RULE,
    duplicate_message_id::RULE,
    unknown_timezone::RULE,
    unknown_language::RULE,
    no_messages::RULE,
    invalid_field_value::RULE,
    field_settings::RULE,
    unverifiable_fit::RULE,
    unsafe_text::RULE,
    unknown_channel::RULE,
    missing_language::RULE,
    missing_template::RULE,
    template_syntax::RULE,
    undeclared_variable::RULE,
    unused_field::RULE,
    message_source::RULE,
    email_subject::RULE,
    template_not_allowed::RULE,
    render_error::RULE,
    does_not_fit::RULE,
    gsm_lookalike::RULE,
    negative_after::RULE,
    unsorted_after::RULE,
    insecure_link::RULE,
    cap_settings::RULE,
    readability::RULE,
    required_elements::RULE,
    language_parity::RULE,
    private_field::RULE,
    approval_missing::RULE,
    approval_stale::RULE,
    approval_expired::RULE,
    approval_expiring::RULE,
    approval_unknown_role::RULE,
    approval_record::RULE,
    approval_policy::RULE,
    approval_unsigned::RULE,
    approval_bad_signature::RULE,
    approval_namespace::RULE,
    approval_unknown_key::RULE,
    approval_signer_role::RULE,
    approval_key_validity::RULE,
    approval_key_revoked::RULE,
    approval_signers::RULE,
];

/// The rule with this code.
pub fn by_code(code: &str) -> Option<&'static Rule> {
    ALL.iter().find(|rule| rule.code == code)
}
