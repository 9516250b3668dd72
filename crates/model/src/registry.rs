//! Registry credentials sent as `fromImageRegistry` (docs/wire-contract.md §4.3).

use crate::prelude::*;
/// The registry configuration of a template; key order on the wire is as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryConfig {
    /// `fromImage(image, {username, password})`.
    Registry { username: String, password: String },
    /// `fromAWSRegistry`.
    Aws {
        access_key_id: String,
        secret_access_key: String,
        region: String,
    },
    /// `fromGCPRegistry`: the service-account JSON text.
    Gcp { service_account_json: String },
    /// `fromOCIRegistry` (novita-only).
    Oci {
        tenancy_ocid: String,
        user_ocid: String,
        fingerprint: String,
        private_key: String,
        region: String,
    },
    /// `fromHuaweiCloudRegistry` (novita-only).
    Huawei {
        access_key_id: String,
        secret_access_key: String,
        region: String,
    },
}

/// What a redacted secret reads as.
pub const REDACTED: &str = "<redacted>";

impl RegistryConfig {
    /// The same configuration with every secret replaced by [`REDACTED`], for
    /// display (the wire format carries the secrets, as the official SDK's does).
    pub fn redacted(&self) -> RegistryConfig {
        let r = || REDACTED.to_string();
        match self {
            RegistryConfig::Registry { username, .. } => RegistryConfig::Registry {
                username: username.clone(),
                password: r(),
            },
            RegistryConfig::Aws {
                access_key_id,
                region,
                ..
            } => RegistryConfig::Aws {
                access_key_id: access_key_id.clone(),
                secret_access_key: r(),
                region: region.clone(),
            },
            RegistryConfig::Gcp { .. } => RegistryConfig::Gcp {
                service_account_json: r(),
            },
            RegistryConfig::Oci {
                tenancy_ocid,
                user_ocid,
                fingerprint,
                region,
                ..
            } => RegistryConfig::Oci {
                tenancy_ocid: tenancy_ocid.clone(),
                user_ocid: user_ocid.clone(),
                fingerprint: fingerprint.clone(),
                private_key: r(),
                region: region.clone(),
            },
            RegistryConfig::Huawei {
                access_key_id,
                region,
                ..
            } => RegistryConfig::Huawei {
                access_key_id: access_key_id.clone(),
                secret_access_key: r(),
                region: region.clone(),
            },
        }
    }
}

fn obj(pairs: &[(&str, &str)]) -> Json {
    let mut members = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        novita_template_json::shape::put(&mut members, k, Some(Json::str(*v)));
    }
    Json::Obj(members)
}

impl RegistryConfig {
    /// The wire object.
    pub fn to_json(&self) -> Json {
        match self {
            RegistryConfig::Registry { username, password } => obj(&[
                ("type", "registry"),
                ("username", username),
                ("password", password),
            ]),
            RegistryConfig::Aws {
                access_key_id,
                secret_access_key,
                region,
            } => obj(&[
                ("type", "aws"),
                ("awsAccessKeyId", access_key_id),
                ("awsSecretAccessKey", secret_access_key),
                ("awsRegion", region),
            ]),
            RegistryConfig::Gcp {
                service_account_json,
            } => obj(&[
                ("type", "gcp"),
                ("serviceAccountJson", service_account_json),
            ]),
            RegistryConfig::Oci {
                tenancy_ocid,
                user_ocid,
                fingerprint,
                private_key,
                region,
            } => obj(&[
                ("type", "oci"),
                ("tenancyOcid", tenancy_ocid),
                ("userOcid", user_ocid),
                ("fingerprint", fingerprint),
                ("privateKey", private_key),
                ("region", region),
            ]),
            RegistryConfig::Huawei {
                access_key_id,
                secret_access_key,
                region,
            } => obj(&[
                ("type", "huawei"),
                ("accessKeyId", access_key_id),
                ("secretAccessKey", secret_access_key),
                ("region", region),
            ]),
        }
    }
}
