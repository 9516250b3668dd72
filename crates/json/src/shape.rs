//! Shapes: the option objects the package takes and the results it returns, each
//! declared once with [`shape!`](crate::shape). A declaration yields the Rust struct,
//! its decoder (from the JSON the JavaScript face sends), its encoder (to the JSON the
//! face parses) and its TypeScript declaration, so the three cannot drift apart.
//!
//! Values JSON cannot carry (functions, an `AbortSignal`, `NaN`) arrive as a tagged
//! object `{"\u0000js": "<what>"}` written by the face's `JSON.stringify` replacer, so
//! the decoder can still tell the user what was passed. Results that must become
//! JavaScript objects (a `Date`, a `LogEntry`) are written as tagged objects that the
//! face's `JSON.parse` reviver turns back: `{"\u0000date": ms}`, `{"\u0000log": […]}`.

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::value::Json;

/// The key of a value the face could not write as JSON (see the module docs).
pub const JS_TAG: &str = "\u{0}js";
/// The key of an encoded `Date`.
pub const DATE_TAG: &str = "\u{0}date";
/// The key of an encoded `LogEntry`.
pub const LOG_TAG: &str = "\u{0}log";

/// What a tagged value stood for (`function`, `AbortSignal`, `NaN`, …), if `v` is one.
pub fn js_tag(v: &Json) -> Option<&str> {
    match v {
        Json::Obj(m) if m.len() == 1 && m[0].0 == JS_TAG => m[0].1.as_str(),
        _ => None,
    }
}

/// How a value failed to decode (see [`MismatchDetails`]). Boxed: one pointer, so the
/// `Result` of every decoder stays as small as its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch(Box<MismatchDetails>);

/// Where a value failed to decode (a path such as `tags[0]` or `headers.x`), what was
/// expected (`a string`) and what came (`number`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MismatchDetails {
    pub path: String,
    pub expected: &'static str,
    pub got: String,
}

impl core::ops::Deref for Mismatch {
    type Target = MismatchDetails;
    fn deref(&self) -> &MismatchDetails {
        &self.0
    }
}

impl core::ops::DerefMut for Mismatch {
    fn deref_mut(&mut self) -> &mut MismatchDetails {
        &mut self.0
    }
}

impl Mismatch {
    /// A mismatch of `v` itself.
    #[inline(never)]
    pub fn of(expected: &'static str, v: Option<&Json>) -> Mismatch {
        Mismatch(Box::new(MismatchDetails {
            path: String::new(),
            expected,
            got: describe(v),
        }))
    }

    /// The same mismatch seen from the object holding it under `key`.
    pub fn at_key(mut self, key: &str) -> Mismatch {
        if self.path.is_empty() || self.path.starts_with('[') {
            self.path.insert_str(0, key);
        } else {
            self.path.insert(0, '.');
            self.path.insert_str(0, key);
        }
        self
    }

    /// The same mismatch seen from the array holding it at `index`.
    pub fn at_index(mut self, index: usize) -> Mismatch {
        let mut prefix = String::from("[");
        crate::write::push_u64(&mut prefix, index as u64);
        prefix.push(']');
        if !self.path.is_empty() && !self.path.starts_with('[') {
            prefix.push('.');
        }
        self.path.insert_str(0, &prefix);
        self
    }

    /// "`path` must be <expected>, got <got>" (the path in backticks when there is one).
    pub fn message(&self) -> String {
        let mut m = String::new();
        if !self.path.is_empty() {
            m.push('`');
            m.push_str(&self.path);
            m.push_str("` ");
        }
        m.push_str("must be ");
        m.push_str(self.expected);
        m.push_str(", got ");
        m.push_str(&self.got);
        m
    }
}

/// A short description of a value for messages: its JavaScript type, or for strings and
/// numbers the value itself when short.
pub fn describe(v: Option<&Json>) -> String {
    match v {
        None => "undefined".to_string(),
        Some(v) => match js_tag(v) {
            Some(tag) => tag.to_string(),
            None => v.type_name().to_string(),
        },
    }
}

/// Reads a value of this type from JSON.
pub trait Decode: Sized {
    /// Decodes a present value.
    fn decode(v: &Json) -> Result<Self, Mismatch>;

    /// Decodes a member that may be absent (`undefined`); only `Option` accepts absence.
    fn decode_member(v: Option<&Json>) -> Result<Self, Mismatch> {
        match v {
            Some(v) => Self::decode(v),
            None => Err(Mismatch::of(Self::EXPECTED, None)),
        }
    }

    /// What a value of this type is, for messages ("a string").
    const EXPECTED: &'static str;
}

