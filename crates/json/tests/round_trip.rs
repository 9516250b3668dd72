//! Property tests of the JSON text: what the writer prints, serde_json (an independent
//! reader) and our reader both read back to the same value; the reader never panics.

use novita_template_json::{parse, parse_bytes, Json};
use proptest::prelude::*;
use serde_json::Value;

fn json_tree() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<String>().prop_map(Json::Str),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::int),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Arr),
            prop::collection::vec(("[a-z]{1,6}", inner), 0..6).prop_map(|members| {
                // JSON objects need unique keys to read back to the same members.
                let mut seen = std::collections::HashSet::new();
                Json::Obj(
                    members
                        .into_iter()
                        .filter(|(k, _)| seen.insert(k.clone()))
                        .collect(),
                )
            }),
        ]
    })
}

fn serde_of(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Num(t) => serde_json::from_str(t).expect("a number"),
        Json::Str(s) => Value::String(s.clone()),
        Json::Arr(a) => Value::Array(a.iter().map(serde_of).collect()),
        Json::Obj(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), serde_of(v))).collect()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn writer_output_reads_back(tree in json_tree()) {
        let expected = serde_of(&tree);
        for text in [tree.to_compact(), tree.to_pretty()] {
            prop_assert_eq!(serde_json::from_str::<Value>(&text).expect("serde reads it"), expected.clone());
            prop_assert_eq!(parse(&text).expect("we read it"), tree.clone());
        }
    }

    #[test]
    fn reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_bytes(&bytes);
    }

    #[test]
    fn reader_agrees_with_serde_on_acceptance(text in "[\\[\\]{}\",:0-9a-z.eE+\\- \\\\]{0,24}") {
        prop_assert_eq!(parse(&text).is_ok(), serde_json::from_str::<Value>(&text).is_ok(), "{:?}", text);
    }
}
