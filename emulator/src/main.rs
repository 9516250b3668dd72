//! The `novita-emulator` binary: parses the command line, starts the server, prints
//! the URL and the API key, and runs until Ctrl-C or SIGTERM.

use std::io::Write;
use std::process::ExitCode;

use novita_emulator::config::{parse_args, Command, HELP};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse_args(&args) {
        Ok(Command::Run(c)) => *c,
        Ok(Command::Help) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("novita-emulator {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("novita-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("novita-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let handle = match novita_emulator::run(config).await {
            Ok(h) => h,
            Err(e) => {
                eprintln!("novita-emulator: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", handle.url());
        let _ = writeln!(out, "api key: {}", handle.api_key);
        let _ = out.flush();
        drop(out);
        eprintln!(
            "novita-emulator: data in {}{}",
            handle.data_dir.display(),
            if handle.temporary_data_dir {
                " (temporary, removed on exit)"
            } else {
                ""
            }
        );
        wait_for_signal().await;
        handle.stop().await;
        ExitCode::SUCCESS
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
