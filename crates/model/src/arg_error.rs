//! Argument errors of builder calls, with `error.argument` set, so a form can put the
//! message under the field it is about without reading the message.

use crate::prelude::*;

/// `InvalidArgumentError("<what><tail>")`, where `what` is `<method>: <argument>` (the
/// argument may be followed by an index or a member, as in `copyItems: items[0].src`):
/// `argument` is the name after `: `, up to the first character that is not part of
/// a name.
pub(crate) fn arg_error(what: &str, tail: &str) -> SdkError {
    let e = SdkError::invalid(novita_template_json::cat!(what, tail));
    let Some((_, after)) = what.split_once(": ") else {
        return e;
    };
    let end = after
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or(after.len());
    if end == 0 {
        e
    } else {
        e.with_field("argument", Json::str(&after[..end]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_argument_after_the_method() {
        let e = arg_error("gitClone: depth", " must be an integer");
        assert_eq!(e.message, "gitClone: depth must be an integer");
        assert_eq!(e.field("argument"), Some(&Json::str("depth")));
        let e = arg_error("copyItems: items[0].src", " must be a non-empty string");
        assert_eq!(e.field("argument"), Some(&Json::str("items")));
        assert_eq!(arg_error("no method here", " x").field("argument"), None);
    }
}
