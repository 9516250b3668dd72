//! Registry credentials sent as `fromImageRegistry` (protocol §4.3).

use crate::json_text::JsonValue;

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

fn obj(pairs: &[(&str, &str)]) -> JsonValue {
    JsonValue::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), JsonValue::Str(v.to_string())))
            .collect(),
    )
}

impl RegistryConfig {
    /// The wire object.
    pub fn to_json(&self) -> JsonValue {
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
