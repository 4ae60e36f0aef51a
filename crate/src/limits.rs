//! The limits every input is held to, from a scenario file, a link, the JS API or the CLI
//! alike: the engine enforces them, so every front end refuses the same things with the
//! same words. docs/scenario-format.md lists them under "Limits".

/// Live processes at once (a fork beyond it is refused).
pub const MAX_PROCESSES: usize = 1024;
/// Operations in a session's history, and operation lines in a scenario.
pub const MAX_OPERATIONS: usize = 16_384;
/// Characters in a name of a process or an allocation.
pub const MAX_NAME_LEN: usize = 32;
/// Bytes of a scenario text, or of one JSON value passed to the engine.
pub const MAX_INPUT_BYTES: usize = 1 << 20;

/// What is wrong with a proposed name, if anything: too long (the message quotes only its
/// start), or not a letter or `_` followed by letters, digits, `_` or `-`.
pub fn name_problem(s: &str) -> Option<String> {
    let n = s.chars().count();
    if n > MAX_NAME_LEN {
        let start = excerpt(&s.chars().take(12).collect::<String>());
        return Some(format!(
            "a name has at most {MAX_NAME_LEN} characters; '{start}…' has {n}"
        ));
    }
    let mut c = s.chars();
    let ok = c
        .next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_' || x == '-');
    (!ok).then(|| {
        format!(
            "'{}' is not a name (a letter or _, then letters, digits, _ or -)",
            excerpt(s)
        )
    })
}

/// How many characters of a piece of input a message quotes.
pub const EXCERPT_CHARS: usize = 40;

/// A piece of input as a message quotes it: its first [`EXCERPT_CHARS`] characters (then
/// `…`), control characters shown as `?`, so that a word of a megabyte or a line break in
/// a link makes a message of one short line.
pub fn excerpt(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if s.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Refuses an input text longer than [`MAX_INPUT_BYTES`]; `what` names it.
///
/// # Errors
/// `LimitExceeded`.
pub fn check_input(text: &str, what: &str) -> crate::error::Result<()> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(crate::error::err!(
            LimitExceeded,
            "{what} is {} bytes; at most {MAX_INPUT_BYTES} (1 MiB) are taken",
            text.len()
        ));
    }
    Ok(())
}
