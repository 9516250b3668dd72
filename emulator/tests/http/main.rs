//! HTTP-level tests of the emulator: each starts a server in-process on
//! 127.0.0.1:0 with its own data directory and talks to it over real sockets.

mod bad_input;
mod build_logs;
mod builds;
mod cors_static;
mod endpoints;
mod failure_causes;
mod faults;
mod fixtures;
mod persistence;
mod registry;
mod repeats;
mod support;
