use super::*;

fn pair(id: &str, target: &str, source: &str) -> String {
    format!(
        r#"<span data-ttu-id="{id}">{target}</span><span class="sxs-lookup"><span data-stu-id="{id}">{source}</span></span>"#
    )
}

#[test]
fn segments_know_their_blocks() {
    let text = format!(
        "---\ntitle: t\n---\n# <a name=\"a\"></a>{}\n\n1. {}\n\n| {} |\n|---|\n| x |\n\n> [!NOTE]\n> {}\n",
        pair("abcde-101", "H", "H"),
        pair("abcde-102", "L", "L"),
        pair("abcde-103", "C", "C"),
        pair("abcde-104", "N", "N"),
    );
    let a = Article::parse("nb-NO/x.md", text);
    let kinds: Vec<_> = a
        .segments()
        .iter()
        .map(|s| a.block_of(s).unwrap().kind.name())
        .collect();
    assert_eq!(kinds, ["heading", "paragraph", "table-cell", "paragraph"]);
    let note = a.block_of(&a.segments()[3]).unwrap().parent.unwrap();
    assert_eq!(
        a.blocks()[note].kind,
        BlockKind::Alert {
            alert: AlertKind::Note
        }
    );
    assert_eq!(a.emit(), a.original());
    assert!(a.diagnostics().is_empty(), "{:?}", a.diagnostics());
}

#[test]
fn pairs_inside_raw_html_blocks_count() {
    let text = format!(
        "<table>\n<tr><td>{}</td></tr>\n</table>\n",
        pair("64662-603", "**FD**", "FD")
    );
    let a = Article::parse("x.md", text);
    assert_eq!(a.segments().len(), 1);
    assert_eq!(a.block_of(&a.segments()[0]).unwrap().kind, BlockKind::Html);
    assert_eq!(a.plain_text(), "**FD**");
}

#[test]
fn emphasis_crossing_a_segment_is_reported() {
    let text = format!(
        "{}\n",
        pair("abcde-101", "Where { $_. X } | FT", "Where { $_. X } | FT")
    );
    let a = Article::parse("x.md", text);
    assert_eq!(a.segments().len(), 1);
    assert!(
        a.diagnostics()
            .iter()
            .any(|d| d.kind == DiagnosticKind::MarkupCrossesSegment),
        "{:?}",
        a.diagnostics()
    );
}

#[test]
fn views_of_a_bilingual_article() {
    let text = format!(
        "---\nms.contentlocale: nb-NO\nms.translationtype: MT\ntitle: t\n---\n- [{}](https://x)\n",
        pair("abcde-101", "Åpne **fil**", "Open **file**")
    );
    let a = Article::parse("x.md", text);
    assert_eq!(
        a.target_markdown(),
        "---\nms.contentlocale: nb-NO\nms.translationtype: MT\ntitle: t\n---\n- [Åpne **fil**](https://x)\n"
    );
    assert_eq!(
        a.source_markdown().unwrap(),
        "---\nms.contentlocale: en-US\ntitle: t\n---\n- [Open **file**](https://x)\n"
    );
    assert_eq!(a.plain_text(), "Åpne fil");
}

#[test]
fn plain_articles_get_structural_segments() {
    let text = "---\ntitle: t\n---\n# <a name=\"sync\"></a>Synk\n\nTekst **her**.\n\n- a\n- b\n";
    let a = Article::parse("nb-NO/x.md", text);
    assert_eq!(a.form(), ArticleForm::Plain);
    let keys: Vec<_> = a
        .segments()
        .iter()
        .map(|s| (s.key.to_string(), a.target_of(s)))
        .collect();
    assert_eq!(
        keys,
        [
            ("sync/h".into(), "<a name=\"sync\"></a>Synk"),
            ("sync/p1".into(), "Tekst **her**."),
            ("sync/l1.i1.p1".into(), "a"),
            ("sync/l1.i2.p1".into(), "b"),
        ]
    );
    assert!(a.source_markdown().is_none());
    assert_eq!(a.locale().unwrap().to_string(), "nb-NO");
}

