//! What every step of a few scenarios reported, as JSON text (`step_results.json`): the
//! page reads results as records (`crate::record`, `www/src/lib/record.js`), and
//! `scripts/record.test.mjs` holds its reading of them, in wasm, to this text. Between
//! them the scenarios report every kind of event, value, outcome and operation field,
//! which the test checks, so that the file cannot quietly cover less.
//!
//! After an intended change to what operations report: `UPDATE_EXPECT=1 cargo test
//! --test step_results`, and read the diff.

use serde_json::Value;
use std::collections::BTreeSet;
use vmsync::json_out::{HistoryStep, JsonOut};
use vmsync::script::Session;

/// The scenarios: texts of their own, so that the file stands alone.
const SCENARIOS: [&str; 7] = [
    // Forks, vmalloc with and without preempt, ioremap, the 32-bit syncs, every outcome of
    // an access but an oops, unmap, exit (tables freed), resume.
    "config mode=pae split=3G pti=on strategy=tracked+fault huge-ioremap=on
fork A
fork B
allocate first 8K preempt
allocate second 8K
access A second
resume
map io 0xfe000000 2M
sync mappings
access A io
unmap io
access A 0xe0800000
map io2 0xfc000000 2M
sync mappings
sync unmappings
exit B
",
    // A stale huge PMD: a stale access, then a BUG_ON in the sync.
    "config mode=pae split=3G pti=on strategy=lazy huge-ioremap=on
fork A
map io 0xfe000000 2M
sync mappings
unmap io
access A 0xe0800000
map io2 0xfc000000 2M
sync mappings
",
    // An oops, and its dump.
    "config mode=x86-64 strategy=none
fork A
allocate buf 64K
access A buf
",
    // Device hot-add by a process (a note) and the other kinds.
    "config mode=x86-64 pti=on strategy=era:6.16
fork A
hotplug pm 0x200000000000 2M pmem by A
hotplug dx 0x280000000000 2M dax
hotplug mem 0x100000000000 128M
",
    // The LDT remap with PTI.
    "config mode=x86-64 pti=on strategy=era:6.1
fork A
ldt A
",
    // 5-level, and the 64-bit sync.
    "config mode=la57 strategy=eager
fork A
allocate buf 16M
unmap buf
sync global
",
    "config mode=x86-32 strategy=lazy
fork A
allocate buf 64K
access A buf
",
];

fn steps(text: &str) -> Vec<String> {
    let s = Session::from_text(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    (0..s.history().len())
        .map(|i| {
            HistoryStep {
                op: &s.history()[i],
                result: &s.record(i).expect("a record").result,
            }
            .text()
        })
        .collect()
}

#[test]
fn step_results_json_is_current_and_covers_every_kind() {
    let mut out = JsonOut::with_capacity(1 << 16);
    out.raw("{\"scenarios\":[");
    let mut seen = BTreeSet::new();
    for (i, text) in SCENARIOS.iter().enumerate() {
        out.raw(if i == 0 {
            "\n{\"text\":"
        } else {
            ",\n{\"text\":"
        });
        out.str(text);
        out.raw(",\"steps\":[");
        for (j, step) in steps(text).iter().enumerate() {
            out.raw(if j > 0 { ",\n" } else { "\n" });
            out.raw(step);
            let v: Value = serde_json::from_str(step).expect("JSON");
            seen.insert(format!("op {}", v["op"]["op"].as_str().unwrap()));
            for k in v["op"].as_object().unwrap().keys() {
                seen.insert(format!("op field {k}"));
            }
            let value = &v["value"];
            seen.insert(format!("value {}", value["kind"].as_str().unwrap()));
            if value["kind"] == "access" {
                let outcome = &value["value"]["outcome"];
                seen.insert(format!("outcome {}", outcome["kind"].as_str().unwrap()));
                if value["value"].get("oops_dump").is_some() {
                    seen.insert("oops dump".into());
                }
            }
            for e in v["events"].as_array().unwrap() {
                seen.insert(format!("event {}", e["type"].as_str().unwrap()));
            }
        }
        out.raw("]}");
    }
    out.raw("\n]}\n");
    // One step per line: a change shows as the lines of the steps it changed.
    expect_test::expect_file!["step_results.json"].assert_eq(&out.finish());

    let cat = vmsync::catalog::catalog();
    let mut want: BTreeSet<String> = cat.events.iter().map(|e| format!("event {e}")).collect();
    want.extend(cat.outcomes.iter().map(|o| format!("outcome {o}")));
    want.extend(
        ["none", "address", "pid", "access"]
            .iter()
            .map(|k| format!("value {k}")),
    );
    want.extend(
        [
            "fork", "exit", "allocate", "map", "unmap", "sync", "resume", "access", "hotplug",
            "ldt",
        ]
        .iter()
        .map(|o| format!("op {o}")),
    );
    want.extend(
        ["preempt", "kind", "by", "phys", "addr", "process"]
            .iter()
            .map(|f| format!("op field {f}")),
    );
    want.insert("oops dump".into());
    let missing: Vec<_> = want.difference(&seen).collect();
    assert!(missing.is_empty(), "step_results.json lacks {missing:?}");
}
