//! Links are a versioned format: a link carries a scenario's text, and a link made today
//! must open the same state in later versions. These are links of today, era names old and
//! new included, each with the state hash it opens. If an engine change moves one on
//! purpose (a kernel behaviour corrected), update its hash here and say in the commit and
//! in docs/scenario-format.md ("Links") what changed for it.

use vmsync::script::Session;

/// (what the link shows, its scenario text, the state hash it opens).
const LINKS: &[(&str, &str, u64)] = &[
    (
        "an era:5.7 link from before the eras were split by release (5.7 is in 5.3 - 5.7)",
        "config mode=pae pti=on huge-ioremap=on strategy=era:5.7\nfork A\nmap io 0xfe000000 2M\nsync mappings\nunmap io\n",
        0x8176_3358_4f3d_9c2e,
    ),
    (
        "an era:2025 link (now era:6.17)",
        "config mode=x86-64 strategy=era:2025\nfork A\nhotplug mem 0x200000000000 1G\naccess A mem\n",
        0x66b7_eb89_8282_0e14,
    ),
    (
        "an era:6.1 link (in 5.9 - 6.14)",
        "config mode=pae split=1G ram=512M strategy=era:6.1\nfork A\nfork B\nallocate big 64M\n",
        0x685f_929d_b420_37cd,
    ),
    (
        "a building block",
        "config mode=pae split=3G pti=on strategy=lazy\nfork A\nallocate buf 64K\naccess A buf\n",
        0x84d6_eca7_7bef_5246,
    ),
    (
        "the default strategy of a mode",
        "config mode=la57\nfork A\nallocate a 1M\nldt A\n",
        0x956a_4b45_0c9c_2b6b,
    ),
    (
        "2-level with the 3G_OPT split and a vmalloc= reserve",
        "config mode=x86-32 split=3G_OPT vmalloc=256M pti=off huge-ioremap=off strategy=era:5.2\nfork A\nallocate a 4M\nsync mappings\n",
        0xec7f_8f50_3cf8_c4e5,
    ),
];

#[test]
fn todays_links_open_the_same_state() {
    let mut moved = Vec::new();
    for (i, (what, text, hash)) in LINKS.iter().enumerate() {
        let s = Session::from_text(text).unwrap_or_else(|e| panic!("link {i} ({what}): {e}"));
        if s.state_hash() != *hash {
            moved.push(format!(
                "link {i} ({what}): now {:#018x}, pinned {hash:#018x}",
                s.state_hash()
            ));
        }
    }
    assert!(
        moved.is_empty(),
        "links that open another state:\n{}",
        moved.join("\n")
    );
}
