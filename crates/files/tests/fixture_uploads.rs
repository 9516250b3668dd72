//! The tar written for each uploaded COPY step of fixtures 03, 04, 04b and
//! 06 has the entries, header fields and contents the official upload had.

mod support;

use novita_template_files::{plan_copy, CopyContext, IgnoreSet, TarWriter};
use serde_json::Value;
use support::{copy_hash_inputs, load_fixture, parse_tar, s, FixtureContext};

/// (fixture, context) pairs; 06 reuses the copy context.
const FIXTURES: [(&str, &str); 4] = [
    ("03-dockerfile.json", "inputs/dockerfile-context"),
    ("04-copy.json", "inputs/copy-context"),
    ("04b-copy-globs.json", "inputs/copy-context"),
    ("06-skip-cache.json", "inputs/copy-context"),
];

fn uploads(v: &Value) -> Vec<(String, Value)> {
    let mut all = Vec::new();
    support::collect(v, "uploads", &mut all);
    all.into_iter()
        .flat_map(|u| u.as_object().cloned().unwrap_or_default())
        .collect()
}

#[test]
fn uploaded_archives_match_the_sdk() {
    let all_steps: Vec<Value> = FIXTURES
        .iter()
        .flat_map(|(f, _)| copy_hash_inputs(&load_fixture(f)))
        .collect();
    let (mut archives, mut entries_checked) = (0, 0);
    for (fixture, input) in FIXTURES {
        let same_context: Vec<Value> = FIXTURES
            .iter()
            .filter(|(_, i)| *i == input)
            .flat_map(|(f, _)| copy_hash_inputs(&load_fixture(f)))
            .collect();
        let ctx = FixtureContext::new(input, &same_context);
        let dockerignore = ctx
            .contents
            .get(".dockerignore")
            .map(|b| String::from_utf8_lossy(b).into_owned());
        let ignore = IgnoreSet::for_template::<&str>(&[], dockerignore.as_deref()).expect("ignore");
        for (hash, upload) in uploads(&load_fixture(fixture)) {
            // The step that produced this hash (06's a.txt is recorded in 04).
            let step = all_steps
                .iter()
                .find(|st| st["filesHash"] == hash.as_str())
                .expect("step for upload");
            let resolve = step["resolveSymlinks"].as_bool().expect("bool");
            let plan = plan_copy(
                &ctx.tree,
                s(step, "src"),
                s(step, "dest"),
                CopyContext {
                    context_display: "ctx",
                    ignore: &ignore,
                },
                resolve,
            )
            .expect("plan");
            let want = upload["entries"].as_array().expect("entries");
            // uid/gid/mtime vary between runs: take them from the fixture.
            let owner = |i: usize| {
                let e = &want[i.min(want.len() - 1)];
                let num = |k: &str| u64::from_str_radix(s(e, k).trim(), 8).expect("octal");
                (num("uid"), num("gid"), num("mtime"))
            };
            let mut w = TarWriter::new(Vec::new());
            let mut i = 0;
            for e in &plan.entries {
                let Some(t) = &e.tar else { continue };
                let (uid, gid, mtime) = owner(i);
                w.begin(&t.header(uid, gid, mtime)).expect("header");
                if e.needs_bytes() {
                    w.data(&ctx.read(e.read_path()).expect("bytes"))
                        .expect("data");
                }
                i += 1;
            }
            let tar = w.finish().expect("finish");
            assert_eq!(
                tar.len() as u64,
                upload["uncompressedBytes"].as_u64().expect("size"),
                "{fixture} {hash}: tar length"
            );
            let got = parse_tar(&tar);
            assert_eq!(got.len(), want.len(), "{fixture} {hash}: entry count");
            for (g, w) in got.iter().zip(want) {
                let magic: String = serde_json::from_str(s(w, "magic")).expect("magic json");
                let fields = [
                    ("name", &g.name),
                    ("mode", &g.mode),
                    ("uid", &g.uid),
                    ("gid", &g.gid),
                    ("mtime", &g.mtime),
                    ("typeflag", &g.typeflag),
                    ("linkname", &g.linkname),
                    ("uname", &g.uname),
                    ("gname", &g.gname),
                    ("prefix", &g.prefix),
                ];
                for (k, v) in fields {
                    assert_eq!(v, s(w, k), "{fixture} {hash} {}: {k}", g.name);
                }
                assert_eq!(g.magic, magic, "{fixture} {}: magic", g.name);
                assert_eq!(
                    g.size,
                    w["size"].as_u64().expect("size"),
                    "{fixture} {}: size",
                    g.name
                );
                if let Some(text) = w["contentUtf8"].as_str() {
                    assert_eq!(
                        String::from_utf8_lossy(&g.data),
                        text,
                        "{fixture} {}: content",
                        g.name
                    );
                }
                entries_checked += 1;
            }
            archives += 1;
        }
    }
    println!("fixture uploads: {archives} archives, {entries_checked} tar entries equal");
    assert_eq!(
        archives,
        2 * 2 + 7 + 4 + 1,
        "03 (two registry modes), 04, 04b and 06 uploads"
    );
}
