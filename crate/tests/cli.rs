//! The native CLI as a user runs it.

use std::process::Command;

fn vmsync(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vmsync"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn layout_json_has_the_design_fields() {
    let (ok, out, err) = vmsync(&[
        "layout",
        "--mode",
        "pae",
        "--split",
        "3G",
        "--ram",
        "0x1FFE0000",
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for (k, want) in [
        ("page_offset", "0xc0000000"),
        ("high_memory", "0xdffe0000"),
        ("vmalloc_start", "0xe07e0000"),
        ("vmalloc_end", "0xfeffe000"),
        ("pkmap_base", "0xff000000"),
        ("fixaddr_start", "0xffdb8000"),
        ("cpu_entry_area_base", "0xff400000"),
        ("ldt_base", "0xff200000"),
        ("sync_level", "pmd"),
    ] {
        assert_eq!(v[k], want, "{k}");
    }
    assert_eq!(v["vmalloc_sync_slots"], 245);
    assert_eq!(v["kernel_sync_slots"], 512);
    assert_eq!(v["prealloc_bytes"], 245 * 4096);
    assert_eq!(v["vmalloc_total_kb"], (0xFEFF_E000u64 - 0xE07E_0000) / 1024);
}

#[test]
fn layout_sizes_and_64_bit() {
    let (ok, out, _) = vmsync(&["layout", "--mode", "x86-64", "--ram", "4G", "--json"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["vmalloc_start"], "0xffffc90000000000");
    assert_eq!(v["high_memory"], "0xffff888100000000");
    assert_eq!(v["vmalloc_sync_slots"], 64);
    assert_eq!(v["prealloc_bytes"], 262144);
    assert!(v.get("pkmap_base").is_none());
    let (ok, out, _) = vmsync(&["layout", "--mode", "pae", "--split", "1G", "--ram", "512M"]);
    assert!(ok);
    assert!(out.contains("email_estimate_slots 1272"), "{out}");
    assert!(out.contains("vmalloc_sync_slots   1268"), "{out}");
}

#[test]
fn bad_flags_are_refused_clearly() {
    for (args, needle) in [
        (
            &["layout", "--mode", "pae", "--split", "3G_OPT"][..],
            "needs PAE off",
        ),
        (&["layout", "--mode", "mips"][..], "unknown mode"),
        (&["layout", "--ram", "12Q"][..], "not a size"),
        (&["layout", "--pti", "maybe"][..], "on or off"),
        (
            &["layout", "--mode", "x86-64", "--sync", "shared-pmd"][..],
            "shared kernel PMDs",
        ),
        (&["run", "no/such/file.vms"][..], "cannot read"),
    ] {
        let (ok, _, err) = vmsync(args);
        assert!(!ok, "{args:?} succeeded");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn run_and_ptdump_a_scenario() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let file = dir.join("stale-huge-pmd.vms");
    let (ok, out, err) = vmsync(&["run", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("-> stale"), "{out}");
    assert!(out.contains("bugs 1"), "{out}");
    let (ok, out, _) = vmsync(&["run", file.to_str().unwrap(), "--json"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["metrics"]["bugs"], 1);
    // The page's texts, laid out: every address a "0x…" string, exact in 64 bits.
    let addresses: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["result"]["result"]["value"])
        .filter(|v| v["kind"] == "address")
        .map(|v| v["value"].as_str().expect("an address as a string"))
        .collect();
    assert!(!addresses.is_empty(), "{out}");
    assert!(
        addresses.iter().all(|a| a.starts_with("0x")),
        "{addresses:?}"
    );
    assert!(out.contains("\n  \"steps\": [\n"), "{out}");
    let lazy = dir.join("fork-then-vmalloc-lazy.vms");
    let (ok, out, err) = vmsync(&["ptdump", lazy.to_str().unwrap(), "--process", "A"]);
    assert!(ok, "{err}");
    assert!(out.contains("---[ vmalloc() Area ]---"), "{out}");
    assert!(
        out.contains("0xe07e0000-0xe07f0000          64K     RW                 GLB NX pte"),
        "{out}"
    );
    let (ok, _, err) = vmsync(&["ptdump", lazy.to_str().unwrap(), "--process", "Z"]);
    assert!(!ok);
    assert!(err.contains("no live process 'Z'"), "{err}");
}

#[test]
fn a_failing_scenario_exits_non_zero_with_its_line() {
    let path = std::env::temp_dir().join(format!("vmsync-cli-{}.vms", std::process::id()));
    std::fs::write(&path, "config mode=pae strategy=none\nfork A\nallocate a 4K\naccess A a\nexpect outcome fault-fixed\n").unwrap();
    let (ok, _, err) = vmsync(&["run", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert!(!ok);
    assert!(err.contains("line 5"), "{err}");
    assert!(err.contains("the last access was oops"), "{err}");
}

#[test]
fn compare_prints_every_era_and_marks_where_they_part() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/scenarios/race-5.9.vms");
    let (ok, out, err) = vmsync(&["compare", file]);
    assert!(ok, "{err}");
    for era in ["era:5.2", "era:5.3", "era:5.8", "era:5.9", "era:6.17"] {
        assert!(out.contains(era), "{era} missing:\n{out}");
    }
    assert!(out.contains("* the policies part first at line"), "{out}");
    let (ok, out, err) = vmsync(&[
        "compare", file, "--sync", "era:5.8", "--sync", "era:5.9", "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let cols = v["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 2);
    let access = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r["op"] == "access A second")
        .unwrap();
    assert_eq!(cols[0]["cells"][access]["outcome"], "oops");
    assert_eq!(cols[1]["cells"][access]["outcome"], "fault-fixed");
    let (ok, _, err) = vmsync(&["compare", file, "--sync", "era:2.6"]);
    assert!(!ok);
    assert!(err.contains("unknown kernel era '2.6'"), "{err}");
}

#[test]
fn the_cli_refuses_what_the_limits_refuse() {
    let dir = std::env::temp_dir().join(format!("vmsync-cli-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("long-name.vms");
    std::fs::write(&f, format!("config mode=pae\nfork {}\n", "x".repeat(5000))).unwrap();
    let (ok, _, err) = vmsync(&["run", f.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("a name has at most 32 characters"), "{err}");
    assert!(err.len() < 300, "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