/// Writes a value of this type as JSON; `None` leaves the member out (as
/// `JSON.stringify` leaves out `undefined`).
pub trait Encode {
    fn encode(&self) -> Option<Json>;
}

/// The TypeScript type of a value of this type.
pub trait Ts {
    fn ts() -> String;
    /// Whether a member of this type may be left out (`key?:`).
    fn optional() -> bool {
        false
    }
}

fn is_absent(v: &Json) -> bool {
    v.is_null() || js_tag(v) == Some("undefined")
}

impl<T: Decode> Decode for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        if is_absent(v) {
            Ok(None)
        } else {
            T::decode(v).map(Some)
        }
    }
    fn decode_member(v: Option<&Json>) -> Result<Self, Mismatch> {
        v.map_or(Ok(None), Self::decode)
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self) -> Option<Json> {
        self.as_ref().and_then(Encode::encode)
    }
}

impl<T: Ts> Ts for Option<T> {
    fn ts() -> String {
        T::ts()
    }
    fn optional() -> bool {
        true
    }
}

impl Decode for String {
    const EXPECTED: &'static str = "a string";
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        v.as_str()
            .map(String::from)
            .ok_or_else(|| Mismatch::of(Self::EXPECTED, Some(v)))
    }
}

impl Encode for String {
    fn encode(&self) -> Option<Json> {
        Some(Json::str(self.as_str()))
    }
}

impl Ts for String {
    fn ts() -> String {
        "string".into()
    }
}

impl Decode for bool {
    const EXPECTED: &'static str = "a boolean";
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        v.as_bool()
            .ok_or_else(|| Mismatch::of(Self::EXPECTED, Some(v)))
    }
}

impl Encode for bool {
    fn encode(&self) -> Option<Json> {
        Some(Json::Bool(*self))
    }
}

impl Ts for bool {
    fn ts() -> String {
        "boolean".into()
    }
}

macro_rules! integer_codec {
    ($($t:ty),*) => {$(
        impl Encode for $t {
            fn encode(&self) -> Option<Json> {
                Some(Json::int(*self as i64))
            }
        }

        impl Ts for $t {
            fn ts() -> String {
                "number".into()
            }
        }
    )*};
}

integer_codec!(u32, u64, usize, i64);

/// `undefined`: a result with no value (`Promise<void>`).
impl Encode for () {
    fn encode(&self) -> Option<Json> {
        None
    }
}

/// A finite JavaScript number, kept as the text `JSON.stringify` wrote for it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Num(pub String);

impl Num {
    /// The value when it is a whole number within ±2^53.
    pub fn integer(&self) -> Option<i64> {
        crate::value::integer_value(&self.0)
    }

    /// `Math.ceil` of a number `>= 0` written without an exponent (how `JSON.stringify`
    /// writes numbers from 1e-6 to 1e21), or of an exponent-written whole number.
    pub fn ceil_non_negative(&self) -> Option<u64> {
        if let Some(n) = self.integer() {
            return u64::try_from(n).ok();
        }
        let (whole, fraction) = self.0.split_once('.')?;
        if whole.starts_with('-') || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole = crate::text::parse_u64(whole)?;
        whole.checked_add(u64::from(fraction.bytes().any(|b| b != b'0')))
    }

    /// The text, as JavaScript's `String(n)` prints it.
    pub fn text(&self) -> &str {
        &self.0
    }

    /// A number from an integer.
    pub fn from_int(n: i64) -> Num {
        let mut s = String::new();
        crate::write::push_i64(&mut s, n);
        Num(s)
    }
}

impl Decode for Num {
    const EXPECTED: &'static str = "a finite number";
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        match v {
            Json::Num(t) => Ok(Num(t.clone())),
            _ => Err(Mismatch::of(Self::EXPECTED, Some(v))),
        }
    }
}

impl Encode for Num {
    fn encode(&self) -> Option<Json> {
        Some(Json::Num(self.0.clone()))
    }
}

impl Ts for Num {
    fn ts() -> String {
        "number".into()
    }
}

impl<T: Decode> Decode for Vec<T> {
    const EXPECTED: &'static str = "an array";
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        let items = v
            .as_array()
            .ok_or_else(|| Mismatch::of(Self::EXPECTED, Some(v)))?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::decode(item).map_err(|e| e.at_index(i))?);
        }
        Ok(out)
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self) -> Option<Json> {
        Some(Json::Arr(
            self.iter()
                .map(|i| i.encode().unwrap_or(Json::Null))
                .collect(),
        ))
    }
}

