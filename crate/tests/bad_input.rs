//! Every kind of bad input gets a typed error that says what was wrong, and changes nothing.

use vmsync::config::{parse_size, Config, Policy, Split, Strategy};
use vmsync::script::{ConfigSpec, Session};
use vmsync::{ErrorKind, Field, Machine, Mode};

fn spec(mode: &str, f: impl FnOnce(&mut ConfigSpec)) -> vmsync::Result<Config> {
    let mut s = ConfigSpec {
        mode: mode.into(),
        ..Default::default()
    };
    f(&mut s);
    s.to_config()
}

fn kind<T: std::fmt::Debug>(r: vmsync::Result<T>) -> ErrorKind {
    let e = r.expect_err("should be refused");
    assert!(!e.message.is_empty());
    e.kind
}

/// The kind of an error and the input it is about (`Error.field`, as JavaScript sees it).
fn refusal<T: std::fmt::Debug>(r: vmsync::Result<T>) -> (ErrorKind, Option<&'static str>) {
    let e = r.expect_err("should be refused");
    assert!(!e.message.is_empty());
    (e.kind, e.field.map(Field::name))
}

#[test]
fn invalid_configurations() {
    use ErrorKind::*;
    type Set = fn(&mut ConfigSpec);
    // Mode, the settings, the error, and the setting it is about.
    let cases: [(&str, Set, ErrorKind, Option<&str>); 21] = [
        (
            "pae",
            |s| s.split = Some("3G_OPT".into()),
            InvalidConfig,
            Some("split"),
        ),
        (
            "pae",
            |s| s.split = Some("2G_OPT".into()),
            InvalidConfig,
            Some("split"),
        ),
        (
            "x86-32",
            |s| s.huge_ioremap = Some(true),
            InvalidConfig,
            Some("huge_ioremap"),
        ),
        ("x86-32", |s| s.pti = Some(true), InvalidConfig, Some("pti")),
        (
            "x86-32",
            |s| s.ram = Some("5G".into()),
            InvalidConfig,
            Some("ram"),
        ),
        (
            "pae",
            |s| s.ram = Some("65G".into()),
            InvalidConfig,
            Some("ram"),
        ),
        (
            "pae",
            |s| s.ram = Some("1M".into()),
            InvalidConfig,
            Some("ram"),
        ),
        (
            "pae",
            |s| s.ram = Some("0x4000123".into()),
            InvalidConfig,
            Some("ram"),
        ),
        (
            "x86-64",
            |s| s.split = Some("3G".into()),
            InvalidConfig,
            Some("split"),
        ),
        (
            "x86-64",
            |s| s.vmalloc = Some("64M".into()),
            InvalidConfig,
            Some("vmalloc"),
        ),
        (
            "x86-64",
            |s| s.strategy = Some("shared-pmd".into()),
            InvalidConfig,
            Some("strategy"),
        ),
        (
            "pae",
            |s| s.strategy = Some("prealloc".into()),
            InvalidConfig,
            Some("strategy"),
        ),
        (
            "x86-64",
            |s| s.strategy = Some("tracked+fault".into()),
            InvalidConfig,
            Some("strategy"),
        ),
        (
            "pae",
            |s| s.strategy = Some("shared-pmd".into()),
            InvalidConfig,
            Some("strategy"),
        ),
        (
            "pae",
            |s| s.strategy = Some("era:2.6".into()),
            InvalidConfig,
            Some("strategy"),
        ),
        (
            "pae",
            |s| s.strategy = Some("sometimes".into()),
            InvalidConfig,
            Some("strategy"),
        ),
        ("mips", |_| {}, InvalidConfig, Some("mode")),
        (
            "pae",
            |s| s.split = Some("4G".into()),
            InvalidConfig,
            Some("split"),
        ),
        (
            "pae",
            |s| s.nr_cpus = Some(0),
            InvalidConfig,
            Some("nr_cpus"),
        ),
        (
            "pae",
            |s| s.nr_cpus = Some(65),
            InvalidConfig,
            Some("nr_cpus"),
        ),
        ("pae", |s| s.ram = Some("lots".into()), BadSize, Some("ram")),
    ];
    for (mode, set, want, field) in cases {
        let got = refusal(spec(mode, set));
        assert_eq!(got, (want, field), "{mode}: {:?}", {
            let mut s = ConfigSpec::default();
            set(&mut s);
            s
        });
    }
    // A vmalloc= reserve so large that no lowmem is left.
    assert_eq!(
        refusal(spec("pae", |s| s.vmalloc = Some("4000M".into()))),
        (InvalidConfig, Some("vmalloc"))
    );
    // One whose reserve (vmalloc= + 8 MiB) does not fit in 64 bits: refused, not a panic.
    assert_eq!(
        refusal(spec("pae", |s| s.vmalloc = Some("0xfffffffffffffff8".into()))),
        (InvalidConfig, Some("vmalloc"))
    );
    assert_eq!(
        refusal(spec("pae", |s| s.vmalloc = Some("big".into()))),
        (BadSize, Some("vmalloc"))
    );
    // An unknown key is about no one setting; a wrong value of a known key is about it.
    assert_eq!(
        refusal(ConfigSpec::from_json(r#"{"mode":"pae","colour":"red"}"#)),
        (InvalidConfig, None)
    );
    assert_eq!(
        refusal(ConfigSpec::from_json(r#"{"mode":"pae","pti":"on"}"#)),
        (InvalidConfig, Some("pti"))
    );
    // NR_CPUS: a whole number, or its decimal digits as a string (a form's text), in the
    // mode's range; anything else is about nr_cpus.
    for bad in [
        r#""abc""#,
        r#""4.0""#,
        r#"" 4""#,
        "4.5",
        "-1",
        "0",
        "65",
        r#""65""#,
        "4294967296",
        "true",
        "[4]",
    ] {
        let json = format!(r#"{{"mode":"pae","nr_cpus":{bad}}}"#);
        let got = ConfigSpec::from_json(&json).and_then(|s| s.to_config());
        assert_eq!(refusal(got), (InvalidConfig, Some("nr_cpus")), "{json}");
    }
    for (good, n) in [("4", 4), (r#""4""#, 4), (r#""64""#, 64), ("null", 32)] {
        let json = format!(r#"{{"mode":"pae","nr_cpus":{good}}}"#);
        let c = ConfigSpec::from_json(&json).and_then(|s| s.to_config());
        assert_eq!(c.map(|c| c.preset.nr_cpus), Ok(n), "{json}");
    }
    // The same checks hold when a Config is built by hand.
    let mut c = Config::new(Mode::Pae);
    c.split = Some(Split::S3GOpt);
    assert_eq!(kind(Machine::new(c)), InvalidConfig);
    let mut c = Config::new(Mode::X86_64);
    c.strategy = Policy::Strategy(Strategy::SharedPmd);
    assert_eq!(kind(Machine::new(c)), InvalidConfig);
}

#[test]
fn eras_resolve_per_mode() {
    let b = |mode: &str, pti: bool, era: &str| {
        spec(mode, |s| {
            s.pti = Some(pti);
            s.strategy = Some(format!("era:{era}"));
        })
        .unwrap()
        .behaviour()
    };
    // PAE without PTI shares the kernel PMDs until 6.16 removed SHARED_KERNEL_PMD.
    assert!(b("pae", false, "5.8").shared_kernel_pmds);
    assert!(b("pae", false, "6.15").shared_kernel_pmds);
    assert!(!b("pae", false, "6.16").shared_kernel_pmds);
    assert!(!b("pae", true, "5.2").shared_kernel_pmds);
    // Faults: up to 5.7, and again on 32-bit from 5.9; never on 64-bit after 5.7.
    assert!(b("pae", true, "5.7").fault.is_some());
    assert!(b("pae", true, "5.8").fault.is_none());
    assert!(b("pae", true, "6.1").fault.is_some());
    assert!(b("x86-64", true, "6.1").fault.is_none());
    // Pre-allocation on 64-bit from 5.9 (6eb82f994026), not in 5.8.
    assert!(!b("x86-64", true, "5.8").prealloc);
    assert!(b("la57", true, "5.9").prealloc);
    // The 2025 fix's era, by its old name.
    assert_eq!(b("x86-64", true, "2025"), b("x86-64", true, "6.17"));
}

#[test]
fn sizes_that_are_not_sizes() {
    for bad in [
        "",
        "K",
        "-1",
        "1.5M",
        "0x",
        "0xzz",
        "20000000000000P",
        "99999999999999999999",
    ] {
        assert_eq!(
            parse_size(bad).unwrap_err().kind,
            ErrorKind::BadSize,
            "{bad:?}"
        );
    }
}

fn session(mode: &str) -> Session {
    Session::new(spec(mode, |_| {}).unwrap()).unwrap()
}

fn refused(s: &mut Session, json: &str) -> (ErrorKind, Option<&'static str>) {
    let before = s.state_hash();
    let history = s.history().len();
    let e = s.apply_json(json).expect_err(json);
    assert_eq!(s.state_hash(), before, "{json} changed the state");
    assert_eq!(s.history().len(), history, "{json} entered the history");
    (e.kind, e.field.map(Field::name))
}

#[test]
fn refused_operations_change_nothing() {
    use ErrorKind::*;
    let mut s = session("x86-64");
    s.apply_json(r#"{"op":"fork","name":"A"}"#).unwrap();
    s.apply_json(r#"{"op":"allocate","name":"a","size":"4K"}"#)
        .unwrap();
    let cases = [
        (
            r#"{"op":"allocate","name":"z","size":"0"}"#,
            BadSize,
            Some("size"),
        ),
        (
            r#"{"op":"allocate","name":"z","size":"0xffffffffffffffff"}"#,
            BadSize,
            Some("size"),
        ),
        (
            r#"{"op":"allocate","name":"z","size":"64T"}"#,
            BadSize,
            Some("size"),
        ),
        (
            r#"{"op":"allocate","name":"z","size":"ten"}"#,
            BadSize,
            Some("size"),
        ),
        (
            r#"{"op":"allocate","name":"a","size":"4K"}"#,
            ScriptError,
            Some("name"),
        ),
        (
            r#"{"op":"allocate","name":"9x","size":"4K"}"#,
            ScriptError,
            Some("name"),
        ),
        (
            r#"{"op":"allocate","name":"z","size":"1G"}"#,
            OutOfMemory,
            None,
        ),
        (
            r#"{"op":"map","name":"z","phys":"0x1000","size":"4K"}"#,
            BadAddress,
            Some("phys"),
        ),
        (
            r#"{"op":"map","name":"z","phys":"0xfffffffffffff000","size":"8K"}"#,
            BadAddress,
            Some("phys"),
        ),
        (
            r#"{"op":"map","name":"z","phys":"0x100000000","size":"0"}"#,
            BadSize,
            Some("size"),
        ),
        (
            r#"{"op":"unmap","name":"nosuch"}"#,
            UnknownAllocation,
            Some("name"),
        ),
        (
            r#"{"op":"exit","process":"nobody"}"#,
            UnknownProcess,
            Some("process"),
        ),
        (
            r#"{"op":"access","process":"nobody","addr":"a"}"#,
            UnknownProcess,
            Some("process"),
        ),
        (
            r#"{"op":"access","process":"A","addr":"0xff00000000000000"}"#,
            BadAddress,
            Some("addr"),
        ),
        (
            r#"{"op":"access","process":"A","addr":"0x1000"}"#,
            BadAddress,
            Some("addr"),
        ),
        (
            r#"{"op":"access","process":"A","addr":"nosuch"}"#,
            UnknownAllocation,
            Some("addr"),
        ),
        (
            r#"{"op":"access","process":"A","addr":"a+0xffffffffffffffff"}"#,
            BadAddress,
            Some("addr"),
        ),
        (
            r#"{"op":"access","process":"A","addr":"a+"}"#,
            BadAddress,
            Some("addr"),
        ),
        (
            r#"{"op":"hotplug","name":"m","phys":"0x1000","size":"128M"}"#,
            BadSize,
            Some("phys"),
        ),
        (
            r#"{"op":"hotplug","name":"m","phys":"0x0","size":"128M"}"#,
            BadAddress,
            Some("phys"),
        ),
        (
            r#"{"op":"hotplug","name":"m","phys":"0x400000000000","size":"128M"}"#,
            BadAddress,
            Some("phys"),
        ),
        (
            r#"{"op":"ldt","process":"nobody"}"#,
            UnknownProcess,
            Some("process"),
        ),
        (r#"{"op":"frobnicate"}"#, ScriptError, None),
        // A key missing or of the wrong type is about that input; an unknown key is
        // about none.
        (r#"{"op":"fork"}"#, ScriptError, Some("name")),
        (
            r#"{"op":"map","name":"io","phys":4096,"size":"4K"}"#,
            ScriptError,
            Some("phys"),
        ),
        (r#"{"op":"sync","kind":"later"}"#, ScriptError, Some("kind")),
        (
            r#"{"op":"allocate","name":"z","size":"4K","preempt":"yes"}"#,
            ScriptError,
            None,
        ),
        (r#"{"op":"fork","name":"B","extra":1}"#, ScriptError, None),
        (r#"["fork","B"]"#, ScriptError, None),
        (r#"not json"#, ScriptError, None),
    ];
    for (json, want, field) in cases {
        assert_eq!(refused(&mut s, json), (want, field), "{json}");
    }
    // 32-bit only / 64-bit only operations.
    let mut p = session("pae");
    assert_eq!(
        refused(&mut p, r#"{"op":"sync","kind":"global"}"#),
        (UnsupportedOperation, Some("kind"))
    );
    assert_eq!(
        refused(
            &mut p,
            r#"{"op":"hotplug","name":"m","phys":"0x100000000","size":"128M"}"#
        ),
        (UnsupportedOperation, None)
    );
    let mut n = Session::new(spec("pae", |s| s.pti = Some(false)).unwrap()).unwrap();
    n.apply_json(r#"{"op":"fork","name":"A"}"#).unwrap();
    assert_eq!(
        refused(&mut n, r#"{"op":"ldt","process":"A"}"#),
        (UnsupportedOperation, None)
    );
}

#[test]
fn the_vmalloc_area_runs_out() {
    let mut s = session("pae");
    s.apply_json(r#"{"op":"allocate","name":"a","size":"0x10000000"}"#)
        .unwrap();
    let e = s
        .apply_json(r#"{"op":"allocate","name":"b","size":"0x10000000"}"#)
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutOfVmallocSpace);
    assert!(e.message.contains("vmalloc area"), "{}", e.message);
}

#[test]
fn no_panic_on_hostile_scenarios() {
    // Each of these is refused with an error, never a panic.
    let texts = [
        "",
        "config",
        "config mode=",
        "config mode=pae ram=0x\n",
        "config mode=la57\nhotplug m 0xffffffffffffff00 0xffffffffffffffff\nexpect error BadSize",
        "config mode=x86-64\nmap m 0xfffffffffffff000 0x2000\n",
        "config mode=x86-64\nfork A\naccess A 0xffffffffffffffff\n",
        "config mode=x86-32 pti=off huge-ioremap=off\nfork A\naccess A 0xffffffff\nexpect outcome oops\nexpect error X",
        "config mode=pae\nexpect divergence A missing 1\n",
        "config mode=pae\n\u{feff}fork A\n",
        "config mode=pae\nsay\n",
    ];
    for t in texts {
        let r = std::panic::catch_unwind(|| Session::from_text(t));
        assert!(r.is_ok(), "panicked on {t:?}");
    }
}

/// The documented limits (crate::limits, docs/scenario-format.md): each is refused with
/// `LimitExceeded` (or `ScriptError` for a name) and a short message, and the refused
/// operation changes nothing.
#[test]
fn limits_are_enforced_with_a_clear_error() {
    use vmsync::limits::{MAX_INPUT_BYTES, MAX_NAME_LEN, MAX_OPERATIONS, MAX_PROCESSES};
    // A name of 100,000 characters: refused at its column, the message quoting only its start.
    let long = "a".repeat(100_000);
    let e = Session::from_text(&format!("config mode=pae\nfork {long}\n")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ScriptError);
    assert!(
        e.message.starts_with("line 2, column 6"),
        "{}",
        &e.message[..80.min(e.message.len())]
    );
    assert!(
        e.message.len() < 200,
        "the message echoes the name: {} bytes",
        e.message.len()
    );
    let ok = "b".repeat(MAX_NAME_LEN);
    assert!(Session::from_text(&format!("config mode=pae\nfork {ok}\n")).is_ok());
    // The same name from the JSON API.
    let mut s = Session::new(Config::new(Mode::X86_64)).unwrap();
    let e = s
        .apply_json(&format!(r#"{{"op":"fork","name":"{long}"}}"#))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ScriptError);
    assert!(e
        .message
        .contains(&format!("at most {MAX_NAME_LEN} characters")));
    // A text over 1 MiB.
    let big = format!(
        "config mode=pae\n{}",
        "# padding\n".repeat(MAX_INPUT_BYTES / 10 + 1)
    );
    assert_eq!(
        Session::from_text(&big).unwrap_err().kind,
        ErrorKind::LimitExceeded
    );
    // More operation lines than a scenario holds: refused at the first one too many.
    let many = format!(
        "config mode=x86-64\n{}",
        "sync global\n".repeat(MAX_OPERATIONS + 1)
    );
    let e = vmsync::script::parse(&many).unwrap_err();
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
    assert!(
        e.message
            .starts_with(&format!("line {}:", MAX_OPERATIONS + 2)),
        "{}",
        e.message
    );
    // A session's history: the operation past the limit is refused and changes nothing.
    let mut s = Session::new(Config::new(Mode::X86_64)).unwrap();
    for _ in 0..MAX_OPERATIONS {
        s.apply_json(r#"{"op":"sync","kind":"global"}"#).unwrap();
    }
    let before = s.state_hash();
    let e = s
        .apply_json(r#"{"op":"sync","kind":"global"}"#)
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
    assert_eq!(s.state_hash(), before);
    // Stepping back makes room again.
    assert!(s.step_back());
    assert!(s.apply_json(r#"{"op":"sync","kind":"global"}"#).is_ok());
    // Live processes.
    let mut c = Config::new(Mode::X86_32);
    c.ram = 4 << 30;
    let mut m = Machine::new(c).unwrap();
    for _ in 0..MAX_PROCESSES {
        m.fork().unwrap();
    }
    let before = m.state_hash();
    let e = m.fork().unwrap_err();
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
    assert!(
        e.message.contains(&MAX_PROCESSES.to_string()),
        "{}",
        e.message
    );
    assert_eq!(m.state_hash(), before);
}

/// A word of 100,000 characters (or one with control characters, from a link or JSON) in
/// every place a message quotes the input: each message quotes its start only, on one
/// line, so that the page's note stays a note (it showed the whole word before).
#[test]
fn a_huge_or_hostile_word_is_quoted_by_its_start_on_one_line() {
    let w = format!("{}\u{7}\n{}", "x".repeat(50_000), "y".repeat(50_000));
    let word = "x".repeat(100_000);
    let texts = [
        format!("{word}\n"),
        format!("config mode=pae {word}\n"),
        format!("config mode=pae pti={word}\n"),
        format!("config mode=pae nr-cpus={word}\n"),
        format!("config mode=pae {word}=1\n"),
        format!("config mode={word}\n"),
        format!("config mode=pae strategy={word}\n"),
        format!("config mode=pae strategy=era:{word}\n"),
        format!("config mode=pae\nsync {word}\n"),
        format!("config mode=pae\nfork A {word}\n"),
        format!("config mode=pae\nallocate b {word}\n"),
        format!("config mode=pae\nfork A\naccess A {word}\n"),
        format!("config mode=pae\nexit {word}\n"),
        format!("config mode=pae\nexpect outcome {word}\n"),
        format!("config mode=pae\nexpect {word}\n"),
        format!("config mode=pae\nexpect metric {word} 1\n"),
        format!("config mode=pae\nfork A\nexpect divergence A {word} 1\n"),
        format!("config mode=pae\nfork A\nexpect divergence {word} missing 1\n"),
    ];
    let json = |v: &str| serde_json::to_string(v).unwrap();
    let jsons = [
        format!("{{\"config\":{{\"mode\":{}}},\"steps\":[]}}", json(&w)),
        format!(
            "{{\"config\":{{\"mode\":\"pae\",\"strategy\":{}}},\"steps\":[]}}",
            json(&w)
        ),
        format!(
            "{{\"config\":{{\"mode\":\"pae\"}},\"steps\":[{{\"op\":\"sync\",\"kind\":{}}}]}}",
            json(&w)
        ),
        format!(
            "{{\"config\":{{\"mode\":\"pae\"}},\"steps\":[{{\"op\":\"allocate\",\"name\":\"b\",\"size\":{}}}]}}",
            json(&w)
        ),
        format!(
            "{{\"config\":{{\"mode\":\"pae\"}},\"steps\":[{{\"op\":\"fork\",\"name\":{}}}]}}",
            json(&w)
        ),
    ];
    // The JSON forms as the page passes them: a scenario, a configuration, an operation.
    let run_json = |j: &str| -> vmsync::Result<()> {
        let sc = vmsync::script::Scenario::from_json(j)?;
        Session::new(sc.config.to_config()?)?.run_steps(&sc)
    };
    let mut errors: Vec<vmsync::Error> = texts
        .iter()
        .map(|t| Session::from_text(t).expect_err("refused"))
        .collect();
    errors.extend(jsons.iter().map(|j| run_json(j).expect_err("refused")));
    errors.push(
        ConfigSpec::from_json(&format!("{{\"mode\":{}}}", json(&w)))
            .and_then(|s| s.to_config())
            .expect_err("refused"),
    );
    errors.push(
        vmsync::script::ScriptOp::from_json(&format!(
            "{{\"op\":\"exit\",\"process\":{}}}",
            json(&w)
        ))
        .and_then(|op| session("pae").apply_kept(op).map(|_| ()))
        .expect_err("refused"),
    );
    let mut seen = 0;
    for e in &errors {
        let m = e.to_string();
        assert!(
            m.chars().count() < 400,
            "{} characters: {}…",
            m.chars().count(),
            m.chars().take(200).collect::<String>()
        );
        assert!(
            !m.chars().any(char::is_control),
            "a control character in {m:?}"
        );
        assert!(m.contains('…'), "the word is cut, and says so: {m}");
        seen += 1;
    }
    assert_eq!(seen, texts.len() + jsons.len() + 2);
}
