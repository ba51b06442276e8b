//! The published JSON Schema of the output, `docs/schema/evaluation.json`, is what
//! `debrief schema` generates from the types (Python's tests check that it accepts
//! every fixture's output and rejects broken documents).

use crate::util::{debrief, root};

/// The committed schema's path, relative to the repository root.
const PUBLISHED: &str = "docs/schema/evaluation.json";

#[test]
fn the_published_schema_is_what_debrief_schema_prints() {
    let printed = debrief(["schema"]).output().expect_code(0).stdout();
    let committed = std::fs::read_to_string(root().join(PUBLISHED))
        .unwrap_or_else(|e| panic!("{PUBLISHED} cannot be read ({e}): run `make schema`"));
    if printed != committed {
        let (line, (new, old)) = printed
            .lines()
            .chain(std::iter::repeat("<end of file>"))
            .zip(committed.lines().chain(std::iter::repeat("<end of file>")))
            .enumerate()
            .find(|(_, (new, old))| new != old)
            .expect("texts that differ differ on some line");
        panic!(
            "{PUBLISHED} is stale: run `make schema` and commit it\n\
             first difference, line {}:\n  committed: {old}\n  generated: {new}",
            line + 1
        );
    }
}

#[test]
fn the_schema_is_a_draft_2020_12_schema_of_the_results_document() {
    let schema = debrief(["schema"]).output().expect_code(0).json();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(
        schema["required"],
        serde_json::json!(["debrief", "rubric", "evaluations"])
    );
    assert_eq!(
        schema["properties"]["evaluations"]["items"]["$ref"],
        "#/$defs/Evaluation"
    );
    let evaluation = &schema["$defs"]["Evaluation"];
    // Written for every transcript, so required, even where the value may be null;
    // `transcript` only with --with-transcript.
    let required = evaluation["required"].as_array().unwrap();
    assert!(required.contains(&"scores".into()), "{required:?}");
    assert!(!required.contains(&"transcript".into()), "{required:?}");
    let recommendations = &schema["$defs"]["Recommendation"]["oneOf"];
    let labels: Vec<&str> = recommendations
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["const"].as_str().unwrap())
        .collect();
    assert_eq!(labels, debrief::rubric::Recommendation::LABELS);
}
