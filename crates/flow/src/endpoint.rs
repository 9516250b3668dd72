//! The REST endpoints of the template API (docs/wire-contract.md §2.5) and the per-endpoint
//! facts the rest of the crate needs: which error class a failure takes, what a
//! bodiless success means, and whether a retry is safe.

use crate::prelude::*;
/// One endpoint of the template (and sandbox) API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `POST /v3/templates`
    RequestBuild,
    /// `GET /templates/{templateID}/files/{hash}`
    FileUploadLink,
    /// `PUT <presigned url>` (not an API call: no SDK headers)
    FileUpload,
    /// `POST /v2/templates/{templateID}/builds/{buildID}`
    TriggerBuild,
    /// `GET /templates/{templateID}/builds/{buildID}/status`
    BuildStatus,
    /// `GET /templates/aliases/{alias}`
    AliasExists,
    /// `POST /templates/tags`
    AssignTags,
    /// `DELETE /templates/tags`
    RemoveTags,
    /// `GET /templates/{templateID}/tags`
    GetTags,
    /// `GET /templates/{templateID}`
    GetTemplate,
    /// `GET /v2/templates` (sent with a raw fetch by the official SDK)
    ListTemplates,
    /// `DELETE /templates/{templateID}`
    DeleteTemplate,
    /// `POST /sandboxes`
    CreateSandbox,
    /// `DELETE /sandboxes/{sandboxID}`
    KillSandbox,
}

impl Endpoint {
    /// The class of a `<status>: <message>` error from this endpoint.
    pub fn error_class(self) -> ErrorClass {
        match self {
            Endpoint::RequestBuild
            | Endpoint::TriggerBuild
            | Endpoint::BuildStatus
            | Endpoint::GetTemplate
            | Endpoint::ListTemplates
            | Endpoint::DeleteTemplate => ErrorClass::BuildError,
            Endpoint::FileUploadLink | Endpoint::FileUpload => ErrorClass::FileUploadError,
            Endpoint::AliasExists
            | Endpoint::AssignTags
            | Endpoint::RemoveTags
            | Endpoint::GetTags => ErrorClass::TemplateError,
            Endpoint::CreateSandbox | Endpoint::KillSandbox => ErrorClass::SandboxError,
        }
    }

    /// The error message when a success reply that must carry data has none.
    pub fn missing_body_message(self) -> &'static str {
        match self {
            Endpoint::RequestBuild => "Failed to request build",
            Endpoint::FileUploadLink => "Failed to get file upload link",
            Endpoint::BuildStatus => "Failed to get build status",
            Endpoint::AssignTags => "Failed to assign tags",
            Endpoint::GetTags => "Failed to get template tags",
            Endpoint::GetTemplate => "Failed to get template",
            Endpoint::ListTemplates => "Failed to list templates",
            Endpoint::CreateSandbox => "Failed to create sandbox",
            _ => "Empty response",
        }
    }

    /// Whether the official SDK sends this call through its typed client
    /// (`handleApiError`: 401 and 429 get their own classes).
    pub fn uses_typed_client(self) -> bool {
        !matches!(
            self,
            Endpoint::ListTemplates | Endpoint::GetTemplate | Endpoint::FileUpload
        )
    }

    /// Whether sending the request twice cannot change the result, so network
    /// errors, timeouts and 5xx replies may be retried.
    pub fn is_idempotent(self) -> bool {
        !matches!(
            self,
            Endpoint::RequestBuild
                | Endpoint::TriggerBuild
                | Endpoint::AssignTags
                | Endpoint::CreateSandbox
        )
    }
}