impl<T: Ts> Ts for Vec<T> {
    fn ts() -> String {
        let inner = T::ts();
        if inner.contains(' ') {
            crate::cat!("(", &inner, ")[]")
        } else {
            inner + "[]"
        }
    }
}

/// A string or an array of strings (package lists, commands, paths, tags).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OneOrMany(pub Vec<String>);

impl Decode for OneOrMany {
    const EXPECTED: &'static str = "a string or an array of strings";
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        match v {
            Json::Str(s) => Ok(OneOrMany(alloc::vec![s.clone()])),
            Json::Arr(_) => Vec::<String>::decode(v).map(OneOrMany),
            _ => Err(Mismatch::of(Self::EXPECTED, Some(v))),
        }
    }
}

impl Ts for OneOrMany {
    fn ts() -> String {
        "string | string[]".into()
    }
}

/// An object of string values, in insertion order (`Record<string, string>`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StrMap(pub Vec<(String, String)>);

impl Decode for StrMap {
    const EXPECTED: &'static str = "an object of strings";
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        let members = match v {
            Json::Obj(m) if js_tag(v).is_none() => m,
            _ => return Err(Mismatch::of(Self::EXPECTED, Some(v))),
        };
        let mut out = Vec::with_capacity(members.len());
        for (k, value) in members {
            let s = String::decode(value).map_err(|e| e.at_key(k))?;
            out.push((k.clone(), s));
        }
        Ok(StrMap(out))
    }
}

impl Encode for StrMap {
    fn encode(&self) -> Option<Json> {
        Some(Json::Obj(
            self.0
                .iter()
                .map(|(k, v)| (k.clone(), Json::str(v.as_str())))
                .collect(),
        ))
    }
}

impl Ts for StrMap {
    fn ts() -> String {
        "Record<string, string>".into()
    }
}

/// Any JSON value, kept as it came (metadata, network settings): passed through.
impl Decode for Json {
    const EXPECTED: &'static str = "a JSON value";
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        match js_tag(v) {
            Some(_) => Err(Mismatch::of(Self::EXPECTED, Some(v))),
            None => Ok(v.clone()),
        }
    }
}

impl Encode for Json {
    fn encode(&self) -> Option<Json> {
        Some(self.clone())
    }
}

impl Ts for Json {
    fn ts() -> String {
        "unknown".into()
    }
}

/// A flag read with JavaScript's truthiness, as the official SDK reads `force`, `g`,
/// `dev` and the like (`1` and `"yes"` are true; `0`, `""` and `null` false).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Truthy(pub bool);

impl Decode for Truthy {
    const EXPECTED: &'static str = "a boolean";
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        Ok(Truthy(match v {
            Json::Null => false,
            Json::Bool(b) => *b,
            Json::Num(t) => crate::value::integer_value(t) != Some(0),
            Json::Str(s) => !s.is_empty(),
            Json::Arr(_) => true,
            Json::Obj(_) => !matches!(js_tag(v), Some("NaN" | "undefined")),
        }))
    }
    fn decode_member(v: Option<&Json>) -> Result<Self, Mismatch> {
        v.map_or(Ok(Truthy(false)), Self::decode)
    }
}

impl Ts for Truthy {
    fn ts() -> String {
        "boolean".into()
    }
    fn optional() -> bool {
        true
    }
}

/// A JavaScript function (a callback option); the face keeps the function itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JsFunction;

impl Decode for JsFunction {
    const EXPECTED: &'static str = "a function";
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        match js_tag(v) {
            Some("function") => Ok(JsFunction),
            _ => Err(Mismatch::of(Self::EXPECTED, Some(v))),
        }
    }
}

impl Encode for JsFunction {
    fn encode(&self) -> Option<Json> {
        None
    }
}

impl Ts for JsFunction {
    fn ts() -> String {
        "Function".into()
    }
}

/// An `AbortSignal`; the face keeps the signal itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JsSignal;

impl Decode for JsSignal {
    const EXPECTED: &'static str = "an AbortSignal";
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        match js_tag(v) {
            Some("AbortSignal") => Ok(JsSignal),
            _ => Err(Mismatch::of(Self::EXPECTED, Some(v))),
        }
    }
}

impl Encode for JsSignal {
    fn encode(&self) -> Option<Json> {
        None
    }
}

impl Ts for JsSignal {
    fn ts() -> String {
        "AbortSignal".into()
    }
}

/// A point in time as epoch milliseconds; a JavaScript `Date` on the other side
/// (`NaN` for an unreadable time, as `new Date('garbage')`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Date(pub f64);

impl Encode for Date {
    fn encode(&self) -> Option<Json> {
        let ms = self.0;
        let v = if ms.is_finite() && ms.abs() <= 8.64e15 {
            Json::int(ms as i64)
        } else {
            Json::Null
        };
        Some(Json::Obj(alloc::vec![(DATE_TAG.into(), v)]))
    }
}

