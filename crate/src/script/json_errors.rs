//! The hand JSON readers' errors as a user reads them: the kind, the input they are about
//! (`field`) and the words, for operations, configurations and scenarios. The readers'
//! agreement with serde's derived ones is `json_oracle`'s job.

use super::json_in::{config_from_json, op_from_json, scenario_from_json};
use crate::error::{ErrorKind, Field};

#[test]
fn errors_name_the_input() {
    let op = |t: &str| {
        let e = op_from_json(t).unwrap_err();
        (e.kind, e.field.map(Field::name), e.message)
    };
    let (k, f, m) = op(r#"{"op":"allocate","name":"a"}"#);
    assert_eq!((k, f), (ErrorKind::ScriptError, Some("size")));
    assert_eq!(m, r#"not an operation: allocate needs "size" (a string)"#);
    let (_, f, m) = op(r#"{"op":"map","name":"io","phys":4096,"size":"4K"}"#);
    assert_eq!(f, Some("phys"));
    assert_eq!(
        m,
        r#"not an operation: map's "phys" is a string, not the number 4096"#
    );
    // A number with a fraction is named, not printed (no float printer in the wasm).
    let (_, f, m) = op(r#"{"op":"map","name":"io","phys":4.5e3,"size":"4K"}"#);
    assert_eq!(f, Some("phys"));
    assert_eq!(
        m,
        r#"not an operation: map's "phys" is a string, not a number with a fraction"#
    );
    let (_, _, m) = op(r#"{"op":"map","name":"io","phys":-3,"size":"4K"}"#);
    assert!(m.ends_with("not the number -3"), "{m}");
    let (_, f, m) = op(r#"{"op":"fork","name":"A","colour":"red"}"#);
    assert_eq!(f, None);
    assert_eq!(
        m,
        r#"not an operation: fork has no key "colour" (its keys: op, name)"#
    );
    let (_, f, m) = op(r#"{"op":"levitate"}"#);
    assert_eq!(f, None);
    assert!(
        m.contains(r#"unknown op "levitate"; allowed: fork, exit"#),
        "{m}"
    );
    let (_, f, _) = op(r#"{"op":"sync","kind":"later"}"#);
    assert_eq!(f, Some("kind"));
    let (_, f, m) = op("[1, 2");
    assert_eq!(f, None);
    assert!(m.starts_with("not an operation: "), "{m}");

    let cfg = |t: &str| {
        let e = config_from_json(t).unwrap_err();
        (e.kind, e.field.map(Field::name), e.message)
    };
    for (t, shown) in [
        (r#"{"mode":"pae","nr_cpus":"abc"}"#, "'abc'"),
        (
            r#"{"mode":"pae","nr_cpus":4.5}"#,
            "a number with a fraction",
        ),
        (r#"{"mode":"pae","nr_cpus":-1}"#, "-1"),
        (r#"{"mode":"pae","nr_cpus":"+4"}"#, "'+4'"),
        (r#"{"mode":"pae","nr_cpus":4294967296}"#, "4294967296"),
        (r#"{"mode":"pae","nr_cpus":true}"#, "the value true"),
    ] {
        let (k, f, m) = cfg(t);
        assert_eq!((k, f), (ErrorKind::InvalidConfig, Some("nr_cpus")), "{t}");
        assert_eq!(
            m,
            format!("NR_CPUS takes a whole number (1 to 64 on 32-bit, 1 to 8192 on 64-bit), not {shown}")
        );
    }
    let (k, f, _) = cfg(r#"{"mode":"pae","pti":"on"}"#);
    assert_eq!((k, f), (ErrorKind::InvalidConfig, Some("pti")));
    let (_, f, _) = cfg(r#"{"split":"3G"}"#);
    assert_eq!(f, Some("mode"));
    let (_, f, _) = cfg(r#"{"mode":"pae","colour":"red"}"#);
    assert_eq!(f, None);

    // In a scenario: the step, counted from 1.
    let e = scenario_from_json(
        r#"{"config":{"mode":"pae"},"steps":[{"op":"fork","name":"A"},{"expect":"metric","name":"oopses","value":-1}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        r#"not a scenario in JSON form: step 2: expect metric's "value" is a whole number from 0, not the number -1"#
    );
    assert_eq!((e.field, e.line), (None, None));
    // Text that is not JSON: the JSON's line and column.
    let e =
        scenario_from_json("{\n  \"config\": {\"mode\": \"pae\"},\n  \"steps\": [}\n").unwrap_err();
    assert_eq!((e.line, e.column), (Some(3), Some(13)));
    // A number beyond f64 is the parser's own error, with its line and column (the tree's
    // visitor makes no error of its own); a finite float is read and named.
    let e =
        scenario_from_json("{\"config\": {\"mode\": \"pae\"},\n \"steps\": [1e400]}").unwrap_err();
    assert_eq!(
        e.message,
        "not a scenario in JSON form: number out of range at line 2 column 16"
    );
    assert_eq!((e.line, e.column), (Some(2), Some(16)));
    let (_, f, m) = cfg(r#"{"mode":"pae","nr_cpus":1.5}"#);
    assert_eq!(
        (f, m.as_str()),
        (
            Some("nr_cpus"),
            "NR_CPUS takes a whole number (1 to 64 on 32-bit, 1 to 8192 on 64-bit), not a number with a fraction"
        )
    );
}
