//! Errors: every way an operation, a configuration or a scenario can be refused.
//!
//! An error is a value with a stable kind (the name JavaScript sees as `Error.name`)
//! and a message that says what was wrong and what is allowed. A failed operation leaves
//! the machine exactly as it was.

use std::fmt;

/// The stable code of an error; [`ErrorKind::name`] is the name that crosses to JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub enum ErrorKind {
    /// The configuration is not one the kernel can be built or booted with.
    InvalidConfig,
    /// No gap in the vmalloc area is large enough for the request.
    OutOfVmallocSpace,
    /// The simulated physical memory has no free frame left.
    OutOfMemory,
    /// An address is outside the range the operation allows (or not canonical).
    BadAddress,
    /// A size is zero, not representable, or overflows the address space.
    BadSize,
    /// No live process has that id or name.
    UnknownProcess,
    /// No live allocation starts at that address or has that name.
    UnknownAllocation,
    /// The operation does not exist in this paging mode or strategy.
    UnsupportedOperation,
    /// A scenario file could not be read (with line and column).
    ScriptError,
    /// An `expect` line of a scenario did not hold.
    ExpectationFailed,
    /// An input or the session is past one of the documented limits ([`crate::limits`]).
    LimitExceeded,
}

impl ErrorKind {
    /// Every kind.
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::InvalidConfig,
        ErrorKind::OutOfVmallocSpace,
        ErrorKind::OutOfMemory,
        ErrorKind::BadAddress,
        ErrorKind::BadSize,
        ErrorKind::UnknownProcess,
        ErrorKind::UnknownAllocation,
        ErrorKind::UnsupportedOperation,
        ErrorKind::ScriptError,
        ErrorKind::ExpectationFailed,
        ErrorKind::LimitExceeded,
    ];

    /// The stable name of this kind, as JavaScript sees it in `Error.name`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidConfig => "InvalidConfig",
            ErrorKind::OutOfVmallocSpace => "OutOfVmallocSpace",
            ErrorKind::OutOfMemory => "OutOfMemory",
            ErrorKind::BadAddress => "BadAddress",
            ErrorKind::BadSize => "BadSize",
            ErrorKind::UnknownProcess => "UnknownProcess",
            ErrorKind::UnknownAllocation => "UnknownAllocation",
            ErrorKind::UnsupportedOperation => "UnsupportedOperation",
            ErrorKind::ScriptError => "ScriptError",
            ErrorKind::ExpectationFailed => "ExpectationFailed",
            ErrorKind::LimitExceeded => "LimitExceeded",
        }
    }
}

/// The input an error is about: a key of an operation (`size`, `name`, `phys`, `addr`,
/// `process`, `by`, `kind`) or of a configuration (`mode`, `split`, `ram`, `vmalloc`,
/// `strategy`, `nr_cpus`, `pti`, `huge_ioremap`), spelt as in their JSON form. A front end
/// places the error by it, never by the message's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, serde(rename_all = "snake_case"))]
pub enum Field {
    /// An operation's size.
    Size,
    /// The name an operation gives or looks up (a new process or allocation, or `unmap`'s).
    Name,
    /// A physical address.
    Phys,
    /// The address `access` takes.
    Addr,
    /// The process an operation acts for.
    Process,
    /// The process that hot-adds memory.
    By,
    /// Which sync call, or which memory a hot-add brings.
    Kind,
    /// The paging mode.
    Mode,
    /// The 32-bit memory split.
    Split,
    /// Usable RAM.
    Ram,
    /// The `vmalloc=` reserve.
    Vmalloc,
    /// The sync strategy or era.
    Strategy,
    /// `NR_CPUS`.
    NrCpus,
    /// Page Table Isolation.
    Pti,
    /// Huge ioremap.
    HugeIoremap,
}

impl Field {
    /// Every field, operation keys first.
    pub const ALL: [Field; 15] = [
        Field::Size,
        Field::Name,
        Field::Phys,
        Field::Addr,
        Field::Process,
        Field::By,
        Field::Kind,
        Field::Mode,
        Field::Split,
        Field::Ram,
        Field::Vmalloc,
        Field::Strategy,
        Field::NrCpus,
        Field::Pti,
        Field::HugeIoremap,
    ];

    /// The key as JavaScript sees it in `Error.field`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Size => "size",
            Field::Name => "name",
            Field::Phys => "phys",
            Field::Addr => "addr",
            Field::Process => "process",
            Field::By => "by",
            Field::Kind => "kind",
            Field::Mode => "mode",
            Field::Split => "split",
            Field::Ram => "ram",
            Field::Vmalloc => "vmalloc",
            Field::Strategy => "strategy",
            Field::NrCpus => "nr_cpus",
            Field::Pti => "pti",
            Field::HugeIoremap => "huge_ioremap",
        }
    }

    /// Whether the field is a configuration's (else an operation's).
    pub fn is_config(self) -> bool {
        matches!(
            self,
            Field::Mode
                | Field::Split
                | Field::Ram
                | Field::Vmalloc
                | Field::Strategy
                | Field::NrCpus
                | Field::Pti
                | Field::HugeIoremap
        )
    }
}

/// An error: a kind, a message for a person, the input it is about, and where in a
/// scenario text it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Error {
    /// The stable code.
    pub kind: ErrorKind,
    /// What was wrong and what is allowed.
    pub message: String,
    /// The input of the operation or configuration the error is about, when it is about one.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    pub field: Option<Field>,
    /// The 1-based line of the scenario text the error is about, when it is about one.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    pub line: Option<usize>,
    /// The 1-based column (in characters) on that line, when the parser knows it.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    pub column: Option<usize>,
}

impl Error {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            field: None,
            line: None,
            column: None,
        }
    }

    /// The same error, about `field` of the operation or configuration. A field the error
    /// already has is kept: it was set nearer the input.
    #[must_use]
    pub fn about(mut self, field: Field) -> Self {
        self.field.get_or_insert(field);
        self
    }

    /// The same error, placed at a line (and column) of a scenario text. A position the
    /// error already has is kept: it is the more precise one.
    #[must_use]
    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        if self.line.is_none() {
            self.line = Some(line);
            self.column = column;
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for Error {}

/// The result of every fallible engine call.
pub type Result<T> = std::result::Result<T, Error>;

/// Shorthand for an error of a kind with a formatted message.
macro_rules! err {
    ($kind:ident, $($arg:tt)*) => {
        $crate::error::Error::new($crate::error::ErrorKind::$kind, format!($($arg)*))
    };
}
pub(crate) use err;