impl Ts for Date {
    fn ts() -> String {
        "Date".into()
    }
}

/// A value that is `null` when absent (rather than left out, as `Option` is).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrNull<T>(pub Option<T>);

impl<T: Encode> Encode for OrNull<T> {
    fn encode(&self) -> Option<Json> {
        Some(
            self.0
                .as_ref()
                .and_then(Encode::encode)
                .unwrap_or(Json::Null),
        )
    }
}

impl<T: Ts> Ts for OrNull<T> {
    fn ts() -> String {
        T::ts() + " | null"
    }
}

/// Boxed values decode and encode as their content.
impl<T: Decode> Decode for Box<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn decode(v: &Json) -> Result<Self, Mismatch> {
        T::decode(v).map(Box::new)
    }
}

/// Decodes member `key` of object `v` (used by [`shape!`](crate::shape)).
pub fn member<T: Decode>(v: &Json, key: &str) -> Result<T, Mismatch> {
    T::decode_member(v.get(key)).map_err(|e| e.at_key(key))
}

/// Member `key` of object `v`, unless an earlier member failed; a failure is kept in
/// `failed` and the default value stands in (used by [`shape!`](crate::shape)).
pub fn field<T: Decode + Default>(v: &Json, key: &str, failed: &mut Option<Mismatch>) -> T {
    if failed.is_none() {
        match member(v, key) {
            Ok(value) => return value,
            Err(e) => *failed = Some(e),
        }
    }
    T::default()
}

/// The inherited part of a shape (`extends`), as [`field`] reads a member.
pub fn part<T: Decode + Default>(v: &Json, failed: &mut Option<Mismatch>) -> T {
    if failed.is_none() {
        match T::decode(v) {
            Ok(value) => return value,
            Err(e) => *failed = Some(e),
        }
    }
    T::default()
}

/// Adds member `key` when it has a value (used by [`shape!`](crate::shape)): out of
/// line, so each encoded member costs one call.
#[inline(never)]
pub fn put(members: &mut Vec<(String, Json)>, key: &str, v: Option<Json>) {
    if let Some(v) = v {
        members.push((String::from(key), v));
    }
}

/// Refuses anything but a plain object (used by [`shape!`](crate::shape)).
pub fn object<'a>(v: &'a Json, expected: &'static str) -> Result<&'a Json, Mismatch> {
    match v {
        Json::Obj(_) if js_tag(v).is_none() => Ok(v),
        _ => Err(Mismatch::of(expected, Some(v))),
    }
}

/// One member of a TypeScript interface, with its doc comment.
pub fn ts_member(out: &mut String, doc: &[&str], key: &str, ty: &str, optional: bool) {
    push_doc(out, "  ", doc);
    out.push_str("  ");
    out.push_str(key);
    if optional {
        out.push('?');
    }
    out.push_str(": ");
    out.push_str(ty);
    out.push('\n');
}

/// A `/** … */` comment from doc lines (each as written after `///`).
pub fn push_doc(out: &mut String, indent: &str, doc: &[&str]) {
    let lines: Vec<&str> = doc
        .iter()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    match lines.as_slice() {
        [] => {}
        [one] => {
            out.push_str(indent);
            out.push_str("/** ");
            out.push_str(one);
            out.push_str(" */\n");
        }
        many => {
            out.push_str(indent);
            out.push_str("/**\n");
            for l in many {
                out.push_str(indent);
                out.push_str(" *");
                if !l.is_empty() {
                    out.push(' ');
                    out.push_str(l);
                }
                out.push('\n');
            }
            out.push_str(indent);
            out.push_str(" */\n");
        }
    }
}

