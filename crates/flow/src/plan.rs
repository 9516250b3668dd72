//! `Template.plan`: what building a template would do, without building. The steps
//! with the builder calls that made them, each COPY's files and hash, and which
//! archives the server already has (wire contract §5.1: the files endpoint answers
//! `present` without side effects). No build is requested and nothing is uploaded.

use crate::api_call::{plain, ApiCall, CallAction};
use crate::connection::ConnectionConfig;
use crate::endpoint::Endpoint;
use crate::http::{HttpResponse, TransportError};
use crate::machine::{Machine, PrepareNeeds, Step};
use crate::prelude::*;
use crate::wire::{self, FileUploadLink};
use novita_template_json::shape::{Encode, OrNull};
use novita_template_json::u64_text;

novita_template_json::shape! {
    /// A step of the build, as the server numbers it (`base`, `1`…, `finalize`).
    output struct PlanStep as "BuildPlanStep" {
        pub step: String = "step",
        /// The builder call that made it, e.g. `runCmd("make")`.
        pub description: String = "description",
    }
}

novita_template_json::shape! {
    /// A COPY step of the plan.
    output struct PlanCopy as "BuildPlanCopy" {
        pub src: String = "src",
        pub dest: String = "dest",
        /// The step number of the COPY (as in progress reports and log entries).
        pub step: String = "step",
        /// The hash the server keys the archive by.
        pub files_hash: String = "filesHash",
        /// Files in the archive.
        pub files: u64 = "files",
        /// Their bytes, before gzip.
        pub bytes: u64 = "bytes",
        /// Whether the server has this archive already; `null` when the template does
        /// not exist yet (nothing to ask).
        pub on_server: OrNull<bool> = "onServer",
        /// Whether a build would upload it (absent on the server, or `forceUpload`).
        pub upload: bool = "upload",
    }
}

novita_template_json::shape! {
    /// What `Template.plan` resolves to.
    output struct BuildPlan {
        /// The name the build would use.
        pub name: String = "name",
        /// The template's id when a template of that name exists; `null` for a new one.
        pub template_id: OrNull<String> = "templateId",
        pub steps: Vec<PlanStep> = "steps",
        pub copies: Vec<PlanCopy> = "copies",
        /// Archives a build would upload.
        pub uploads: u64 = "uploads",
        /// Their files' bytes, before gzip (the archive is usually smaller).
        pub upload_bytes: u64 = "uploadBytes",
    }
}

/// A COPY step as the host planned and hashed it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlannedCopy {
    pub src: String,
    pub dest: String,
    pub step: usize,
    pub files_hash: String,
    pub files: u64,
    pub bytes: u64,
    pub force_upload: bool,
}

/// The requests of a plan: the alias lookup, then one files check per COPY step.
pub struct PlanMachine {
    config: ConnectionConfig,
    plan: BuildPlan,
    force: Vec<bool>,
    prepared: bool,
    alias: Option<ApiCall<Option<String>>>,
    /// The files check in flight and the COPY index it is for.
    link: Option<(usize, ApiCall<FileUploadLink>)>,
    seed: u64,
    outcome: Option<Result<Json, SdkError>>,
}

/// Reply ids: the alias lookup's attempts count from 1; COPY `i`'s from `(i + 1) << 16`.
fn link_id(copy: usize, attempt: u32) -> u32 {
    ((copy as u32 + 1) << 16) + attempt
}

impl PlanMachine {
    /// A plan of building as `name`. Its first step is `Prepare`: the host reads the
    /// image config and hashes the COPY sources, then calls [`PlanMachine::ready`].
    pub fn new(config: ConnectionConfig, name: &str, seed: u64) -> PlanMachine {
        PlanMachine {
            config,
            plan: BuildPlan {
                name: name.into(),
                ..BuildPlan::default()
            },
            force: Vec::new(),
            prepared: false,
            alias: None,
            link: None,
            seed,
            outcome: None,
        }
    }

    /// The template's steps (as `Template::step_descriptions` gives them) and its COPY
    /// steps, planned and hashed: the requests can start.
    pub fn ready(&mut self, steps: (String, Vec<String>, String), copies: Vec<PlannedCopy>) {
        if self.prepared || self.outcome.is_some() {
            return;
        }
        self.prepared = true;
        let (base, numbered, finalize) = steps;
        let mut list = vec![PlanStep {
            step: "base".into(),
            description: base,
        }];
        for (i, d) in numbered.into_iter().enumerate() {
            list.push(PlanStep {
                step: u64_text(i as u64 + 1),
                description: d,
            });
        }
        list.push(PlanStep {
            step: "finalize".into(),
            description: finalize,
        });
        self.plan.steps = list;
        self.force = copies.iter().map(|c| c.force_upload).collect();
        self.plan.copies = copies
            .into_iter()
            .map(|c| PlanCopy {
                src: c.src,
                dest: c.dest,
                step: u64_text(c.step as u64),
                files_hash: c.files_hash,
                files: c.files,
                bytes: c.bytes,
                on_server: OrNull(None),
                upload: true,
            })
            .collect();
        // The alias is the name without its tag; a legacy domain has no alias lookup.
        let alias = self.plan.name.split(':').next().unwrap_or("");
        if alias.is_empty() || self.config.reject_legacy("plan").is_err() {
            return self.finish();
        }
        self.alias = Some(ApiCall::new(
            wire::alias_exists(&self.config, alias),
            Endpoint::AliasExists,
            plain(wire::parse_alias_template_id),
            self.seed,
        ));
    }

