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
    let mut out = novita_template_json::cat!("FROM ", base, "\n");
    for i in t.instructions() {
        let arg = |n: usize| i.args.get(n).map(String::as_str).unwrap_or("undefined");
        match i.kind {
            InstructionKind::Run => out.push_str(&novita_template_json::cat!("RUN ", arg(0), "\n")),
            InstructionKind::Copy => out.push_str(&novita_template_json::cat!(
                "COPY ",
                arg(0),
                " ",
                arg(1),
                "\n"
            )),
            InstructionKind::Env => {
                out.push_str("ENV ");
                for (n, p) in i.args.chunks(2).enumerate() {
                    let value = p.get(1).map(String::as_str).unwrap_or("undefined");
                    let space = if n > 0 { " " } else { "" };
                    out.push_str(&novita_template_json::cat!(space, &p[0], "=", value));
                }
                out.push('\n');
            }
            InstructionKind::Workdir | InstructionKind::User => {
                out.push_str(&novita_template_json::cat!(
                    i.kind.as_str(),
                    " ",
                    &novita_template_json::text::join(&i.args, " "),
                    "\n"
                ));
            }
        }
    }
    if let Some(start) = t.start_cmd().filter(|s| !s.is_empty()) {
        out.push_str(&novita_template_json::cat!("ENTRYPOINT ", start, "\n"));
    }
    Ok(out)
}
