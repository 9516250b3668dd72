//! State survives a restart on the same data directory; a build that was running
//! when the emulator stopped is marked interrupted, never left `building`.

use std::time::Duration;

use crate::support::*;
use novita_emulator::Config;

#[test]
fn templates_builds_tags_and_uploads_survive_a_restart() {
    let dir = temp_dir("restart");
    let mut emu = Emu::with_config(config(&dir));
    let (t, b, s, _) = emu.build("keeper:v1", &run_body(&["echo keep"]));
    assert_eq!(s["status"], "ready");
    let hash = hash_of(0x77);
    assert_eq!(emu.upload(&t, &hash, &tar_gz("k", b"k")).status, 200);
    emu.stop();

    let again = Emu::with_config(config(&dir));
    assert_ne!(again.url, "");
    let got = again.get("/templates/keeper").json();
    assert_eq!(got["templateID"], t.as_str());
    assert_eq!(got["builds"][0]["buildID"], b.as_str());
    assert_eq!(got["builds"][0]["status"], "ready");
    assert_eq!(again.get("/templates/keeper/tags").json()[0]["tag"], "v1");
    assert_eq!(
        again.get(&format!("/templates/{t}/files/{hash}")).json()["present"],
        true
    );
    assert_eq!(again.status(&t, &b, 0)["status"], "ready");
    // the layer cache survives too
    let (_, _, _, m) = again.build("keeper:v1", &run_body(&["echo keep"]));
    assert!(
        m.contains(&"CACHED [builder 1/1] RUN echo keep".to_string()),
        "{m:#?}"
    );
    drop(again);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_build_running_at_stop_is_marked_interrupted() {
    let dir = temp_dir("interrupt");
    let slow = Config {
        step_ms: 5_000,
        ..config(&dir)
    };
    let mut emu = Emu::with_config(slow.clone());
    let (t, b) = emu.request_build("slow");
    assert_eq!(emu.trigger(&t, &b, &run_body(&["sleep"])).status, 202);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(emu.status(&t, &b, 0)["status"], "building");
    emu.stop();

    let again = Emu::with_config(slow);
    let s = again.status(&t, &b, 0);
    assert_eq!(s["status"], "error");
    assert_eq!(
        s["reason"]["message"],
        "interrupted: the emulator restarted during this build"
    );
    assert!(s["reason"].get("step").is_none(), "not the step's fault");
    // The reason is logged as an error of the step the build was in (50 ms into a
    // 5 s base step).
    let last = s["logEntries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["message"], s["reason"]["message"]);
    assert_eq!(last["level"], "error");
    assert_eq!(last["step"], "base");
    drop(again);
    let _ = std::fs::remove_dir_all(dir);
}
