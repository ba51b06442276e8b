//! Library benchmarks (divan): each reader and scorer on fixed inputs from the
//! fixtures, reported in bytes per second. Run with `cargo bench --bench library`.

use debrief::evaluation;
use debrief::rubric::{self, CompiledRubric};
use debrief::scorers::{self, Prepared, Scorer};
use debrief::transcript::{self, InputFormat, ReadOptions, Transcript};
use divan::counter::BytesCount;
use divan::{black_box, Bencher};

/// The allocator the `debrief` binary uses (src/main.rs), so these numbers match it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// A fixture under `fixtures/` (`interviews/...` or `formats/...`).
fn fixture(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/").to_string() + name;
    let bytes = std::fs::read(path).expect("the fixture exists");
    transcript::decode_text(&bytes).expect("the fixture decodes")
}

fn compiled() -> CompiledRubric {
    rubric::load(rubric::DEFAULT_RUBRIC).expect("the default rubric loads")
}

fn transcript() -> (String, Transcript) {
    let text = fixture("interviews/strong_staff_fraud.json");
    let parsed = transcript::parse(&text, InputFormat::Json, "bench", &ReadOptions::default());
    let t = parsed.into_iter().next().unwrap().result.unwrap();
    (text, t)
}

/// Each reader; the caption, export and speech-to-text readers include merging
/// pieces into turns and inferring who interviews.
#[divan::bench(args = [
    ("interviews/strong_staff_fraud.json", InputFormat::Json),
    ("interviews/batch_short.jsonl", InputFormat::JsonLines),
    ("interviews/negation_traps.md", InputFormat::Markdown),
    ("formats/zoom.vtt", InputFormat::Vtt),
    ("formats/teams.vtt", InputFormat::Vtt),
    ("formats/named.srt", InputFormat::Srt),
    ("formats/otter.txt", InputFormat::Text),
    ("formats/meet.txt", InputFormat::Text),
    ("formats/assemblyai.json", InputFormat::Json),
    ("formats/whisperx.json", InputFormat::Json),
])]
fn read(bencher: Bencher, (name, format): (&str, InputFormat)) {
    let text = fixture(name);
    let options = ReadOptions {
        inference: compiled().speaker_inference,
        ..ReadOptions::default()
    };
    let parsed = transcript::parse(&text, format, "bench", &options);
    assert!(parsed.iter().all(|p| p.result.is_ok()), "{name} reads");
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| transcript::parse(black_box(&text), format, "bench", &options));
}

/// A rubric file: every pattern compiled while it loads.
#[divan::bench]
fn rubric_compile(bencher: Bencher) {
    bencher
        .counter(BytesCount::of_str(rubric::DEFAULT_RUBRIC))
        .bench(|| rubric::load(black_box(rubric::DEFAULT_RUBRIC)));
}

/// The embedded rubric as `grade` loads it: patterns compiled on first use.
#[divan::bench]
fn rubric_load_embedded(bencher: Bencher) {
    bencher
        .counter(BytesCount::of_str(rubric::DEFAULT_RUBRIC))
        .bench(rubric::load_default);
}

/// Normalising every turn and reading what the scorers share (sentences, reasons,
/// concept terms).
#[divan::bench]
fn prepare(bencher: Bencher) {
    let rubric = compiled();
    let (_, t) = transcript();
    let bytes: usize = t.turns.iter().map(|turn| turn.text.len()).sum();
    bencher
        .counter(BytesCount::new(bytes))
        .bench(|| Prepared::new(black_box(&t), &rubric));
}

macro_rules! scorer_bench {
    ($name:ident, $scorer:expr) => {
        #[divan::bench]
        fn $name(bencher: Bencher) {
            let rubric = compiled();
            let (_, t) = transcript();
            let prepared = Prepared::new(&t, &rubric);
            let bytes: usize = t.turns.iter().map(|turn| turn.text.len()).sum();
            bencher
                .counter(BytesCount::new(bytes))
                .bench(|| $scorer.score(black_box(&prepared), &rubric));
        }
    };
}

scorer_bench!(concepts, scorers::concepts::ConceptScorer);
scorer_bench!(red_flags, scorers::red_flags::RedFlagScorer);
scorer_bench!(compliance, scorers::compliance::ComplianceScorer);
scorer_bench!(production, scorers::production::ProductionScorer);
scorer_bench!(communication, scorers::communication::CommunicationScorer);
scorer_bench!(exchanges, scorers::exchange_split::ExchangeScorer);

#[divan::bench]
fn grade_one_transcript(bencher: Bencher) {
    let rubric = compiled();
    let (text, t) = transcript();
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| evaluation::grade(black_box(&t), &rubric, "bench", None, None));
}