#[test]
fn files_without_front_matter_are_articles() {
    let a = Article::parse("nl-NL/x.md", "Alleen tekst.\n");
    assert!(a.front_matter().is_none());
    assert_eq!(a.segments().len(), 1);
    assert_eq!(a.diagnostics()[0].kind, DiagnosticKind::NoFrontMatter);
}

#[test]
fn pairs_in_broken_front_matter_count() {
    let text = format!(
        "---\n{}\n---\nBody\n",
        pair(
            "983fb-101",
            "tittel: Feilsøke ms.author: x",
            "title: Troubleshoot ms.author: x"
        )
    );
    let a = Article::parse("x.md", text);
    assert_eq!(a.segments().len(), 1);
    assert_eq!(
        a.block_of(&a.segments()[0]).unwrap().kind,
        BlockKind::FrontMatter
    );
    assert!(
        a.diagnostics()
            .iter()
            .any(|d| d.kind == DiagnosticKind::FrontMatterShape)
    );
    assert_eq!(a.span_attributes(), a.segments().len() + a.broken_pairs());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Pieces that real files combine, so random input reaches the interesting states.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("<span data-ttu-id=\"abcde-101\">".to_owned()),
            Just("<span data-ttu-id=&quot;abcde-p102&quot;>".to_owned()),
            Just("</span>".to_owned()),
            Just("<span class=\"sxs-lookup\"><span data-stu-id=\"abcde-101\">".to_owned()),
            Just("</span></span>".to_owned()),
            Just("<span>".to_owned()),
            Just("data-ttu-id=".to_owned()),
            Just("---\n".to_owned()),
            Just("\n\n".to_owned()),
            Just("# ".to_owned()),
            Just("- ".to_owned()),
            Just("| a | b |\n|---|---|\n".to_owned()),
            Just("> [!NOTE]\n> ".to_owned()),
            Just("```\n".to_owned()),
            Just("<table><td>".to_owned()),
            Just("*".to_owned()),
            Just("[".to_owned()),
            Just("](u)".to_owned()),
            "[a-zæøå ]{0,8}",
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn never_panics_and_round_trips(pieces in proptest::collection::vec(piece(), 0..24)) {
            let text = pieces.concat();
            let a = Article::parse("nb-NO/p.md", text.clone());
            prop_assert_eq!(a.emit(), text.clone());
            if a.form() == ArticleForm::Bilingual {
                prop_assert_eq!(a.span_attributes(), a.segments().len() + a.broken_pairs());
            }
            for s in a.segments() {
                prop_assert!(s.range.start <= s.target.start && s.target.end <= s.range.end);
            }
            let _ = a.target_markdown();
            let _ = a.source_markdown();
            let _ = a.plain_text();
        }

        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            let a = Article::parse("p.md", text.clone());
            prop_assert_eq!(a.emit(), text);
            let _ = a.plain_text();
        }
    }
}

/// Pathological nesting costs linear memory: 10,000 nested lists (20 KB) once took 200 MB,
/// every item holding the path of every list around it.
#[test]
fn deep_nesting_is_bounded() {
    let text = format!(
        "---\nms.contentlocale: nb-NO\n---\n\n{}a\n\n{} b\n",
        "- ".repeat(10_000),
        ">".repeat(10_000)
    );
    let a = Article::parse("nb-NO/deep.md", text.clone());
    assert_eq!(a.emit(), text);
    let items = a
        .blocks()
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::ListItem { path } => Some(path.len()),
            _ => None,
        })
        .collect::<Vec<_>>();
    assert_eq!(items.len(), 10_000);
    assert!(items.iter().all(|n| *n <= markdown::MAX_ITEM_PATH));
    let human = crate::render::text::article_report(&crate::inspect::ArticleReport::new(&a));
    assert!(human.len() < 5_000_000, "{} bytes", human.len());
}
