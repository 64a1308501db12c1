//! How long each channel's counting takes on long texts of adversarial
//! shapes, at 10 KB, 100 KB and 1 MB. Counting must be linear in the text's
//! length, so the last column, time(1 MB) / time(100 KB), should stay near
//! 10; a figure near 100 means something quadratic came back. Prints
//! figures; asserts nothing (speed goals live here, not in timed tests).
//!
//! Run with `cargo bench --bench counting`, optionally followed by `--`
//! and shape names to run only those, and `--budget SECONDS` (default 5):
//! once one size takes longer than the budget, the larger sizes of that
//! shape and channel are skipped rather than left to run for hours.

use std::time::{Duration, Instant};

use crisis::channel::{ChannelSpec, Channels};

const SIZES: [(usize, &str); 3] = [(10_000, "10 KB"), (100_000, "100 KB"), (1_000_000, "1 MB")];

/// One channel per way of counting.
const CHANNELS: [&str; 5] = ["x", "sms", "bluesky", "mastodon", "facebook"];

/// Builds a text of about the given number of bytes.
type MakeText = fn(usize) -> String;

/// Texts that have made counting slow, or could: each repeats a pattern
/// that makes a link, host, mention, emoji or grapheme scanner look far
/// ahead from many starting points.
const SHAPES: &[(&str, MakeText)] = &[
    ("words", |n| repeat("Boil water before drinking. ", n)),
    ("dots", |n| repeat("a.", n)),
    ("dashes", |n| repeat("a-", n)),
    ("accents", |n| repeat("é", n)),
    ("combining", |n| format!("e{}", repeat("\u{301}", n - 1))),
    ("schemes", |n| repeat("http://", n)),
    ("links", |n| repeat("see https://example.org/a?b=1 ", n)),
    ("bare-domains", |n| repeat("a.com", n)),
    ("emoji", |n| repeat("👨\u{200D}👩\u{200D}👧\u{200D}👦", n)),
    ("mentions", |n| repeat("@user@server", n)),
    ("mentions-links", |n| repeat("@u@s.org https://a.org ", n)),
    ("distinct-cjk", distinct_chars),
];

fn main() {
    let mut budget = Duration::from_secs(5);
    let mut only = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--budget" => {
                if let Some(seconds) = args.next().and_then(|s| s.parse::<f64>().ok()) {
                    budget = Duration::from_secs_f64(seconds);
                }
            }
            // `cargo bench` passes `--bench`; other flags are not ours either.
            flag if flag.starts_with('-') => {}
            shape => only.push(shape.to_string()),
        }
    }

    let channels = Channels::builtin();
    println!(
        "{:<15} {:<9} {:>10} {:>10} {:>10} {:>8}",
        "shape", "channel", SIZES[0].1, SIZES[1].1, SIZES[2].1, "1MB/100KB"
    );
    for (shape, make) in SHAPES {
        if !only.is_empty() && !only.iter().any(|o| o == shape) {
            continue;
        }
        let texts: Vec<String> = SIZES.iter().map(|&(size, _)| make(size)).collect();
        for name in CHANNELS {
            let Some(spec) = channels.get(name) else {
                continue;
            };
            let mut times: Vec<Option<Duration>> = Vec::new();
            for text in &texts {
                let over_budget = times.last().is_some_and(|t| t.is_none_or(|t| t > budget));
                times.push(if over_budget {
                    None
                } else {
                    Some(time(spec, text))
                });
            }
            let ratio = match (times[1], times[2]) {
                (Some(small), Some(large)) => {
                    format!("{:.1}", large.as_secs_f64() / small.as_secs_f64())
                }
                _ => "-".to_string(),
            };
            let shown: Vec<String> = times.iter().map(|t| show(*t)).collect();
            println!(
                "{shape:<15} {name:<9} {:>10} {:>10} {:>10} {ratio:>8}",
                shown[0], shown[1], shown[2]
            );
        }
    }
}

/// The fastest of a few runs: on a shared machine the minimum is the figure
/// least disturbed by other work.
fn time(spec: &ChannelSpec, text: &str) -> Duration {
    let mut best = measure_once(spec, text);
    let runs = (Duration::from_millis(300).as_secs_f64() / best.as_secs_f64().max(1e-6))
        .clamp(0.0, 20.0) as usize;
    for _ in 0..runs {
        best = best.min(measure_once(spec, text));
    }
    best
}

fn measure_once(spec: &ChannelSpec, text: &str) -> Duration {
    let start = Instant::now();
    let measurement = spec.measure(std::hint::black_box(text), None);
    let elapsed = start.elapsed();
    std::hint::black_box(measurement);
    elapsed
}

fn show(time: Option<Duration>) -> String {
    match time {
        None => "skipped".to_string(),
        Some(t) if t.as_secs_f64() >= 1.0 => format!("{:.2} s", t.as_secs_f64()),
        Some(t) => format!("{:.2} ms", t.as_secs_f64() * 1000.0),
    }
}

/// `pattern` repeated to `bytes` bytes, cut at a character boundary.
fn repeat(pattern: &str, bytes: usize) -> String {
    let mut text = pattern.repeat(bytes / pattern.len() + 1);
    let mut cut = bytes;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text
}

/// Every character from U+4E00 up, each once, to `bytes` bytes: a text
/// with as many distinct characters as it has characters.
fn distinct_chars(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes);
    for c in (0x4E00..=0x10_FFFF).filter_map(char::from_u32) {
        if text.len() + c.len_utf8() > bytes {
            break;
        }
        text.push(c);
    }
    text
}