    /// The host could not prepare the steps (a COPY source matching nothing, …).
    pub fn fail(&mut self, error: SdkError) {
        if self.outcome.is_none() {
            self.outcome = Some(Err(error));
        }
    }

    /// Starts the files check of COPY `i`, or finishes when there is none left.
    fn check_copy(&mut self, i: usize) {
        let (Some(id), Some(c)) = (&self.plan.template_id.0, self.plan.copies.get(i)) else {
            return self.finish();
        };
        let call = ApiCall::new(
            wire::file_upload_link(&self.config, id, &c.files_hash),
            Endpoint::FileUploadLink,
            plain(wire::parse_file_upload_link),
            self.seed.wrapping_add(i as u64 + 1),
        );
        self.link = Some((i, call));
    }

    fn finish(&mut self) {
        self.link = None;
        let p = &mut self.plan;
        p.uploads = p.copies.iter().filter(|c| c.upload).count() as u64;
        p.upload_bytes = p.copies.iter().filter(|c| c.upload).map(|c| c.bytes).sum();
        self.outcome = Some(Ok(p.encode().unwrap_or(Json::Null)));
    }
}

impl Machine for PlanMachine {
    fn next(&mut self, now_ms: f64) -> Step {
        loop {
            if let Some(outcome) = &self.outcome {
                return match outcome {
                    Ok(v) => Step::Done(v.clone()),
                    Err(e) => Step::Failed(e.clone()),
                };
            }
            if !self.prepared {
                return Step::Prepare(PrepareNeeds::default());
            }
            if let Some(call) = &mut self.alias {
                if call.in_flight() {
                    return Step::Wait;
                }
                match call.next_action(now_ms) {
                    CallAction::Send(request) => {
                        let id = call.attempts();
                        return Step::Send {
                            id,
                            request,
                            abortable: true,
                        };
                    }
                    CallAction::Sleep { ms } => return Step::Sleep { ms },
                    CallAction::Done(template_id) => {
                        self.alias = None;
                        self.plan.template_id = OrNull(template_id);
                        self.check_copy(0);
                    }
                    CallAction::Failed(e) => self.outcome = Some(Err(e)),
                }
                continue;
            }
            let Some((i, call)) = &mut self.link else {
                self.finish();
                continue;
            };
            let i = *i;
            if call.in_flight() {
                return Step::Wait;
            }
            match call.next_action(now_ms) {
                CallAction::Send(request) => {
                    return Step::Send {
                        id: link_id(i, call.attempts()),
                        request,
                        abortable: true,
                    }
                }
                CallAction::Sleep { ms } => return Step::Sleep { ms },
                CallAction::Done(link) => {
                    let c = &mut self.plan.copies[i];
                    c.on_server = OrNull(link.present);
                    c.upload = link.upload_url(self.force[i]).is_some();
                    self.check_copy(i + 1);
                }
                CallAction::Failed(e) => self.outcome = Some(Err(e)),
            }
        }
    }

    fn on_reply(&mut self, id: u32, reply: Result<HttpResponse, TransportError>, now_ms: f64) {
        if let Some(call) = &mut self.alias {
            if id == call.attempts() {
                call.on_response(reply, now_ms);
            }
        } else if let Some((i, call)) = &mut self.link {
            if id == link_id(*i, call.attempts()) {
                call.on_response(reply, now_ms);
            }
        }
    }

