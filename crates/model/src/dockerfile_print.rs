//! `Template.toDockerfile(t)` (docs/wire-contract.md §8.1), with the official errors.

use crate::instruction::InstructionKind;
use crate::prelude::*;
use crate::template::Template;

/// Prints the template as a Dockerfile. Registry credentials, `readyCmd`,
/// `preBootScript`, `force` and the runtime-env step are not represented.
pub fn to_dockerfile(t: &Template) -> Result<String, SdkError> {
    if t.base_template().is_some() {
        return Err(SdkError::error(
            "Cannot convert template built from another template to Dockerfile. Templates based on other templates can only be built using the Novita AI sandbox API.",
        ));
    }
    let Some(base) = t.base_image() else {
        return Err(SdkError::error("No base image specified for template"));
    };
    let mut out = format!("FROM {base}\n");
    for i in t.instructions() {
        let arg = |n: usize| i.args.get(n).map(String::as_str).unwrap_or("undefined");
        match i.kind {
            InstructionKind::Run => out.push_str(&format!("RUN {}\n", arg(0))),
            InstructionKind::Copy => out.push_str(&format!("COPY {} {}\n", arg(0), arg(1))),
            InstructionKind::Env => {
                let pairs: Vec<String> = i
                    .args
                    .chunks(2)
                    .map(|p| {
                        format!(
                            "{}={}",
                            p[0],
                            p.get(1).map(String::as_str).unwrap_or("undefined")
                        )
                    })
                    .collect();
                out.push_str(&format!("ENV {}\n", pairs.join(" ")));
            }
            InstructionKind::Workdir | InstructionKind::User => {
                out.push_str(&format!("{} {}\n", i.kind.as_str(), i.args.join(" ")));
            }
        }
    }
    if let Some(start) = t.start_cmd().filter(|s| !s.is_empty()) {
        out.push_str(&format!("ENTRYPOINT {start}\n"));
    }
    Ok(out)
}
