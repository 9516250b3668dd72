//! Image reference parsing for the registry read (docs/wire-contract.md §4.6 step 1).

use crate::prelude::*;
/// Docker Hub's registry host.
pub const DOCKER_HUB_HOST: &str = "registry-1.docker.io";

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host, e.g. `registry-1.docker.io` or `ghcr.io` or `localhost:5000`.
    pub host: String,
    /// Repository path, with `library/` prefixed for official Docker Hub images.
    pub repository: String,
    /// Tag (default `latest`) or digest (`sha256:...`).
    pub reference: String,
    /// True when `reference` came after `@` (a digest).
    pub is_digest: bool,
}

/// Parses `image` as the official SDK does: a leading `docker.io/` is dropped; the
/// first path segment is the host when it contains `.` or `:` or is `localhost`; `@`
/// introduces a digest, otherwise a `:` after the last `/` a tag (default `latest`);
/// a Docker Hub repository without `/` gets `library/`.
pub fn parse(image: &str) -> Result<ImageRef, SdkError> {
    if image.is_empty() {
        return Err(SdkError::invalid(
            "image reference must be a non-empty string",
        ));
    }
    let mut rest = image.strip_prefix("docker.io/").unwrap_or(image);
    let mut host = DOCKER_HUB_HOST;
    if let Some(slash) = rest.find('/') {
        let head = &rest[..slash];
        if head.contains('.') || head.contains(':') || head == "localhost" {
            host = head;
            rest = &rest[slash + 1..];
        }
    }
    let (repository, reference, is_digest) = match rest.find('@') {
        Some(at) => (&rest[..at], &rest[at + 1..], true),
        None => match rest.rfind(':') {
            Some(colon) if !rest[colon + 1..].contains('/') => {
                (&rest[..colon], &rest[colon + 1..], false)
            }
            _ => (rest, "latest", false),
        },
    };
    let library = host == DOCKER_HUB_HOST && !repository.contains('/');
    Ok(ImageRef {
        host: host.into(),
        repository: [if library { "library/" } else { "" }, repository].concat(),
        reference: reference.into(),
        is_digest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> (String, String, String) {
        let r = parse(s).unwrap();
        (r.host, r.repository, r.reference)
    }

    #[test]
    fn official_rules() {
        let hub = DOCKER_HUB_HOST.to_string();
        assert_eq!(
            p("python:3.12"),
            (hub.clone(), "library/python".into(), "3.12".into())
        );
        assert_eq!(
            p("docker.io/library/ubuntu"),
            (hub.clone(), "library/ubuntu".into(), "latest".into())
        );
        assert_eq!(
            p("oven/bun:latest"),
            (hub.clone(), "oven/bun".into(), "latest".into())
        );
        assert_eq!(
            p("registry.example.com/team/app:1.0"),
            (
                "registry.example.com".into(),
                "team/app".into(),
                "1.0".into()
            )
        );
        assert_eq!(
            p("localhost:5000/app"),
            ("localhost:5000".into(), "app".into(), "latest".into())
        );
        assert_eq!(
            p("localhost/app:2"),
            ("localhost".into(), "app".into(), "2".into())
        );
        assert_eq!(
            p("ghcr.io/o/r@sha256:abc"),
            ("ghcr.io".into(), "o/r".into(), "sha256:abc".into())
        );
        assert!(parse("ghcr.io/o/r@sha256:abc").unwrap().is_digest);
        assert!(parse("").is_err());
    }
}