    fn abort(&mut self, _now_ms: f64) {
        if self.outcome.is_none() {
            self.outcome = Some(Err(SdkError::new(
                ErrorClass::AbortError,
                "The request was aborted",
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::{ConnectionOptions, HostKind, Secret};
    use crate::http::HttpResponse;

    fn config() -> ConnectionConfig {
        let o = ConnectionOptions {
            api_key: Some(Secret("sk_test".into())),
            api_url: Some("http://127.0.0.1:1".into()),
            ..Default::default()
        };
        ConnectionConfig::resolve(
            &o,
            &[],
            HostKind::Node {
                version: "20.0.0".into(),
                os: "Linux".into(),
            },
        )
        .unwrap()
    }

    fn reply(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse {
            status,
            body: body.as_bytes().to_vec(),
            ..Default::default()
        })
    }

    fn copy(hash: &str, force: bool) -> PlannedCopy {
        PlannedCopy {
            src: "app".into(),
            dest: "/app".into(),
            step: 2,
            files_hash: hash.into(),
            files: 3,
            bytes: 100,
            force_upload: force,
        }
    }

    fn steps() -> (String, Vec<String>, String) {
        (
            "fromPythonImage()".into(),
            vec!["pipInstall(…)".into(), "copy(…)".into()],
            "setStartCmd(…)".into(),
        )
    }

    /// Answers each request by its path; returns the result and the paths asked.
    fn run(
        m: &mut PlanMachine,
        answer: impl Fn(&str) -> (u16, &'static str),
    ) -> (Result<Json, SdkError>, Vec<String>) {
        let mut asked = Vec::new();
        for _ in 0..20 {
            match m.next(0.0) {
                Step::Send { id, request, .. } => {
                    // Asked again before the reply: nothing new to do.
                    assert_eq!(m.next(0.0), Step::Wait);
                    let (status, body) = answer(&request.url);
                    asked.push(request.url.clone());
                    m.on_reply(id, reply(status, body), 0.0);
                }
                Step::Done(v) => return (Ok(v), asked),
                Step::Failed(e) => return (Err(e), asked),
                other => panic!("unexpected {other:?}"),
            }
        }
        panic!("no end")
    }

    #[test]
    fn a_new_template_uploads_everything_and_asks_once() {
        let mut m = PlanMachine::new(config(), "fresh:v1", 1);
        assert_eq!(m.next(0.0), Step::Prepare(PrepareNeeds::default()));
        m.ready(steps(), vec![copy("aa", false)]);
        let (v, asked) = run(&mut m, |_| (404, r#"{"code":404,"message":"not found"}"#));
        let v = v.unwrap();
        assert_eq!(asked, ["http://127.0.0.1:1/templates/aliases/fresh"]);
        assert_eq!(v.get("templateId"), Some(&Json::Null));
        assert_eq!(v.get("uploads"), Some(&Json::int(1)));
        assert_eq!(v.get("uploadBytes"), Some(&Json::int(100)));
        let c = &v.get("copies").unwrap().as_array().unwrap()[0];
        assert_eq!(c.get("onServer"), Some(&Json::Null));
        let steps = v.get("steps").unwrap().as_array().unwrap();
        let names: Vec<&str> = steps
            .iter()
            .map(|s| s.get("step").unwrap().as_str().unwrap())
            .collect();
        assert_eq!(names, ["base", "1", "2", "finalize"]);
    }

    #[test]
    fn an_existing_template_checks_each_copy() {
        let copies = vec![copy("aa", false), copy("bb", false), copy("cc", true)];
        let mut m = PlanMachine::new(config(), "app", 1);
        m.ready(steps(), copies);
        let (v, asked) = run(&mut m, |url| {
            if url.ends_with("/aliases/app") {
                (200, r#"{"templateID":"t1","public":false}"#)
            } else if url.ends_with("/aa") || url.ends_with("/cc") {
                (201, r#"{"present":true,"url":"http://x/u"}"#)
            } else {
                (201, r#"{"present":false,"url":"http://x/u"}"#)
            }
        });
        let v = v.unwrap();
        assert_eq!(asked.len(), 4);
        assert!(asked[3].ends_with("/templates/t1/files/cc"));
        assert_eq!(v.get("templateId"), Some(&Json::str("t1")));
        let copies = v.get("copies").unwrap().as_array().unwrap();
        let flags: Vec<(Option<bool>, bool)> = copies
            .iter()
            .map(|c| {
                (
                    c.get("onServer").unwrap().as_bool(),
                    c.get("upload").unwrap().as_bool().unwrap(),
                )
            })
            .collect();
        // cc is on the server but forceUpload sends it again.
        assert_eq!(
            flags,
            [(Some(true), false), (Some(false), true), (Some(true), true)]
        );
        assert_eq!(v.get("uploads"), Some(&Json::int(2)));
        assert_eq!(v.get("uploadBytes"), Some(&Json::int(200)));
    }

    #[test]
    fn an_auth_failure_fails_the_plan() {
        let mut m = PlanMachine::new(config(), "app", 1);
        m.ready(steps(), vec![]);
        let (v, _) = run(&mut m, |_| (401, r#"{"code":401,"message":"bad key"}"#));
        assert_eq!(v.unwrap_err().class, ErrorClass::AuthenticationError);
        let mut m = PlanMachine::new(config(), "app", 1);
        m.fail(SdkError::error("No files found in ./nothing"));
        let (v, asked) = run(&mut m, |_| unreachable!());
        assert!(asked.is_empty());
        assert_eq!(v.unwrap_err().message, "No files found in ./nothing");
    }
}
