//! Known causes of a failed build, recognised in the server's message and the failing
//! step's last lines, each with what to do about it. The server's own words stay the
//! error's message; this only adds a `reason` a program can switch on and a `hint` a
//! person can act on.

/// A recognised cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailureCause {
    /// Stable identifier: `out-of-memory`, `disk-full`, `step-timeout`,
    /// `rate-limited`, `image-not-found`, `registry-access-denied`.
    pub reason: &'static str,
    pub hint: &'static str,
}

/// Causes in the order they are tried: the specific before the general (a pull that
/// is denied because the image does not exist says both).
const CAUSES: [(&[&str], FailureCause); 6] = [
    (
        &["exit code 137", "exit code: 137", "oomkilled", "out of memory", "cannot allocate memory"],
        FailureCause {
            reason: "out-of-memory",
            hint: "A step ran out of memory (exit code 137). Build with a larger memoryMB, or make the step use less memory.",
        },
    ),
    (
        &["no space left on device", "disk quota exceeded", "not enough disk space"],
        FailureCause {
            reason: "disk-full",
            hint: "The build ran out of disk space. Delete temporary files in the step that creates them, or copy less into the image.",
        },
    ),
    (
        &["timed out", "timeout", "deadline exceeded", "took too long"],
        FailureCause {
            reason: "step-timeout",
            hint: "A step ran longer than the build service allows. Split it into shorter steps or make it faster.",
        },
    ),
    (
        &["rate limit", "too many requests", "too many concurrent", "concurrent build", "concurrency limit"],
        FailureCause {
            reason: "rate-limited",
            hint: "The service is limiting builds or requests. Wait before building again, or run fewer builds at once.",
        },
    ),
    (
        &["manifest unknown", "no such image", "not found", "does not exist", "name unknown"],
        FailureCause {
            reason: "image-not-found",
            hint: "The base image or its tag does not exist. Check the spelling and the case of the name (repository names are case-sensitive) and that the tag is published.",
        },
    ),
    (
        &["access denied", "unauthorized", "authentication required", "forbidden", "denied: requested access"],
        FailureCause {
            reason: "registry-access-denied",
            hint: "The registry refused to serve the base image. Check the image name, and give the registry's credentials (fromImage(image, { username, password }) or fromAWSRegistry, fromGCPRegistry, ...).",
        },
    ),
];

/// Whether `haystack` contains `needle` (ASCII, case-insensitive).
fn contains_ci(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// The cause of a failure whose message is `message` and whose failing step last
/// printed `tail`, if it is a known one.
pub fn explain_failure(message: &str, tail: &[&str]) -> Option<FailureCause> {
    CAUSES.iter().find_map(|(needles, cause)| {
        let mentioned = |t: &str| needles.iter().any(|n| contains_ci(t, n));
        let hit = mentioned(message) || tail.iter().any(|t| mentioned(t));
        hit.then_some(*cause)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_usual_wordings() {
        let reason = |m: &str, tail: &[&str]| explain_failure(m, tail).map(|c| c.reason);
        assert_eq!(
            reason("RUN step 2 failed: exit code 137", &[]),
            Some("out-of-memory")
        );
        assert_eq!(
            reason("step failed", &["write /x: No space left on device"]),
            Some("disk-full")
        );
        assert_eq!(
            reason("step 3 Timed Out after 600s", &[]),
            Some("step-timeout")
        );
        assert_eq!(
            reason("failed to pull: manifest unknown", &[]),
            Some("image-not-found")
        );
        assert_eq!(
            reason("access denied to 'node:24'", &[]),
            Some("registry-access-denied")
        );
        assert_eq!(reason("429 Too Many Requests", &[]), Some("rate-limited"));
        assert_eq!(
            reason(
                "RUN step 2 failed: exit code 1",
                &["make: *** [all] Error 2"]
            ),
            None
        );
    }
}
