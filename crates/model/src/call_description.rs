//! Short, JavaScript-looking descriptions of builder calls (`runCmd("make", { user: "root" })`),
//! kept with each instruction so a failed build step can name the call that made it.

use crate::prelude::*;
use novita_template_json::push_quoted;

/// A string literal, JSON-quoted.
pub fn lit(s: &str) -> String {
    let mut out = String::new();
    push_quoted(&mut out, s);
    out
}

/// `name("arg")`: a call with one string argument.
pub fn call_lit(name: &str, arg: &str) -> String {
    CallText::new(name).lit(arg).finish()
}

/// A call written argument by argument: `name(arg, …)`. An absent argument reads
/// `undefined` when a later one is present and is left out at the end; an options
/// object (`{ key: value, … }`) is absent when none of its members is present.
pub struct CallText {
    out: String,
    written: usize,
    absent: usize,
    members: usize,
}

impl CallText {
    pub fn new(name: &str) -> CallText {
        let mut out = String::from(name);
        out.push('(');
        CallText {
            out,
            written: 0,
            absent: 0,
            members: 0,
        }
    }

    /// Starts the next argument (after the absent ones before it).
    fn next_argument(&mut self) {
        for i in 0..=self.absent {
            if self.written > 0 {
                self.out.push_str(", ");
            }
            self.written += 1;
            if i < self.absent {
                self.out.push_str("undefined");
            }
        }
        self.absent = 0;
    }

    /// A string argument.
    pub fn lit(&mut self, s: &str) -> &mut Self {
        self.next_argument();
        push_quoted(&mut self.out, s);
        self
    }

    /// An argument written as is (`{ ... }`).
    pub fn raw(&mut self, text: &str) -> &mut Self {
        self.next_argument();
        self.out.push_str(text);
        self
    }

    /// A string argument that may be absent.
    pub fn lit_opt(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.lit(s),
            None => {
                self.absent += 1;
                self
            }
        }
    }

    /// A list argument: the string itself when there is one, else `["a", "b"]`.
    pub fn list<S: AsRef<str>>(&mut self, items: &[S]) -> &mut Self {
        let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
        self.str_list(&items)
    }

    fn str_list(&mut self, items: &[&str]) -> &mut Self {
        if let [one] = items {
            return self.lit(one);
        }
        self.next_argument();
        self.out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            push_quoted(&mut self.out, item);
        }
        self.out.push(']');
        self
    }

    /// A list argument that may be absent.
    pub fn list_opt<S: AsRef<str>>(&mut self, items: Option<&[S]>) -> &mut Self {
        match items {
            Some(items) => self.list(items),
            None => {
                self.absent += 1;
                self
            }
        }
    }

    fn member(&mut self, key: &str, quote_key: bool, value: &str, quote_value: bool) {
        if self.members == 0 {
            self.next_argument();
            self.out.push_str("{ ");
        } else {
            self.out.push_str(", ");
        }
        self.members += 1;
        if quote_key {
            push_quoted(&mut self.out, key);
        } else {
            self.out.push_str(key);
        }
        self.out.push_str(": ");
        if quote_value {
            push_quoted(&mut self.out, value);
        } else {
            self.out.push_str(value);
        }
    }

    /// Option `key` with a string value, when present.
    pub fn opt_lit(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.member(key, false, v, true);
        }
        self
    }

    /// Option `key` written as is (a number), when present.
    pub fn opt_raw(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.member(key, false, v, false);
        }
        self
    }

    /// Option `key` with a boolean value, when present.
    pub fn opt_bool(&mut self, key: &str, value: Option<bool>) -> &mut Self {
        self.opt_raw(key, value.map(|b| if b { "true" } else { "false" }))
    }

    /// Option `key: true` when `set`.
    pub fn opt_flag(&mut self, key: &str, set: bool) -> &mut Self {
        self.opt_raw(key, set.then_some("true"))
    }

    /// An entry with a quoted key (`"A": "1"`), as `setEnvs` shows its object.
    pub fn entry(&mut self, key: &str, value: &str) -> &mut Self {
        self.member(key, true, value, true);
        self
    }

    /// Ends the options object (absent when it has no member).
    pub fn end_options(&mut self) -> &mut Self {
        if self.members > 0 {
            self.out.push_str(" }");
            self.members = 0;
        } else {
            self.absent += 1;
        }
        self
    }

    /// The call's text.
    pub fn finish(&mut self) -> String {
        self.out.push(')');
        core::mem::take(&mut self.out)
    }
}
