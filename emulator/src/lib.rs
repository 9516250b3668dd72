//! novita-emulator: a local emulator of the Novita sandbox template REST API.
//!
//! It keeps real state (SQLite, content-addressed uploads) and plays builds as a
//! timed state machine with per-step logs and layer caching, but it never pulls an
//! image or runs a command. [`run`] starts a server and returns a [`Handle`]; the
//! binary and the tests share it.

pub mod api;
pub mod builder;
pub mod cache_key;
pub mod clock;
pub mod config;
pub mod cors;
pub mod faults;
pub mod ids;
pub mod plan;
pub mod registry;
pub mod reply;
pub mod server;
pub mod spec;
pub mod static_files;
pub mod step_output;
pub mod store;
pub mod tarball;
pub mod validation;

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::api::AppState;
use crate::builder::Builder;
pub use crate::config::Config;
use crate::faults::FaultInjector;
use crate::server::Front;
use crate::store::Store;

/// A running emulator.
pub struct Handle {
    pub addr: SocketAddr,
    /// The key to use (the first accepted one).
    pub api_key: String,
    pub data_dir: PathBuf,
    /// True when the data directory is a temporary one that `stop` removes.
    pub temporary_data_dir: bool,
    shutdown: watch::Sender<bool>,
    accept: JoinHandle<()>,
    state: Arc<AppState>,
}

impl Handle {
    /// `http://HOST:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, closes open connections, stops running builds (they are
    /// marked interrupted at the next start on the same data directory) and
    /// removes a temporary data directory.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        self.state.builder.abort_all();
        let _ = self.accept.await;
        if self.temporary_data_dir {
            let _ = std::fs::remove_dir_all(&self.data_dir);
        }
    }
}

fn io_error(what: &str, e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("{what}: {e}"))
}

/// Starts the emulator described by `config`.
pub async fn run(mut config: Config) -> io::Result<Handle> {
    if config.api_keys.is_empty() {
        config.api_keys.push(ids::api_key());
    }
    let (data_dir, temporary_data_dir) = match &config.data_dir {
        Some(d) => (d.clone(), false),
        None => (
            std::env::temp_dir().join(format!(
                "novita-emulator-{}-{}",
                std::process::id(),
                ids::short_id(8)
            )),
            true,
        ),
    };
    let uploads_dir = data_dir.join("uploads");
    std::fs::create_dir_all(&uploads_dir)
        .map_err(|e| io_error(&format!("cannot create {}", uploads_dir.display()), e))?;
    let store =
        Arc::new(Store::open(&data_dir).map_err(|e| io_error("cannot open the database", e))?);
    let upload_secret = store
        .upload_secret()
        .map_err(|e| io_error("cannot read the database", e))?;

    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let state = Arc::new(AppState {
        builder: Builder::new(
            store.clone(),
            config.step_ms,
            config
                .step_timeout_ms
                .unwrap_or(config.step_ms.saturating_mul(10)),
        ),
        store,
        upload_secret,
        uploads_dir,
        fallback_host: addr.to_string(),
        config: config.clone(),
    });
    let front = Arc::new(Front {
        router: api::router(state.clone()),
        registry: registry::router(),
        faults: FaultInjector::new(config.faults.clone()),
        api_keys: config.api_keys.clone(),
        state: state.clone(),
    });
    let (shutdown, stop_rx) = watch::channel(false);
    let accept = tokio::spawn(accept_loop(listener, front, stop_rx));
    Ok(Handle {
        addr,
        api_key: config.api_keys[0].clone(),
        data_dir,
        temporary_data_dir,
        shutdown,
        accept,
        state,
    })
}

async fn accept_loop(listener: TcpListener, front: Arc<Front>, mut stop: watch::Receiver<bool>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else { continue };
                let front = front.clone();
                let mut stop = stop.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |req| front.clone().handle(req));
                    let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                    tokio::select! {
                        _ = conn => {}
                        _ = stop.changed() => {}
                    }
                });
                while connections.try_join_next().is_some() {}
            }
        }
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

/// An emulator on its own runtime thread, for blocking callers (tests).
pub struct BackgroundServer {
    runtime: Option<tokio::runtime::Runtime>,
    handle: Option<Handle>,
    pub url: String,
    pub api_key: String,
    pub data_dir: PathBuf,
}

impl BackgroundServer {
    pub fn start(config: Config) -> io::Result<BackgroundServer> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let handle = runtime.block_on(run(config))?;
        Ok(BackgroundServer {
            url: handle.url(),
            api_key: handle.api_key.clone(),
            data_dir: handle.data_dir.clone(),
            runtime: Some(runtime),
            handle: Some(handle),
        })
    }

    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let (Some(rt), Some(h)) = (self.runtime.take(), self.handle.take()) {
            rt.block_on(h.stop());
            rt.shutdown_timeout(std::time::Duration::from_secs(2));
        }
    }
}

impl Drop for BackgroundServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}