/// Declares a shape: the struct, its `Ts` and `ts_declaration()`, and its decoder
/// (`input`: an option object the package takes) or its encoder (`output`: a result
/// it returns).
///
/// ```
/// use novita_template_json::{shape, shape::{Decode, Encode, Num}, parse};
/// shape! {
///     /// Options of an example.
///     input struct ExampleOptions {
///         /// How many (default 2).
///         pub count: Option<Num> = "count",
///         pub name: String = "name",
///     }
/// }
/// let o = ExampleOptions::decode(&parse(r#"{"name":"a","count":3}"#).unwrap()).unwrap();
/// assert_eq!((o.name.as_str(), o.count.unwrap().integer()), ("a", Some(3)));
/// let e = ExampleOptions::decode(&parse(r#"{"name":1}"#).unwrap()).unwrap_err();
/// assert_eq!(e.message(), "`name` must be a string, got number");
/// // Several bad members: the first one declared is reported.
/// let e = ExampleOptions::decode(&parse(r#"{"name":1,"count":"3"}"#).unwrap()).unwrap_err();
/// assert_eq!(e.message(), "`count` must be a finite number, got string");
/// assert!(ExampleOptions::ts_declaration().contains("  count?: number\n"));
///
/// shape! {
///     /// A result.
///     output struct ExampleResult as "Example" {
///         pub build_id: String = "buildId",
///         pub tags: Option<Vec<String>> = "tags",
///     }
/// }
/// let r = ExampleResult { build_id: "b".into(), tags: None };
/// assert_eq!(r.encode().unwrap().to_compact(), r#"{"buildId":"b"}"#);
/// assert!(ExampleResult::ts_declaration().starts_with("/** A result. */\nexport interface Example {"));
/// ```
#[macro_export]
macro_rules! shape {
    (
        $(#[doc = $doc:literal])*
        $mode:ident struct $name:ident $(as $tsname:literal)? $(extends $parent:ident as $pfield:ident)? {
            $(
                $(#[doc = $fdoc:literal])*
                $(#[ts = $fts:literal])?
                $fvis:vis $field:ident : $ty:ty = $key:literal
            ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $(pub $pfield: $parent,)?
            $($(#[doc = $fdoc])* $fvis $field: $ty,)*
        }

        $crate::__shape_codec!($mode $name $(extends $parent as $pfield)? { $($field: $ty = $key),* });

        impl $crate::shape::Ts for $name {
            fn ts() -> $crate::__private::String {
                #[allow(unused_variables)]
                let name = stringify!($name);
                $(let name = $tsname;)?
                $crate::__private::String::from(name)
            }
        }

        impl $name {
            /// The TypeScript declaration of this shape.
            pub fn ts_declaration() -> $crate::__private::String {
                let mut out = $crate::__private::String::new();
                $crate::shape::push_doc(&mut out, "", &[$($doc),*]);
                out.push_str("export interface ");
                out.push_str(&<Self as $crate::shape::Ts>::ts());
                $(
                    out.push_str(" extends ");
                    out.push_str(&<$parent as $crate::shape::Ts>::ts());
                )?
                out.push_str(" {\n");
                $(
                    let ty = <$ty as $crate::shape::Ts>::ts();
                    $(let ty = $crate::__private::String::from($fts);)?
                    $crate::shape::ts_member(
                        &mut out,
                        &[$($fdoc),*],
                        $key,
                        &ty,
                        <$ty as $crate::shape::Ts>::optional(),
                    );
                )*
                out.push_str("}\n");
                out
            }
        }
    };
}

/// The decoder or encoder half of [`shape!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __shape_codec {
    (input $name:ident $(extends $parent:ident as $pfield:ident)? { $($field:ident: $ty:ty = $key:literal),* }) => {
        impl $crate::shape::Decode for $name {
            const EXPECTED: &'static str = "an object";
            fn decode(v: &$crate::Json) -> ::core::result::Result<Self, $crate::shape::Mismatch> {
                let v = $crate::shape::object(v, <Self as $crate::shape::Decode>::EXPECTED)?;
                // One exit for a failure: no early return per member, each of which
                // would drop the members decoded before it.
                let mut failed = ::core::option::Option::None;
                $(let $pfield = $crate::shape::part::<$parent>(v, &mut failed);)?
                $(let $field = $crate::shape::field::<$ty>(v, $key, &mut failed);)*
                match failed {
                    ::core::option::Option::Some(e) => ::core::result::Result::Err(e),
                    ::core::option::Option::None => ::core::result::Result::Ok($name {
                        $($pfield,)?
                        $($field,)*
                    }),
                }
            }
        }
    };
    (output $name:ident $(extends $parent:ident as $pfield:ident)? { $($field:ident: $ty:ty = $key:literal),* }) => {
        impl $crate::shape::Encode for $name {
            fn encode(&self) -> ::core::option::Option<$crate::Json> {
                #[allow(unused_mut)]
                let mut members: $crate::__private::Vec<($crate::__private::String, $crate::Json)> =
                    $crate::__private::Vec::new();
                $(
                    if let ::core::option::Option::Some($crate::Json::Obj(m)) =
                        $crate::shape::Encode::encode(&self.$pfield)
                    {
                        members.extend(m);
                    }
                )?
                $(
                    $crate::shape::put(&mut members, $key, $crate::shape::Encode::encode(&self.$field));
                )*
                ::core::option::Option::Some($crate::Json::Obj(members))
            }
        }
    };
}
