//! Event values as typed, before any checking: the name, the text and where
//! it came from (`--set` or a line of an event file), so that a problem
//! found later can point back at it. Field names are checked here, at the
//! door, because they are shown in every problem about their value.

use indexmap::IndexMap;
use serde::Serialize;

use super::control;

/// Event values as typed, in the order given; a later value for the same
/// name replaces the earlier one (keeping its place). Names come from
/// [`parse_set`] or [`super::file::read`], which refuse control characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawEvent {
    pub values: IndexMap<String, RawValue>,
}

/// One value as typed, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawValue {
    pub text: String,
    pub origin: Origin,
}

/// Where a value came from, so a problem can point back at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Origin {
    /// A `--set NAME=VALUE` argument.
    Set,
    /// An event file; line and column are 1-based, column in characters.
    File {
        path: String,
        line: usize,
        column: usize,
    },
}

impl Origin {
    /// Where the value of `name` came from, as the person on duty would look
    /// for it: `--set started_at=...` or `examples/derailment.yaml:3:13`.
    pub fn describe(&self, name: &str) -> String {
        match self {
            Origin::Set => format!("--set {name}=..."),
            Origin::File { path, line, column } => format!("{path}:{line}:{column}"),
        }
    }
}

impl RawEvent {
    /// Records a value; setting a name again replaces its value.
    pub fn set(&mut self, name: &str, text: String, origin: Origin) {
        self.values
            .insert(name.to_owned(), RawValue { text, origin });
    }
}

/// Splits a `--set` argument into name and value at the first `=`, so the
/// value itself may contain `=` (links often do). The value is checked
/// later, against its field; the name is checked here.
pub fn parse_set(arg: &str) -> Result<(String, String), String> {
    let Some((name, value)) = arg.split_once('=') else {
        return Err(format!(
            "{arg:?} has no '='; use --set NAME=VALUE, such as --set area=\"Pierce County\""
        ));
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(format!(
            "{arg:?} has no field name before '='; use --set NAME=VALUE"
        ));
    }
    control::check_name(name).map_err(|problem| format!("{arg:?}: {problem}"))?;
    Ok((name.to_owned(), value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_set_splits_at_the_first_equals_sign() {
        assert_eq!(
            parse_set("link=https://example.org/?a=b").unwrap(),
            ("link".to_owned(), "https://example.org/?a=b".to_owned())
        );
        assert_eq!(
            parse_set("area=").unwrap(),
            ("area".to_owned(), String::new())
        );
        assert!(parse_set("area")
            .unwrap_err()
            .contains("use --set NAME=VALUE"));
        assert!(parse_set("=Pierce")
            .unwrap_err()
            .contains("use --set NAME=VALUE"));
        assert!(parse_set(" =x").is_err());
    }

    #[test]
    fn parse_set_refuses_control_characters_in_the_name() {
        assert_eq!(
            parse_set("are\u{1b}[2Ka=x").unwrap_err(),
            "\"are\\u{1b}[2Ka=x\": the field name contains an invisible control character (U+001B) at character 4; type the name as the playbook declares it"
        );
        assert!(parse_set("ar\nea=x").unwrap_err().contains("U+000A"));
        assert!(parse_set("\u{202e}area=x").unwrap_err().contains("U+202E"));
        // The value may hold anything here: its field decides.
        assert_eq!(parse_set("area=a\nb").unwrap().1, "a\nb");
    }

    #[test]
    fn later_sets_override_earlier_ones_in_place() {
        let mut event = RawEvent::default();
        event.set("area", "Thurston".to_owned(), Origin::Set);
        event.set("event", "derailment".to_owned(), Origin::Set);
        let file = Origin::File {
            path: "examples/derailment.yaml".to_owned(),
            line: 3,
            column: 7,
        };
        event.set("area", "Pierce County".to_owned(), file.clone());
        let names: Vec<&String> = event.values.keys().collect();
        assert_eq!(names, ["area", "event"]);
        assert_eq!(event.values["area"].text, "Pierce County");
        assert_eq!(event.values["area"].origin, file);
        assert_eq!(file.describe("area"), "examples/derailment.yaml:3:7");
        assert_eq!(Origin::Set.describe("area"), "--set area=...");
    }
}
