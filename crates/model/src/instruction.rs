//! A recorded builder instruction (docs/wire-contract.md §1.3) and the call that produced it.

use crate::prelude::*;
/// The instruction type, as sent in a step's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstructionKind {
    /// `RUN`: args `[command]` or `[command, user]`.
    Run,
    /// `COPY`: args `[src, dest, user, mode]`.
    Copy,
    /// `ENV`: args `[k1, v1, k2, v2, ...]`.
    Env,
    /// `WORKDIR`: args `[path]`.
    Workdir,
    /// `USER`: args `[user]`.
    User,
}

impl InstructionKind {
    /// The wire name (`"RUN"`, `"COPY"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            InstructionKind::Run => "RUN",
            InstructionKind::Copy => "COPY",
            InstructionKind::Env => "ENV",
            InstructionKind::Workdir => "WORKDIR",
            InstructionKind::User => "USER",
        }
    }
}

/// One recorded instruction. `files_hash` is not stored here: it is supplied at
/// serialization time by the caller (the model never touches files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Step type.
    pub kind: InstructionKind,
    /// Step arguments, exactly as sent.
    pub args: Vec<String>,
    /// Step `force` flag.
    pub force: bool,
    /// COPY only: `forceUpload`, present on the wire only when the caller passed it.
    pub force_upload: Option<bool>,
    /// COPY only: `resolveSymlinks`, present on the wire only when the caller passed it.
    pub resolve_symlinks: Option<bool>,
    /// A short description of the builder call that recorded this instruction,
    /// e.g. `runCmd("pip install flask")`, so a failing build step can be named.
    pub origin: String,
    /// Which builder call (counted by the caller, see `Template::begin_call`) recorded
    /// it, so a failing step can point at the caller's own line.
    pub call: u32,
}
