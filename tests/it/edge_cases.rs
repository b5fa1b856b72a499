//! One test per span-format edge case, each on a real article in tests/fixtures/edge-cases.

use std::path::Path;

use remedy::article::{Article, ArticleForm, BlockKind, DiagnosticKind, SegmentKey};

fn fixture(name: &str) -> Article {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edge-cases");
    remedy::content::load_article(&root, Path::new(name)).expect("fixture is readable")
}

fn segment<'a>(a: &'a Article, key: &str) -> &'a remedy::article::Segment {
    a.segments()
        .iter()
        .find(|s| s.key.to_string() == key)
        .unwrap_or_else(|| panic!("no segment {key}"))
}

fn count(a: &Article, kind: DiagnosticKind) -> usize {
    a.diagnostics().iter().filter(|d| d.kind == kind).count()
}

/// The English of every translated segment is absent from the target view.
fn assert_no_hidden_english(a: &Article) {
    let target = a.target_markdown();
    for s in a.segments() {
        let (t, src) = (a.target_of(s), a.source_of(s).unwrap());
        if src.len() > 20 && !t.contains(src) {
            assert!(
                !target.contains(src),
                "English of {} leaks into the target view",
                s.key
            );
        }
    }
}

#[test]
fn every_fixture_round_trips() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edge-cases");
    let (articles, errors) = remedy::content::load_dir(&root);
    assert!(errors.is_empty());
    assert_eq!(articles.len(), 16);
    for a in &articles {
        assert_eq!(a.emit(), a.original(), "{}", a.path().display());
        assert_eq!(
            a.span_attributes(),
            a.segments().len() * (a.form() == ArticleForm::Bilingual) as usize + a.broken_pairs()
        );
        if a.form() == ArticleForm::Bilingual {
            assert_no_hidden_english(a);
        }
    }
}

#[test]
fn merged_p_id() {
    let a = fixture("merged-p-id.nb-NO.md");
    let p = segment(&a, "p101");
    assert_eq!(p.key, SegmentKey::Merged(101));
    assert!(
        a.source_of(p)
            .unwrap()
            .starts_with("To set up your domain in Microsoft 365")
    );
    assert!(a.diagnostics().is_empty(), "{:?}", a.diagnostics());
}

#[test]
fn heading_anchor() {
    let a = fixture("heading-anchor.nb-NO.md");
    let s = segment(&a, "102");
    assert_eq!(a.target_of(s), "1:1 samtaleopptak");
    assert_eq!(
        a.block_of(s).unwrap().kind,
        BlockKind::Heading {
            level: 1,
            anchor: Some("11-call-recording".into())
        }
    );
    // `1:1` must not break the YAML title either.
    assert_eq!(a.title(), Some("1:1 samtaleopptak"));
}

#[test]
fn pipe_table_cells() {
    let a = fixture("pipe-table-cells.nb-NO.md");
    let (s111, s112) = (segment(&a, "111"), segment(&a, "112"));
    assert_eq!(a.target_of(s112), "**Fysisk navn**");
    // Two pairs joined by <br> in one cell.
    assert_eq!(s111.block, s112.block);
    assert!(matches!(
        a.block_of(s111).unwrap().kind,
        BlockKind::TableCell { row: 0, column: 1 }
    ));
}

#[test]
fn raw_html_table() {
    let a = fixture("raw-html-table.nb-NO.md");
    let in_html = a
        .segments()
        .iter()
        .filter(|s| a.block_of(s).unwrap().kind == BlockKind::Html)
        .count();
    assert_eq!(in_html, 23);
    let text = a.plain_text();
    assert!(
        !text.contains("<td>") && !text.contains("data-ttu-id"),
        "{text}"
    );
}

#[test]
fn multi_line_segment() {
    let a = fixture("multi-line-segment.nb-NO.md");
    let multi = a
        .segments()
        .iter()
        .find(|s| a.target_of(s).contains('\n'))
        .expect("a multi-line segment");
    assert!(a.source_of(multi).unwrap().contains('\n'));
    assert!(
        a.target_of(multi).contains("]("),
        "several link lines in one segment"
    );
}

#[test]
fn image_alt_pair() {
    let a = fixture("image-alt-pair.nb-NO.md");
    let s = segment(&a, "137");
    assert_eq!(a.target_of(s), "Velge forekomst som skal overskrives");
    assert!(a.original()[..s.range.start].ends_with("![["));
    assert!(
        a.target_markdown()
            .contains("![[Velge forekomst som skal overskrives](")
    );
}

#[test]
fn emphasis_crossing() {
    let a = fixture("emphasis-crossing.nb-NO.md");
    let lines: Vec<u32> = a
        .diagnostics()
        .iter()
        .filter(|d| d.kind == DiagnosticKind::MarkupCrossesSegment)
        .map(|d| d.position.line)
        .collect();
    assert_eq!(lines, [44, 47]);
    // The pair itself is still found whole.
    assert!(a.source_of(segment(&a, "117")).unwrap().contains("$_"));
}

