//! The emulator's state in SQLite (`emulator.sqlite3` under the data directory):
//! templates, builds, tags, build log entries, the uploads index, built layers and
//! sandboxes. Every change that belongs together runs in one transaction, so a
//! request either has its whole effect or none.
//!
//! Tag rules: a build requested as `name:tag` and/or with `tags` carries those tags
//! (`default` when none is given). They move to the build when it becomes `ready`,
//! so a failed build never takes a tag away from a working one. `assignTags` moves
//! tags to the build that `name:tag` points at; `removeTags` deletes them.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::clock::now_ms;
use crate::ids;
use crate::plan::{Outcome, PlannedEntry};
use crate::validation::DEFAULT_TAG;

pub type DbResult<T> = Result<T, rusqlite::Error>;

/// The reason given to builds that were running when the emulator stopped.
pub const INTERRUPTED: &str = "interrupted: the emulator restarted during this build";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS templates (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, spawn_count INTEGER NOT NULL DEFAULT 0, last_spawned_at INTEGER);
CREATE TABLE IF NOT EXISTS builds (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, template_id TEXT NOT NULL,
  status TEXT NOT NULL, cpu_count INTEGER NOT NULL, memory_mb INTEGER NOT NULL,
  tags TEXT NOT NULL, spec TEXT, reason_message TEXT, reason_step TEXT,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS builds_by_template ON builds(template_id);
CREATE TABLE IF NOT EXISTS tags (
  template_id TEXT NOT NULL, tag TEXT NOT NULL, build_id TEXT NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (template_id, tag));
CREATE TABLE IF NOT EXISTS log_entries (
  build_id TEXT NOT NULL, seq INTEGER NOT NULL, timestamp INTEGER NOT NULL, level TEXT NOT NULL,
  message TEXT NOT NULL, step TEXT, PRIMARY KEY (build_id, seq));
CREATE TABLE IF NOT EXISTS uploads (
  hash TEXT PRIMARY KEY, size INTEGER NOT NULL, sha256 TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS layers (key TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sandboxes (
  id TEXT PRIMARY KEY, client_id TEXT NOT NULL, template_id TEXT NOT NULL, build_id TEXT NOT NULL,
  created_at INTEGER NOT NULL);
";

#[derive(Debug, Clone)]
pub struct TemplateRow {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub spawn_count: i64,
    pub last_spawned_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct BuildRow {
    pub id: String,
    pub template_id: String,
    pub status: String,
    pub cpu_count: i64,
    pub memory_mb: i64,
    pub tags: Vec<String>,
    pub spec: Option<String>,
    pub reason_message: Option<String>,
    pub reason_step: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct LogRow {
    pub timestamp: i64,
    pub level: String,
    pub message: String,
    pub step: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TagRow {
    pub tag: String,
    pub build_id: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct SandboxRow {
    pub id: String,
    pub client_id: String,
    pub template_id: String,
}

/// Why a state change was refused; the routes map each to a status code.
#[derive(Debug)]
pub enum Refusal {
    NotFound(String),
    Conflict(String),
    BadRequest(String),
    /// The concurrency limit is reached: the ids of the builds that hold it.
    Busy {
        running: Vec<String>,
        limit: usize,
    },
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for Refusal {
    fn from(e: rusqlite::Error) -> Self {
        Refusal::Db(e)
    }
}

/// The log levels in order; a `level` filter keeps entries at or above it.
pub fn level_rank(level: &str) -> Option<i64> {
    ["debug", "info", "warn", "error"]
        .iter()
        .position(|l| *l == level)
        .map(|p| p as i64)
}

pub struct Store {
    conn: Mutex<Connection>,
}

fn template_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<TemplateRow> {
    Ok(TemplateRow {
        id: r.get(0)?,
        name: r.get(1)?,
        created_at: r.get(2)?,
        updated_at: r.get(3)?,
        spawn_count: r.get(4)?,
        last_spawned_at: r.get(5)?,
    })
}

const TEMPLATE_COLS: &str = "id, name, created_at, updated_at, spawn_count, last_spawned_at";
const BUILD_COLS: &str = "id, template_id, status, cpu_count, memory_mb, tags, spec, reason_message, reason_step, created_at, updated_at";

fn build_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<BuildRow> {
    let tags: String = r.get(5)?;
    Ok(BuildRow {
        id: r.get(0)?,
        template_id: r.get(1)?,
        status: r.get(2)?,
        cpu_count: r.get(3)?,
        memory_mb: r.get(4)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        spec: r.get(6)?,
        reason_message: r.get(7)?,
        reason_step: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

/// Appends entries to a build's log. Timestamps strictly increase within a build
/// (at least 1 ms apart), so that every entry has its own and clients can order
/// and deduplicate by them.
fn append_entries(tx: &Transaction<'_>, build_id: &str, entries: &[PlannedEntry]) -> DbResult<()> {
    let (next, last): (i64, Option<i64>) = tx.query_row(
        "SELECT COALESCE(MAX(seq) + 1, 0), MAX(timestamp) FROM log_entries WHERE build_id = ?1",
        [build_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut at = now_ms();
    if let Some(last) = last {
        at = at.max(last + 1);
    }
    for (i, e) in entries.iter().enumerate() {
        tx.execute(
            "INSERT INTO log_entries (build_id, seq, timestamp, level, message, step) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![build_id, next + i as i64, at + i as i64, e.level, e.message, e.step],
        )?;
    }
    Ok(())
}

/// The step of a build's newest log entry (the step it is in), if it logged any.
fn current_step(tx: &Transaction<'_>, build_id: &str) -> DbResult<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT step FROM log_entries WHERE build_id = ?1 ORDER BY seq DESC LIMIT 1",
            [build_id],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

/// Ends an unfinished build with `error` for a reason outside its steps (superseded,
/// interrupted): `reason.step` stays unset. A build that was `building` logs the
/// reason as an error entry of the step it was in; a `waiting` one never started a
/// step, so it logs nothing.
fn end_unfinished(tx: &Transaction<'_>, build_id: &str, message: &str) -> DbResult<()> {
    let status: String =
        tx.query_row("SELECT status FROM builds WHERE id = ?1", [build_id], |r| {
            r.get(0)
        })?;
    tx.execute(
        "UPDATE builds SET status = 'error', reason_message = ?2, reason_step = NULL, updated_at = ?3 WHERE id = ?1",
        params![build_id, message, now_ms()],
    )?;
    if status != "building" {
        return Ok(());
    }
    let step = current_step(tx, build_id)?.unwrap_or_else(|| "base".to_string());
    append_entries(
        tx,
        build_id,
        &[PlannedEntry {
            level: "error",
            message: message.to_string(),
            step: Some(step),
        }],
    )
}

/// Builds holding the concurrency limit: every `building` build of a template other
/// than `template_id` (a build of the same template would be superseded anyway).
fn running_elsewhere(tx: &Transaction<'_>, template_id: Option<&str>) -> DbResult<Vec<String>> {
    let mut st = tx.prepare(
        "SELECT id FROM builds WHERE status = 'building' AND (?1 IS NULL OR template_id != ?1) ORDER BY seq",
    )?;
    let rows = st.query_map([template_id], |r| r.get(0))?;
    rows.collect()
}

fn check_limit(running: Vec<String>, limit: Option<usize>) -> Result<(), Refusal> {
    match limit {
        Some(limit) if running.len() >= limit => Err(Refusal::Busy { running, limit }),
        _ => Ok(()),
    }
}

impl Store {
    /// Opens (or creates) the database under `data_dir`, and marks builds that were
    /// running when the emulator last stopped as failed.
    pub fn open(data_dir: &Path) -> DbResult<Store> {
        let conn = Connection::open(data_dir.join("emulator.sqlite3"))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.execute_batch(SCHEMA)?;
        let store = Store {
            conn: Mutex::new(conn),
        };
        store.interrupt_running()?;
        Ok(store)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions
        // roll back on drop), so a poisoned lock is still safe to use.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn interrupt_running(&self) -> DbResult<()> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let running: Vec<String> = {
            let mut st = tx.prepare("SELECT id FROM builds WHERE status = 'building'")?;
            let rows = st.query_map([], |r| r.get(0))?;
            rows.collect::<DbResult<_>>()?
        };
        for id in running {
            end_unfinished(&tx, &id, INTERRUPTED)?;
        }
        tx.commit()
    }

    /// The secret that signs upload URLs; created once per data directory.
    pub fn upload_secret(&self) -> DbResult<String> {
        let conn = self.lock();
        if let Some(s) = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'upload_secret'",
                [],
                |r| r.get(0),
            )
            .optional()?
        {
            return Ok(s);
        }
        let s = ids::secret();
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('upload_secret', ?1)",
            [&s],
        )?;
        Ok(s)
    }

    /// Creates a build (status `waiting`) of the template named `name`, creating the
    /// template on first use. With a `limit`, refuses while that many builds of other
    /// templates are `building`.
    pub fn create_build(
        &self,
        name: &str,
        tags: &[String],
        cpu_count: i64,
        memory_mb: i64,
        limit: Option<usize>,
    ) -> Result<(TemplateRow, BuildRow), Refusal> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let now = now_ms();
        let existing = tx
            .query_row(
                &format!("SELECT {TEMPLATE_COLS} FROM templates WHERE name = ?1"),
                [name],
                template_from,
            )
            .optional()?;
        check_limit(
            running_elsewhere(&tx, existing.as_ref().map(|t| t.id.as_str()))?,
            limit,
        )?;
        let template = match existing {
            Some(t) => {
                tx.execute(
                    "UPDATE templates SET updated_at = ?2 WHERE id = ?1",
                    params![t.id, now],
                )?;
                t
            }
            None => {
                let id = ids::short_id(20);
                tx.execute(
                    "INSERT INTO templates (id, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                    params![id, name, now],
                )?;
                TemplateRow {
                    id,
                    name: name.to_string(),
                    created_at: now,
                    updated_at: now,
                    spawn_count: 0,
                    last_spawned_at: None,
                }
            }
        };
        let build = BuildRow {
            id: ids::build_id(),
            template_id: template.id.clone(),
            status: "waiting".into(),
            cpu_count,
            memory_mb,
            tags: tags.to_vec(),
            spec: None,
            reason_message: None,
            reason_step: None,
            created_at: now,
            updated_at: now,
        };
        tx.execute(
            "INSERT INTO builds (id, template_id, status, cpu_count, memory_mb, tags, created_at, updated_at) VALUES (?1, ?2, 'waiting', ?3, ?4, ?5, ?6, ?6)",
            params![
                build.id,
                build.template_id,
                cpu_count,
                memory_mb,
                serde_json::to_string(tags).unwrap_or_else(|_| "[]".into()),
                now
            ],
        )?;
        tx.commit()?;
        Ok((template, build))
    }

    /// A template by id, or by name (case-insensitive; a `:tag` suffix is ignored).
    pub fn find_template(&self, id_or_name: &str) -> DbResult<Option<TemplateRow>> {
        let conn = self.lock();
        let name = id_or_name
            .rsplit_once(':')
            .map_or(id_or_name, |(n, _)| n)
            .to_ascii_lowercase();
        conn.query_row(
            &format!("SELECT {TEMPLATE_COLS} FROM templates WHERE id = ?1 OR name = ?2 ORDER BY id = ?1 DESC LIMIT 1"),
            params![id_or_name, name],
            template_from,
        )
        .optional()
    }

    pub fn get_build(&self, template_id: &str, build_id: &str) -> DbResult<Option<BuildRow>> {
        let conn = self.lock();
        conn.query_row(
            &format!("SELECT {BUILD_COLS} FROM builds WHERE id = ?1 AND template_id = ?2"),
            params![build_id, template_id],
            build_from,
        )
        .optional()
    }

    /// Builds of a template, newest first.
    pub fn builds_of(&self, template_id: &str) -> DbResult<Vec<BuildRow>> {
        let conn = self.lock();
        let mut st = conn.prepare(&format!(
            "SELECT {BUILD_COLS} FROM builds WHERE template_id = ?1 ORDER BY seq DESC"
        ))?;
        let rows = st.query_map([template_id], build_from)?;
        rows.collect()
    }

    /// Starts a `waiting` build: stores its spec, sets it `building`, and supersedes
    /// every other unfinished build of the same template. Returns the build's memory.
    ///
    /// A build that is no longer `waiting` is refused (409) and nothing changes, so a
    /// repeated trigger is harmless. With a `limit`, refuses (and leaves the build
    /// `waiting`) while that many builds of other templates are `building`.
    pub fn trigger(
        &self,
        template_id: &str,
        build_id: &str,
        spec: &str,
        limit: Option<usize>,
    ) -> Result<i64, Refusal> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let row: Option<(String, Option<String>, Option<String>, i64)> = tx
            .query_row(
                "SELECT status, spec, reason_message, memory_mb FROM builds WHERE id = ?1 AND template_id = ?2",
                params![build_id, template_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let memory_mb = match row {
            None => {
                return Err(Refusal::NotFound(format!(
                    "build '{build_id}' of template '{template_id}' not found"
                )))
            }
            Some((status, _, _, memory)) if status == "waiting" => memory,
            // Superseded before it was ever triggered.
            Some((status, None, reason, _)) => {
                return Err(Refusal::Conflict(format!(
                    "build '{build_id}' can no longer be triggered (status {status}: {})",
                    reason.unwrap_or_default()
                )))
            }
            Some((status, Some(_), _, _)) => {
                return Err(Refusal::Conflict(format!(
                    "build '{build_id}' was already triggered (status {status})"
                )))
            }
        };
        check_limit(running_elsewhere(&tx, Some(template_id))?, limit)?;
        let others: Vec<String> = {
            let mut st = tx.prepare(
                "SELECT id FROM builds WHERE template_id = ?1 AND id != ?2 AND status IN ('waiting', 'building')",
            )?;
            let rows = st.query_map(params![template_id, build_id], |r| r.get(0))?;
            rows.collect::<DbResult<_>>()?
        };
        for other in others {
            end_unfinished(&tx, &other, &format!("superseded by build {build_id}"))?;
        }
        tx.execute(
            "UPDATE builds SET status = 'building', spec = ?2, updated_at = ?3 WHERE id = ?1",
            params![build_id, spec, now_ms()],
        )?;
        tx.commit()?;
        Ok(memory_mb)
    }

    /// Applies one finished phase of a running build. Returns false (and changes
    /// nothing) when the build is no longer `building`: superseded or deleted.
    pub fn apply_phase(
        &self,
        build_id: &str,
        entries: &[PlannedEntry],
        layer_key: Option<&str>,
        outcome: &Outcome,
    ) -> DbResult<bool> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let row: Option<(String, String, String)> = tx
            .query_row(
                "SELECT status, template_id, tags FROM builds WHERE id = ?1",
                [build_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((status, template_id, tags)) = row else {
            return Ok(false);
        };
        if status != "building" {
            return Ok(false);
        }
        append_entries(&tx, build_id, entries)?;
        let now = now_ms();
        if let Some(k) = layer_key {
            tx.execute(
                "INSERT OR IGNORE INTO layers (key, created_at) VALUES (?1, ?2)",
                params![k, now],
            )?;
        }
        match outcome {
            Outcome::Continue => {}
            Outcome::Fail { message, step } => {
                tx.execute(
                    "UPDATE builds SET status = 'error', reason_message = ?2, reason_step = ?3, updated_at = ?4 WHERE id = ?1",
                    params![build_id, message, step, now],
                )?;
            }
            Outcome::Ready => {
                tx.execute(
                    "UPDATE builds SET status = 'ready', updated_at = ?2 WHERE id = ?1",
                    params![build_id, now],
                )?;
                let tags: Vec<String> = serde_json::from_str(&tags).unwrap_or_default();
                for t in tags {
                    tx.execute(
                        "INSERT INTO tags (template_id, tag, build_id, created_at) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (template_id, tag) DO UPDATE SET build_id = ?3, created_at = ?4",
                        params![template_id, t, build_id, now],
                    )?;
                }
                tx.execute(
                    "UPDATE templates SET updated_at = ?2 WHERE id = ?1",
                    params![template_id, now],
                )?;
            }
        }
        tx.commit()?;
        Ok(true)
    }

    /// Log entries of a build from `offset` on, at or above `min_rank`, at most `limit`.
    pub fn logs(
        &self,
        build_id: &str,
        offset: i64,
        min_rank: i64,
        limit: i64,
    ) -> DbResult<Vec<LogRow>> {
        let conn = self.lock();
        let mut st = conn.prepare(
            "SELECT timestamp, level, message, step FROM log_entries WHERE build_id = ?1
             AND (CASE level WHEN 'debug' THEN 0 WHEN 'info' THEN 1 WHEN 'warn' THEN 2 WHEN 'error' THEN 3 ELSE 1 END) >= ?2
             ORDER BY seq LIMIT ?3 OFFSET ?4",
        )?;
        let rows = st.query_map(params![build_id, min_rank, limit, offset], |r| {
            Ok(LogRow {
                timestamp: r.get(0)?,
                level: r.get(1)?,
                message: r.get(2)?,
                step: r.get(3)?,
            })
        })?;
        rows.collect()
    }

    /// The error-level entries of a build (for `reason.logEntries`).
    pub fn error_logs(&self, build_id: &str) -> DbResult<Vec<LogRow>> {
        self.logs(build_id, 0, 3, 100)
    }

    pub fn layer_cached(&self, key: &str) -> DbResult<bool> {
        let conn = self.lock();
        conn.query_row("SELECT 1 FROM layers WHERE key = ?1", [key], |_| Ok(()))
            .optional()
            .map(|o| o.is_some())
    }

    pub fn upload_present(&self, hash: &str) -> DbResult<bool> {
        let conn = self.lock();
        conn.query_row("SELECT 1 FROM uploads WHERE hash = ?1", [hash], |_| Ok(()))
            .optional()
            .map(|o| o.is_some())
    }

    pub fn record_upload(&self, hash: &str, size: i64, sha256: &str) -> DbResult<()> {
        let conn = self.lock();
        conn.execute(
            "INSERT INTO uploads (hash, size, sha256, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (hash) DO UPDATE SET size = ?2, sha256 = ?3",
            params![hash, size, sha256, now_ms()],
        )?;
        Ok(())
    }

    /// The build that `reference` (`templateID`, `name` or `name:tag`) points at.
    /// A name without tag means the tag `default`; a template id means its newest
    /// ready build.
    pub fn resolve_ready_build(&self, reference: &str) -> Result<(TemplateRow, String), Refusal> {
        let template = self
            .find_template(reference)?
            .ok_or_else(|| Refusal::NotFound(format!("template '{reference}' not found")))?;
        let conn = self.lock();
        if reference == template.id {
            let build: Option<String> = conn
                .query_row(
                    "SELECT id FROM builds WHERE template_id = ?1 AND status = 'ready' ORDER BY seq DESC LIMIT 1",
                    [&template.id],
                    |r| r.get(0),
                )
                .optional()?;
            return build.map(|b| (template.clone(), b)).ok_or_else(|| {
                Refusal::BadRequest(format!("template '{reference}' has no ready build"))
            });
        }
        let tag = reference.rsplit_once(':').map_or(DEFAULT_TAG, |(_, t)| t);
        let build: Option<String> = conn
            .query_row(
                "SELECT build_id FROM tags WHERE template_id = ?1 AND tag = ?2",
                params![template.id, tag],
                |r| r.get(0),
            )
            .optional()?;
        build.map(|b| (template.clone(), b)).ok_or_else(|| {
            Refusal::NotFound(format!(
                "template '{}' has no build tagged '{tag}'",
                template.name
            ))
        })
    }

    /// Moves `tags` to the build that `name:tag` points at. Returns that build id.
    pub fn assign_tags(
        &self,
        name: &str,
        source_tag: &str,
        tags: &[String],
    ) -> Result<String, Refusal> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let template_id: String = tx
            .query_row("SELECT id FROM templates WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| Refusal::NotFound(format!("template '{name}' not found")))?;
        let build_id: String = tx
            .query_row(
                "SELECT build_id FROM tags WHERE template_id = ?1 AND tag = ?2",
                params![template_id, source_tag],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                Refusal::NotFound(format!(
                    "template '{name}' has no build tagged '{source_tag}'"
                ))
            })?;
        let now = now_ms();
        for t in tags {
            tx.execute(
                "INSERT INTO tags (template_id, tag, build_id, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (template_id, tag) DO UPDATE SET build_id = ?3, created_at = ?4",
                params![template_id, t, build_id, now],
            )?;
        }
        tx.commit()?;
        Ok(build_id)
    }

    /// Removes `tags` from the template `name`; all must exist, or nothing changes.
    pub fn remove_tags(&self, name: &str, tags: &[String]) -> Result<(), Refusal> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let template_id: String = tx
            .query_row("SELECT id FROM templates WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| Refusal::NotFound(format!("template '{name}' not found")))?;
        for t in tags {
            let n = tx.execute(
                "DELETE FROM tags WHERE template_id = ?1 AND tag = ?2",
                params![template_id, t],
            )?;
            if n == 0 {
                return Err(Refusal::NotFound(format!(
                    "template '{name}' has no tag '{t}'"
                )));
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn tags_of(&self, template_id: &str) -> DbResult<Vec<TagRow>> {
        let conn = self.lock();
        let mut st = conn.prepare(
            "SELECT tag, build_id, created_at FROM tags WHERE template_id = ?1 ORDER BY tag",
        )?;
        let rows = st.query_map([template_id], |r| {
            Ok(TagRow {
                tag: r.get(0)?,
                build_id: r.get(1)?,
                created_at: r.get(2)?,
            })
        })?;
        rows.collect()
    }

    /// True if `name[:tag]` exists: the template, and the tag when one is given.
    pub fn alias_exists(&self, name: &str, tag: Option<&str>) -> DbResult<Option<TemplateRow>> {
        let Some(t) = self.find_template(name)? else {
            return Ok(None);
        };
        if t.name != name {
            return Ok(None);
        }
        match tag {
            None => Ok(Some(t)),
            Some(tag) => {
                let conn = self.lock();
                let found = conn
                    .query_row(
                        "SELECT 1 FROM tags WHERE template_id = ?1 AND tag = ?2",
                        params![t.id, tag],
                        |_| Ok(()),
                    )
                    .optional()?;
                Ok(found.map(|_| t))
            }
        }
    }

    /// One page of templates, newest first, and the total count.
    pub fn list_templates(&self, page: i64, limit: i64) -> DbResult<(Vec<TemplateRow>, i64)> {
        let conn = self.lock();
        let total: i64 = conn.query_row("SELECT COUNT(*) FROM templates", [], |r| r.get(0))?;
        let mut st = conn.prepare(&format!(
            "SELECT {TEMPLATE_COLS} FROM templates ORDER BY created_at DESC, id LIMIT ?1 OFFSET ?2"
        ))?;
        let rows = st.query_map(params![limit, (page - 1) * limit], template_from)?;
        Ok((rows.collect::<DbResult<_>>()?, total))
    }

    /// Deletes a template with its builds, tags and logs. Running builds stop at their
    /// next phase because their row is gone.
    pub fn delete_template(&self, template_id: &str) -> DbResult<bool> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        tx.execute(
            "DELETE FROM log_entries WHERE build_id IN (SELECT id FROM builds WHERE template_id = ?1)",
            [template_id],
        )?;
        tx.execute("DELETE FROM builds WHERE template_id = ?1", [template_id])?;
        tx.execute("DELETE FROM tags WHERE template_id = ?1", [template_id])?;
        let n = tx.execute("DELETE FROM templates WHERE id = ?1", [template_id])?;
        tx.commit()?;
        Ok(n > 0)
    }

    pub fn create_sandbox(&self, template_id: &str, build_id: &str) -> DbResult<SandboxRow> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let now = now_ms();
        let row = SandboxRow {
            id: format!("sbx{}", ids::short_id(17)),
            client_id: ids::short_id(8),
            template_id: template_id.to_string(),
        };
        tx.execute(
            "INSERT INTO sandboxes (id, client_id, template_id, build_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![row.id, row.client_id, template_id, build_id, now],
        )?;
        tx.execute(
            "UPDATE templates SET spawn_count = spawn_count + 1, last_spawned_at = ?2 WHERE id = ?1",
            params![template_id, now],
        )?;
        tx.commit()?;
        Ok(row)
    }

    pub fn delete_sandbox(&self, id: &str) -> DbResult<bool> {
        let conn = self.lock();
        Ok(conn.execute("DELETE FROM sandboxes WHERE id = ?1", [id])? > 0)
    }
}
