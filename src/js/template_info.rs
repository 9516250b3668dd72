//! `TemplateInfo` objects (from `get` and `list`) as JavaScript values.

use novita_template_flow::wire::TemplateInfo;
use wasm_bindgen::prelude::*;

use super::js_values::{date, json, object, opt_string, string, strings};

pub(crate) fn to_js(t: &TemplateInfo) -> JsValue {
    object(&[
        ("templateId", string(&t.template_id)),
        ("buildId", string(&t.build_id)),
        ("buildStatus", opt_string(t.build_status.as_deref())),
        ("aliases", strings(&t.aliases)),
        ("names", strings(&t.names)),
        ("templateType", opt_string(t.template_type.as_deref())),
        ("buildCount", JsValue::from(t.build_count)),
        ("cpuCount", JsValue::from(t.cpu_count)),
        ("memoryMB", JsValue::from(t.memory_mb)),
        ("diskSizeMB", JsValue::from(t.disk_size_mb)),
        ("spawnCount", JsValue::from(t.spawn_count)),
        ("envdVersion", string(&t.envd_version)),
        ("public", JsValue::from_bool(t.public)),
        (
            "metadata",
            t.metadata.as_ref().map_or(JsValue::UNDEFINED, json),
        ),
        ("createdAt", date(t.created_at_ms)),
        ("updatedAt", date(t.updated_at_ms)),
        (
            "lastSpawnedAt",
            t.last_spawned_at_ms.map_or(JsValue::NULL, date),
        ),
        (
            "createdBy",
            t.created_by.as_ref().map_or(JsValue::UNDEFINED, json),
        ),
    ])
}