#[test]
fn link_split() {
    let a = fixture("link-split.nb-NO.md");
    assert_eq!(a.target_of(segment(&a, "109")), "[**Innstillinger**");
    // The link's closing half, no longer a link in CommonMark either.
    assert!(
        a.target_of(segment(&a, "110"))
            .starts_with("**Vise alle Outlook-innstillinger**")
    );
    assert!(
        a.target_of(segment(&a, "110"))
            .contains("**Lagring**] ( https://outlook.live.com")
    );
    assert!(a.diagnostics().is_empty(), "{:?}", a.diagnostics());
}

#[test]
fn inner_span_unclosed() {
    let a = fixture("inner-span-unclosed.nl-NL.md");
    let s = segment(&a, "107");
    assert!(a.target_of(s).contains("<span>"));
    assert!(
        a.source_of(s)
            .unwrap()
            .ends_with("*stateuniversity.<span>edu*.")
    );
    assert_eq!(count(&a, DiagnosticKind::SpanUnclosedInner), 8);
    assert_eq!(a.segments().len(), 23);
}

#[test]
fn stray_close() {
    let a = fixture("stray-close.nb-NO.md");
    let s = segment(&a, "112");
    assert!(a.target_of(s).contains("instruksjonene </span> i denne"));
    assert!(
        a.source_of(s)
            .unwrap()
            .contains("instructions</span> found in this")
    );
    assert_eq!(count(&a, DiagnosticKind::SpanStrayClose), 2);
    assert_eq!(a.broken_pairs(), 0);
}

#[test]
fn entity_quoted() {
    let a = fixture("entity-quoted.nb-NO.md");
    assert_eq!(a.target_of(segment(&a, "120")), "Definere et lager");
    assert_eq!(a.source_of(segment(&a, "120")), Some("Set up a warehouse"));
    assert_eq!(a.segments().len(), a.span_attributes());
    assert_eq!(count(&a, DiagnosticKind::SpanEntityQuoted), 1);
}

#[test]
fn pairs_in_front_matter() {
    let a = fixture("pairs-in-front-matter.nb-NO.md");
    let in_fm = a
        .segments()
        .iter()
        .filter(|s| a.block_of(s).unwrap().kind == BlockKind::FrontMatter)
        .count();
    assert_eq!(in_fm, 3);
    assert!(a.title().is_none());
    assert_eq!(count(&a, DiagnosticKind::FrontMatterShape), 1);
    assert!(
        a.source_markdown()
            .unwrap()
            .contains("title: \"Troubleshoot presence issues in Outlook\"")
    );
}

#[test]
fn alert_note() {
    let a = fixture("alert-note.nb-NO.md");
    let in_alert = a.segments().iter().any(|s| {
        let block = a.block_of(s).unwrap();
        block
            .parent
            .is_some_and(|p| matches!(a.blocks()[p].kind, BlockKind::Alert { .. }))
    });
    assert!(in_alert);
}

#[test]
fn no_front_matter() {
    let a = fixture("no-front-matter.nb-NO.md");
    assert!(a.front_matter().is_none());
    assert_eq!(a.form(), ArticleForm::Plain);
    assert_eq!(count(&a, DiagnosticKind::NoFrontMatter), 1);
    assert!(a.segments().len() > 1000);
}

#[test]
fn template_assetid() {
    let a = fixture("template-assetid.nb-NO.md");
    assert!(a.asset_id().is_none());
    let d = a
        .diagnostics()
        .iter()
        .find(|d| d.kind == DiagnosticKind::InvalidAssetId)
        .unwrap();
    assert!(d.message.contains("(guid of old soc version if any)"));
    assert_eq!(d.position.line, 14);
}

#[test]
fn list_assetid() {
    let a = fixture("list-assetid.nb-NO.md");
    assert!(a.asset_id().is_none());
    assert_eq!(count(&a, DiagnosticKind::InvalidAssetId), 1);
    let kept = &a.front_matter().unwrap().other;
    assert!(
        kept.iter().any(|e| e.key == "ms.assetid"),
        "the bad value is kept"
    );
}

/// Everything `remedy inspect --format json` says about each fixture (front matter,
/// blocks, segments, diagnostics with their places), against the golden file beside it
/// in `tests/fixtures/edge-cases/golden/`: any change to what the parser makes of an edge
/// case shows here, whole, not only what one test thought to assert. After a deliberate
/// change, `REMEDY_BLESS=1 cargo test --test it edge_cases::golden` writes the new files;
/// review their diff before committing.
#[test]
fn golden_inspect_json() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edge-cases");
    let golden = root.join("golden");
    let bless = std::env::var_os("REMEDY_BLESS").is_some();
    let mut fixtures: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 16, "{fixtures:?}");
    let mut differ = Vec::new();
    for name in &fixtures {
        let out = crate::common::remedy_ok(&[
            "inspect",
            "--format",
            "json",
            &format!("tests/fixtures/edge-cases/{name}"),
        ]);
        differ.extend(crate::common::golden(
            &format!("edge-cases/golden/{}", name.replace(".md", ".json")),
            &out,
        ));
    }
    // A golden file without its fixture is a leftover.
    for e in std::fs::read_dir(&golden).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().replace(".json", ".md");
        if !bless && !fixtures.contains(&n) {
            differ.push(format!("{}: no fixture {n}", e.path().display()));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
