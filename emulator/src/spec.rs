//! The trigger body of `POST /v2/templates/{templateID}/builds/{buildID}` (docs/wire-contract.md §4),
//! parsed and checked. Every rejection is a message for a 400 reply.

use serde_json::Value;

use crate::validation;

/// What a build starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    Image(String),
    Template(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Run,
    Copy,
    Env,
    Workdir,
    User,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Run => "RUN",
            StepKind::Copy => "COPY",
            StepKind::Env => "ENV",
            StepKind::Workdir => "WORKDIR",
            StepKind::User => "USER",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    pub args: Vec<String>,
    pub force: bool,
    pub files_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildSpec {
    pub start_cmd: Option<String>,
    pub ready_cmd: Option<String>,
    pub pre_boot_script: Option<String>,
    pub steps: Vec<Step>,
    pub force: bool,
    pub base: Base,
    pub has_registry_credentials: bool,
}

/// Most steps one build may have.
pub const MAX_STEPS: usize = 500;

/// Parses and checks a trigger body.
pub fn parse_trigger(body: &[u8]) -> Result<BuildSpec, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| format!("malformed JSON body: {e}"))?;
    let obj = v
        .as_object()
        .ok_or("the trigger body must be a JSON object")?;
    let opt_str = |key: &str| -> Result<Option<String>, String> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("'{key}' must be a string")),
        }
    };
    let start_cmd = opt_str("startCmd")?;
    let ready_cmd = opt_str("readyCmd")?;
    let pre_boot_script = opt_str("preBootScript")?;
    let from_image = opt_str("fromImage")?;
    let from_template = opt_str("fromTemplate")?;
    let force = match obj.get("force") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("'force' must be a boolean".into()),
    };
    let base = match (from_image, from_template) {
        (Some(_), Some(_)) => {
            return Err("give either 'fromImage' or 'fromTemplate', not both".into())
        }
        (None, None) => return Err("the build needs a base: 'fromImage' or 'fromTemplate'".into()),
        (Some(i), None) if i.trim().is_empty() => {
            return Err("'fromImage' must not be empty".into())
        }
        (None, Some(t)) if t.trim().is_empty() => {
            return Err("'fromTemplate' must not be empty".into())
        }
        (Some(i), None) => Base::Image(i),
        (None, Some(t)) => Base::Template(t),
    };
    let has_registry_credentials = match obj.get("fromImageRegistry") {
        None | Some(Value::Null) => false,
        Some(Value::Object(r)) => match r.get("type").and_then(Value::as_str) {
            Some("registry" | "aws" | "gcp" | "oci" | "huawei") => true,
            Some(t) => {
                return Err(format!(
                    "unknown registry type '{t}' in 'fromImageRegistry'"
                ))
            }
            None => return Err("'fromImageRegistry' needs a string 'type'".into()),
        },
        Some(_) => return Err("'fromImageRegistry' must be an object".into()),
    };
    let steps = match obj.get("steps") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => {
            if a.len() > MAX_STEPS {
                return Err(format!("too many steps: {} (at most {MAX_STEPS})", a.len()));
            }
            a.iter()
                .enumerate()
                .map(|(i, s)| parse_step(i + 1, s))
                .collect::<Result<_, _>>()?
        }
        Some(_) => return Err("'steps' must be an array".into()),
    };
    Ok(BuildSpec {
        start_cmd,
        ready_cmd,
        pre_boot_script,
        steps,
        force,
        base,
        has_registry_credentials,
    })
}

fn parse_step(n: usize, v: &Value) -> Result<Step, String> {
    let o = v
        .as_object()
        .ok_or_else(|| format!("step {n} must be an object"))?;
    let kind = match o.get("type") {
        Some(Value::String(t)) => match t.as_str() {
            "RUN" => StepKind::Run,
            "COPY" => StepKind::Copy,
            "ENV" => StepKind::Env,
            "WORKDIR" => StepKind::Workdir,
            "USER" => StepKind::User,
            other => {
                return Err(format!(
                "step {n}: unknown step type '{other}' (expected RUN, COPY, ENV, WORKDIR or USER)"
            ))
            }
        },
        _ => return Err(format!("step {n}: 'type' must be a string")),
    };
    let args: Vec<String> = match o.get("args") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("step {n}: every element of 'args' must be a string"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(format!("step {n}: 'args' must be an array of strings")),
    };
    let force = match o.get("force") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(format!("step {n}: 'force' must be a boolean")),
    };
    let count = args.len();
    let arity_error = |expected: &str| {
        Err(format!(
            "step {n}: {} takes {expected}, got {count}",
            kind.as_str()
        ))
    };
    match kind {
        StepKind::Run if !(1..=2).contains(&count) => {
            return arity_error("1 or 2 arguments (command, user)")
        }
        StepKind::Copy if !(2..=4).contains(&count) => {
            return arity_error("2 to 4 arguments (src, dest, user, mode)")
        }
        StepKind::Env if count == 0 || count % 2 != 0 => {
            return arity_error("an even number of arguments (name, value pairs)")
        }
        StepKind::Workdir | StepKind::User if count != 1 => return arity_error("1 argument"),
        _ => {}
    }
    let files_hash = match o.get("filesHash") {
        None | Some(Value::Null) => None,
        Some(Value::String(h)) => {
            validation::files_hash(h).map_err(|e| format!("step {n}: {e}"))?;
            Some(h.clone())
        }
        Some(_) => return Err(format!("step {n}: 'filesHash' must be a string")),
    };
    if kind == StepKind::Copy && files_hash.is_none() {
        return Err(format!("step {n}: COPY needs a 'filesHash'"));
    }
    Ok(Step {
        kind,
        args,
        force,
        files_hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_fixture_shaped_body() {
        let body = br#"{"startCmd":"python app.py","readyCmd":"ss -tuln | grep :8000","steps":[{"type":"RUN","args":["pip install flask","root"],"force":false}],"force":false,"fromImage":"python:3.12"}"#;
        let s = parse_trigger(body).unwrap();
        assert_eq!(s.base, Base::Image("python:3.12".into()));
        assert_eq!(s.steps.len(), 1);
        assert_eq!(s.steps[0].kind, StepKind::Run);
    }

    #[test]
    fn rejects_bad_steps() {
        let unknown = br#"{"steps":[{"type":"ADD","args":["a","b"]}],"fromImage":"x"}"#;
        assert!(parse_trigger(unknown)
            .unwrap_err()
            .contains("unknown step type 'ADD'"));
        let arity = br#"{"steps":[{"type":"WORKDIR","args":["a","b"]}],"fromImage":"x"}"#;
        assert!(parse_trigger(arity)
            .unwrap_err()
            .contains("WORKDIR takes 1 argument, got 2"));
        let nohash = br#"{"steps":[{"type":"COPY","args":["a","b","",""]}],"fromImage":"x"}"#;
        assert!(parse_trigger(nohash).unwrap_err().contains("filesHash"));
        assert!(parse_trigger(b"{").unwrap_err().contains("malformed JSON"));
        assert!(parse_trigger(br#"{"steps":[]}"#)
            .unwrap_err()
            .contains("base"));
    }
}
